# Scripts over menus: forum idioms, [find], [get], print as-value, /log,
# :delay, /system script.
/ip pool
add name=a ranges=10.0.0.1
:if ([:len [find name=x]] = 0) do={ add name=x ranges=10.0.0.2 }
:if ([:len [find name=x]] = 0) do={ add name=x ranges=10.0.0.3 }
print
:put [:typeof [find]]
:put [:typeof ([find]->0)]
:local id [add name=y ranges=10.0.0.4]; :put [:typeof $id]; :put [get $id name]
:foreach i in=[find] do={ :put ([get $i name] . " " . [get $i ranges]) }
:local rows [print as-value where name!=a]; :put [:len $rows]; :put (($rows->0)->"name")
:foreach r in=[print as-value] do={ :put ("row " . ($r->".id") . " " . ($r->"name")) }
:foreach i in=[find where name~"^[xy]\$"] do={ set $i comment=("was " . [get $i name]) }
print detail
/ppp secret
add name=alice password=1 disabled=yes
add name=bob password=2 disabled=yes
add name=carol password=3
:foreach i in=[find where disabled] do={ set $i disabled=no }
print
:put [:len [find where disabled]]
# a failing command inside :do undoes its part and on-error runs
:do { add name=dave password=4; add name=alice password=5 } on-error={ :put "alice exists" }
:put [:len [find name=dave]]
# a line fails as a whole: nothing of it stays
add name=erin password=6; :error "undo erin"
:put [:len [find name=erin]]
/
:log info "script says hello"
:log warning ("pool count " . [:len [/ip pool find]])
:log bogus "x"
/log print proplist=topics,message where topics~"script"
:delay 100ms
:delay delay-time=200ms
:put "after delays"
:resolve example.com
/system script add name=hello source=":put \"hello from a script\"; :return 42"
/system script add name=adder source="/ip pool add name=from-script ranges=10.0.9.1"
/system script add name=broken source=":put ok\n:put (1 +)"
/system script print
/system script print detail
/system script export
/system script run hello
:put ([/system script run hello] + 1)
/system script run [find name=adder]
/ip pool print where name=from-script
/system script run broken
/system script run nosuch
/system script remove hello
/system script print count-only
# an ambiguous word lists what it could be
/interface ovpn-
/ip pool print where n=a
# source={ ... } keeps the text between the braces, unrun
/system script add name=braced source={
  :local h ({})
  :put "braced ran"
}
/system script print detail where name=braced
/system script run braced
