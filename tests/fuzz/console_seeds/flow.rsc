# Script flow: conditions, loops, blocks, scopes, errors.
:local x 7
:if ($x > 5) do={ :put "big" } else={ :put "small" }
:if ($x > 50) do={ :put "big" } else={ :put "small" }
:if ($x = 7) do={
    :put "seven"
    :if ($x % 2 = 1) do={ :put "odd" }
} else={
    :put "not seven"
}
:for i from=1 to=3 do={ :put "up $i" }
:for i from=3 to=1 do={ :put "down $i" }
:for i from=0 to=10 step=5 do={ :put "step $i" }
:foreach v in={"a";"b"} do={ :put $v }
:foreach k,v in={one=1;two=2} do={ :put "$k=$v" }
:local n 0; :while ($n < 3) do={ :set n ($n + 1) }; :put "n=$n"
:local m 10; :do { :set m ($m + 1) } while=($m < 5); :put "m=$m"
# scopes: a local in a block dies with it, an outer one is seen and set
{
    :local inner 1
    :set x 8
    :put "inner=$inner x=$x"
}
:put [:typeof $inner]
:put "x=$x"
:global counter 1
{ :global counter; :set counter ($counter + 1) }
:put "counter=$counter"
:global counter
:put "counter=$counter"
:set nosuch 1
# errors: :error, caught by :do on-error
:do { :error "it broke" } on-error={ :put "caught it" }
:error "stopped here"
:do { :put "before"; :error "x"; :put "not reached" } on-error={ :put "after" }
:if (1) do={ :put one }
:if ("maybe") do={ :put maybe }
:if (true) do=nope
:if (true) do={ :put "unclosed"
:put "next line runs"
:foreach q in=5 do={ :put "single $q" }
:for i from=1 to=3 step=0 do={}
:bogus 1
# :return ends the script that runs it, from inside loops and blocks too
/system script add name=first-big source=":foreach v in={3;12;40} do={ :if (\$v > 10) do={ :return \$v } }; :return 0"
:put [/system script run first-big]
:local found [/system script run first-big]; :put ("found " . $found . " " . [:typeof $found])
# blocks after a path run in that menu
/ip pool { add name=blk ranges=10.1.0.1; :put [:len [find]] }
/ip pool print count-only
# an error inside a block names its own line and column; the line changes nothing
:if (true) do={
    /ip pool add name=half ranges=10.2.0.1
    /ip pool add name=bad ranges=nope
}
/ip pool print count-only
