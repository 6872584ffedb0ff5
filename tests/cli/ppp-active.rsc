# /ppp active: sessions written by the engine; the console only reads them.
# With no engine running the list is empty.
/ppp active
print
print detail
print terse
print as-value
print count-only
print where service=ovpn
print where address=10.8.0.2 or name=alice
print count-only where uptime>1h
# uptime is a time
print where uptime>1x
print proplist=name,address
:put [find]
# a view can not be changed, and is not exported
add name=alice
set 0 name=alice
remove 0
export
get 0 name
/ppp export
