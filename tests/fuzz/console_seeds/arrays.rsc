:local a {x=1;y={2;3}}
:set ($a->"y") {4;5}
:foreach k,v in=$a do={ :put "$k=$v" }
:put ($a->"y"->1 . [:typeof $a])
