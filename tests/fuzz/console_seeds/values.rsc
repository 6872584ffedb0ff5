# Script values: types, operators, strings, arrays.
:put [:typeof "abc"]
:put [:typeof 42]
:put [:typeof -7]
:put [:typeof true]
:put [:typeof 10.0.0.1]
:put [:typeof 10.0.0.0/24]
:put [:typeof 1h30m]
:put [:typeof *1A]
:put [:typeof {1;2}]
:put [:typeof $undefined]
:local n; :put [:typeof $n]
:put (1 + 2 * 3)
:put ((1 + 2) * 3)
:put (17 / 5); :put (17 % 5); :put (-3 - 4)
:put (1h + 30m); :put (90s * 2); :put (500ms + 1s); :put 1w2d3h
:put (10.0.0.1 + 5); :put (10.0.1.0 - 10.0.0.0)
:put (10.1.2.3 in 10.1.0.0/16); :put (10.2.0.1 in 10.1.0.0/16)
:put ("ab" . "cd" . 12)
:put (3 = 3); :put (3 != 3); :put (2 < 10); :put ("2" < 10); :put ("b" > "a"); :put (5 <= 5); :put (1h >= 61m)
:put (true && false); :put (true || false); :put (!true); :put (not false); :put (1 < 2 and 2 < 3); :put (1 > 2 or 2 > 3)
:put ("router-1" ~ "^router-[0-9]+\$")
:local a 5; :local b "x"; :put "a=$a b=$b sum=$($a + 1) len=$[:len "hello"]"
:local "my-var" 3; :put $"my-var"
:local arr {10;20;30}; :put $arr; :put ($arr->1); :put [:len $arr]; :put ($arr->5); :put [:typeof ($arr->5)]
:local m {name="x y";port=1194}; :put ($m->"name"); :put ($m->port); :put $m
:local nest {a={1;2};b={c=3}}; :put ($nest->"a"->1); :put ($nest->"b"->"c")
:local e {}; :put [:len $e]
:put [:pick "abcdef" 2]; :put [:pick "abcdef" 2 4]; :put [:pick {1;2;3;4} 1 3]; :put [:pick {1;2;3;4} 3]
:put [:find "abcabc" "c"]; :put [:find "abcabc" "c" 2]; :put [:typeof [:find "abc" "z"]]; :put [:find {5;6;7} 7]
:put [:tostr 12]; :put [:typeof [:tostr 12]]; :put ([:tonum "40"] + 2); :put [:tonum 1m]; :put [:typeof [:tonum "abc"]]
:put [:len "hello"]; :put [:len 12345]
:set ($arr->1) 99; :put $arr
:set ($m->"port") 443; :set ($m->"proto") tcp; :put $m
:put (1 / 0)
:put (9223372036854775807 + 1)
:put ("a" + 1)
:put ((1 + 2)
