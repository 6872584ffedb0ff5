# 2025-03-01 12:00:00 by RouterOS 7.17.2
# software id = EF56-GH78
#
# model = C52iG-5HaxD2HaxD
/interface bridge
add admin-mac=48:A9:8A:00:00:02 auto-mac=no comment=defconf name=bridge
/interface wifi
set [ find default-name=wifi1 ] configuration.mode=ap .ssid=Branch disabled=no
/interface ovpn-client
add cipher=aes256-gcm auth=null connect-to=vpn.example.net mac-address=\
    02:00:00:00:00:01 name=ovpn-out1 port=1194 protocol=udp user=branch \
    use-peer-dns=yes route-nopull=yes
/interface ovpn-server server
add auth=sha1,md5 mac-address=FE:2C:CB:FA:B4:3B name=ovpn-server1
/routing ospf instance
add disabled=no name=default-v2 router-id=10.0.0.2
/routing ospf area
add disabled=no instance=default-v2 name=backbone-v2
/ip pool
add name=dhcp ranges=192.168.88.10-192.168.88.254
/ip address
add address=10.9.0.2/24 interface=ovpn-out1 network=10.9.0.0
/ip route
add disabled=no dst-address=10.20.0.0/16 gateway=10.9.0.1
/system identity
set name=branch-gw
/system note
set show-at-login=no
/system script
add dont-require-permissions=yes name=report owner=admin policy=read,write,test \
    source=":local n [:len [/ppp secret find]]\r\
    \n:log info \"secrets: \$n\""
:if ([:len [/ip pool find]] > 0) do={
    /ip pool set [find name=dhcp] comment="from the branch"
}
/tool mac-server
set allowed-interface-list=LAN
