# /interface: every interface, read-only; made from the OVPN menus.
/interface
print
print count-only
/interface ovpn-server add name=ovpn-alice user=alice comment="alice's tunnel"
/interface ovpn-server add name=ovpn-bob user=bob disabled=yes
/interface ovpn-client add name=uplink connect-to=198.51.100.1
/interface ovpn-client add name=backup connect-to=vpn.example.net disabled=no
# servers are not interfaces
/interface ovpn-server server add name=srv1
print
print detail
print terse
print as-value
print count-only
print where type=ovpn-out
print where disabled
print where name~"^ovpn-"
print proplist=name,type,disabled
get uplink type
get ovpn-bob disabled
:put [find where type=ovpn-in]
# names follow the items they come from
/interface ovpn-client set backup name=backup2
/interface ovpn-server remove ovpn-bob
print
# the list itself can not be changed
set uplink mtu=1400
add name=x
remove uplink
# export covers the submenus
export
