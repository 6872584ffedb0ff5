# /interface ovpn-server: static server interfaces pinned to a user name.
/interface ovpn-server
add name=ovpn-alice user=alice comment="alice's tunnel"
add name=ovpn-bob user=bob disabled=yes
# user is optional; the name is required and unique
add name=ovpn-spare
print
print detail
print terse
print as-value
print count-only
print where user=bob
print where !disabled
print where user~"^a" and comment~"tunnel"
set ovpn-bob disabled=no user=robert
set ovpn-spare user=carol comment="spare, for carol"
enable ovpn-spare
disable 0
print
get ovpn-bob user
export
export verbose
export terse
# an address on an interface does not keep it from being removed
/ip address add address=10.8.0.1/24 interface=ovpn-alice
/interface ovpn-server remove ovpn-alice
/interface ovpn-server remove ovpn-spare
/interface ovpn-server print
