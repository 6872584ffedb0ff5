:global f do={ :return ($a . $1) }
:put [$f x a=y]
:local c [:parse ":put [:len {1;2}]"]; $c
:put [:execute script=":put 1" as-string]
:retry command={ :error x } delay=0 max=2 on-error={ :put y }
:put [:convert "abc" to=base64 transform=reverse]
:put [:convert "YWJj" from=base64 to=byte-array]
:put [:serialize to=json value={a={1;"b"};c=true}]
:put [:deserialize from=json value="{\"k\":[1,\"10.0.0.1\",null,{\"z\":\"\\u00e9\"}]}"]
:local q {"a b"=1;c=("x","y")}; :put $q
:put [:rndnum from=1 to=3]; :put [:jobname]; :put [:timestamp]
