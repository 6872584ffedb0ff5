# Script functions and the value commands RouterOS 7 scripts use.
# Functions: named arguments are locals, positional ones $1 $2, $0 the name.
:global add do={ :return ($a + $b) }
:put [$add a=2 b=3]
:put [:typeof $add]
:global greet do={ :put "hello $1 and $2 from $0" }
$greet alice bob
:global fact do={ :if ($1 <= 1) do={ :return 1 }; :return ($1 * [$fact ($1 - 1)]) }
:put [$fact 10]
:global loop do={ :return [$loop] }
$loop
:local n 5; $n a=1
:local code [:parse ":put (6 * 7)"]; $code
:put [:parse ":put {"]
# :execute runs to its end: output as a string, into a file, or dropped.
:put [:execute script=":put 5; :put [:typeof 5]" as-string]
:execute ":put written; :error stopped" file=exec.txt
:put [/file get exec.txt size]
:execute {:global ran yes}; :global ran; :put $ran
# :retry tries the command up to max times.
:global tries 0
:retry command={ :set tries ($tries + 1); :if ($tries < 3) do={ :error "not yet" } } delay=0 max=5; :put $tries
:retry command={ :error "never" } delay=0 max=2
:retry command={ :error "never" } delay=0 max=2 on-error={ :put "gave up" }
:retry command={ :put x } max=0
/system script add name=whoami source=":put [:jobname]"
/system script run whoami
:put ("[" . [:jobname] . "]")
# :convert between encodings.
:put [:convert "hello" to=hex]
:put [:convert "68656c6c6f" from=hex]
:put [:convert "hello" to=base64]
:put [:convert "aGVsbG8=" from=base64]
:put [:convert "hello" to=base32]
:put [:convert "NBSWY3DP" from=base32]
:put [:convert "a b&c/d" to=url]
:put [:convert "a%20b%26c" from=url]
:put [:convert "Hello" to=rot13]
:put [:convert "abc" to=byte-array]
:put [:convert {104;105} from=byte-array]
:put [:convert "abc" transform=reverse]
:put [:convert "abc" transform=uc to=hex]
:put [:convert "zz" from=hex]
:put [:convert "00" from=hex]
:put [:convert "x" to=morse]
# Random values and the clock: ranges and types, not the values.
:local r [:rndnum from=1 to=6]; :put ($r >= 1 && $r <= 6)
:put [:rndnum from=7 to=7]
:put [:rndnum from=9 to=1]
:put [:len [:rndstr length=12]]
:put [:rndstr from="a" length=4]
:put [:typeof [:timestamp]]
:put ([:timestamp] > 2800w)
# JSON both ways.
:put [:serialize to=json value={name="ovpn1";port=1194;up=true;tags={"a";"b"};none=[:nothing];text="say \"hi\"\n"}]
:put [:serialize to=json {1;2;{3;4}}]
:put [:serialize to=dsv value={1}]
:local j [:deserialize from=json value="{\"a\":1,\"b\":[true,null,\"10.0.0.1\"],\"c\":{\"d\":\"x\"},\"e\":1.5,\"f\":\"\\u00e9\"}"]
:put ($j->"a"); :put [:typeof ($j->"b"->0)]; :put [:typeof ($j->"b"->1)]; :put [:typeof ($j->"b"->2)]; :put ($j->"c"->"d"); :put ($j->"e"); :put ($j->"f")
:local p [:deserialize from=json value="[\"10.0.0.1\"]" options=json.no-string-conversion]; :put [:typeof ($p->0)]
:put [:deserialize from=json value="[1,"]
:put [:deserialize from=json value="{\"a\" 1}"]
:put [:deserialize from=json value="1 2"]
:put [:len [:deserialize from=json value="[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"]]
# Array literals as RouterOS prints and writes them.
:local q {"key one"=1;"k2"="v";plain=3}; :put ($q->"key one"); :put $q
:local l ("x", "y", 3); :put $l; :put [:len $l]
:local m ($l, {4;5}); :put [:len $m]
:put [:typeof ("a", "b")]
