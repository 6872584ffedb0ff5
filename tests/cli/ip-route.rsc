# /ip route: static routes through tunnels and next hops.
/interface ovpn-client add name=uplink connect-to=198.51.100.1
/ip route
add dst-address=10.5.8.20 gateway=uplink comment="office host"
add dst-address=192.168.55.0/24 gateway=uplink distance=5
# no dst-address: the default route
add gateway=203.0.113.1 disabled=yes
add dst-address=172.16.0.0/16 gateway=10.0.0.1
print
print detail
print terse
print as-value
print count-only
print where gateway=uplink
print where distance>1
print where dst-address=0.0.0.0/0
print where distance>=5 or disabled
print
set 1 distance=10 gateway=10.0.0.2
set 2 disabled=no
set 3 dst-address=172.17.0.0/16
unset 0 comment
print
export
export verbose
export where gateway=uplink
remove 1,3
print
# a route names its interface: it follows a rename
/interface ovpn-client set uplink name=wan
print where gateway=wan
export
# host bits are cleared, as the kernel needs (RouterOS keeps the network too)
add dst-address=10.5.9.3/24 gateway=10.0.0.1
print where dst-address=10.5.9.0/24
# RouterOS 7 writes the blackhole flag bare and an unset gateway as ""
/ip route add blackhole disabled=no dst-address=192.0.2.0/24 gateway="" suppress-hw-offload=no
/ip route add dst-address=198.51.100.0/24 type=prohibit distance=3
/ip route print where blackhole or type=prohibit
/ip route export where dst-address=192.0.2.0/24
# recursive next hops are not resolved here
/ip route add dst-address=203.0.113.0/24 gateway=10.0.0.1 target-scope=11
