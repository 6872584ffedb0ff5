# /ip firewall nat: an ordered list; add place-before, move.
/interface ovpn-client add name=uplink connect-to=198.51.100.1
/interface ovpn-server add name=ovpn-alice user=alice
/ip firewall nat
add chain=srcnat action=masquerade out-interface=uplink comment="A masquerade"
add chain=dstnat action=dst-nat protocol=tcp dst-port=80,443 to-addresses=192.168.1.10 to-ports=8080 comment="B web"
add chain=srcnat action=src-nat src-address=10.8.0.0/24 to-addresses=203.0.113.5-203.0.113.8 comment="C pool"
add chain=dstnat action=redirect protocol=udp dst-port=53 to-ports=5353 in-interface=ovpn-alice place-before=0 comment="D dns"
add chain=srcnat action=accept dst-address=10.0.0.0/8 disabled=yes comment="E skip"
print
print detail
print terse
print as-value
print count-only
print where chain=dstnat
print where chain=srcnat and not disabled
print where protocol=tcp or protocol=udp
print where comment~"^[AE]"
print
# move C before D (to the top), then B to the end
move 3 0
print
move 2
print
# several at once, before what is now item 0
move 3,4 0
print
set [find comment="E skip"] disabled=no action=return
export
export verbose
remove [find where chain=dstnat]
print
