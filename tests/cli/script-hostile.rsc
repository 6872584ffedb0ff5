# Hostile scripts end with an error, and the lines after them still run.
:while (true) do={}
:put "still here"
:for i from=1 to=5000000 do={}
:local s "x"; :for i from=1 to=30 do={ :set s ($s . $s) }
:local a {}; :for i from=0 to=200000 do={ :set ($a->$i) $i }
:local k {}; :for i from=0 to=20000 do={ :set ($k->("k" . $i)) $i }
:put ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))
{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{:put deep}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}}
:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put [:put 1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
/system script add name=again source="/system script run again"
/system script run again
:delay 31s
:delay 2s; :delay 29s
:do { :while (true) do={} } on-error={ :put "a bound is not caught" }
:put (!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!true)
:put "the end"
