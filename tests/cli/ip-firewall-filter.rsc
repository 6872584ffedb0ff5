# /ip firewall filter: an ordered list as VPN guides write it; address lists;
# the PPP profile's address-list. What the engine can not express is marked
# I by roshd (tests/interop/test-firewall.sh); here the console's side.
/interface ovpn-client add name=uplink connect-to=198.51.100.1
/ip firewall filter
add chain=input connection-state=established,related action=accept comment="established"
add chain=input protocol=udp dst-port=1194 action=accept comment="allow ovpn"
add chain=input protocol=icmp icmp-options=8:0 limit=5/1s,10:packet action=accept
add chain=input src-address-list=vpn-users protocol=tcp dst-port=22,8291 action=accept
add chain=input action=drop in-interface=uplink log=yes log-prefix="DROP IN"
add chain=forward connection-state=invalid action=drop place-before=0
add chain=forward action=fasttrack-connection connection-state=established,related
add chain=input protocol=tcp dst-port=113 action=reject reject-with=tcp-reset place-before=[find comment="allow ovpn"]
add chain=input action=jump jump-target=vpn-in in-interface=uplink disabled=yes
add chain=vpn-in protocol=tcp tcp-flags=syn,!ack connection-nat-state=dstnat action=return
print
print detail where chain=input and protocol=tcp
print terse where action=drop
print count-only where chain=forward
print stats
print
move 0 3
print
set [find comment="allow ovpn"] dst-port=1194,1195
disable [find action=reject]
print where disabled
# refused by the console: values outside the menu
add chain=input action=masquerade
add chain=input connection-state=sleeping
add chain=input protocol=tcp src-address=10.0.0.300
export
/ip firewall address-list
add list=vpn-users address=10.8.0.0/24 comment="tunnel clients"
add list=vpn-users address=192.168.88.10-192.168.88.20
add list=blocked address=203.0.113.7 timeout=1h
add list=blocked address=badhost.example.com
add list=blocked address=10.0.0.0/33
print
print where list=blocked
set [find address=203.0.113.7] timeout=30m
export
/ppp profile add name=vpn address-list=vpn-users
/ppp profile print detail where name=vpn
/ip firewall filter remove [find chain=forward]
/ip firewall filter print count-only
# RouterOS protocol names: ipsec-esp, ipsec-ah, ipencap, ipv6 (41), ospf, vrrp
/ip firewall filter add chain=input protocol=ipsec-esp action=accept comment=esp
/ip firewall filter add chain=input protocol=ipv6 action=accept comment=6to4
/ip firewall filter add chain=input protocol=ospf action=accept comment=ospf
/ip firewall filter add chain=input protocol=nonsense action=accept
/ip firewall filter print where comment~"esp|6to4|ospf"
# actions that add to a list (the kernel's entries show as D, with roshd),
# RouterOS 6's 00:00:00 for none-dynamic; time= in the local time zone
/ip firewall filter add chain=input protocol=tcp dst-port=22 connection-state=new action=add-src-to-address-list address-list=ssh_stage1 address-list-timeout=1m comment=knock
/ip firewall filter add chain=forward action=add-dst-to-address-list address-list=visited address-list-timeout=00:00:00
/ip firewall filter add chain=forward action=add-dst-to-address-list address-list=visited address-list-timeout=none-dynamic
/ip firewall filter add chain=forward action=reject protocol=tcp reject-with=tcp-reset src-address-list=staff time=9h-18h,mon,tue,wed,thu,fri comment=hours
/ip firewall filter print detail where comment=knock or comment=hours
/ip firewall filter export where action=add-dst-to-address-list
