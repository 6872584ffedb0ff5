# /ip address: addresses on (OVPN) interfaces.
/interface ovpn-server add name=ovpn-alice user=alice
/interface ovpn-client add name=uplink connect-to=198.51.100.1
/ip address
add address=10.8.0.1/24 interface=ovpn-alice comment="alice side"
# a bare address means /32
add address=172.16.5.9 interface=uplink
add address=192.168.88.1/24 network=192.168.88.0 interface=uplink disabled=yes
print
print detail
print terse
print as-value
print count-only
print where interface=uplink
print where disabled
print where address=172.16.5.9/32
# numbers come from the last print: print everything again
print
set 1 address=172.16.5.9/30
enable 2
disable 0
comment 1 comment="to the branch"
print
export
export verbose
remove 2
print
