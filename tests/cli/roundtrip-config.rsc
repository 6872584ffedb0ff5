# A configuration over every exported menu; run.sh exports it, imports the
# export into an empty database and checks the second export is the same.
/system identity set name="branch \"north\" 1"
/ip dns set servers=9.9.9.9,2620:FE::FE allow-remote-requests=yes
/ip pool
add name=spill-over ranges=10.8.0.2-10.8.0.126,10.8.0.200 comment="first pool; spills into overflow"
add name="pool two" ranges=10.9.0.0/25
add name=overflow ranges=10.8.1.2-10.8.1.254 next-pool="pool two"
# spill-over now refers to overflow, which was added after it
set spill-over next-pool=overflow
/ppp profile
set default only-one=yes change-tcp-mss=yes dns-server=9.9.9.9
set default-encryption comment="built in, \$ and \"quotes\""
add name=ovpn local-address=10.8.0.1 remote-address=spill-over dns-server=10.8.0.1,9.9.9.9 use-encryption=required rate-limit=10M/20M
add name="site to site" local-address=10.9.0.1 remote-address="pool two" only-one=no comment="café \\ tab\there"
/ppp secret
add name=alice password="pa ss\$word" profile=ovpn service=ovpn
add name=bob password=b0b profile="site to site" remote-address=10.9.0.50 routes="192.168.50.0/24 10.9.0.50 1" limit-bytes-in=1000000 limit-bytes-out=5000000
add name=carol password="" service=any local-address=10.7.0.1 remote-address=10.7.0.2 disabled=yes comment="left; \"on leave\""
/interface ovpn-server
add name=ovpn-alice user=alice comment="alice's tunnel"
add name=ovpn-bob user=bob disabled=yes
/interface ovpn-server server
add name=main port=443 protocol=udp mode=ethernet default-profile=ovpn require-client-certificate=yes auth=sha256,sha512 cipher=aes256-gcm,chacha20-poly1305 keepalive-timeout=disabled netmask=25 max-mtu=1400 redirect-gateway=def1,ipv6 enable-tun-ipv6=yes ipv6-prefix-len=80 tun-server-ipv6=2001:DB8:8::1 reneg-sec=0 tls-version=only-1.2 user-auth-method=mschap2 vrf=main mac-address=02-00-5E-00-53-01 push-routes="192.168.102.0 255.255.255.0 192.168.109.1 9" disabled=no
add name=spare comment="not started"
/interface ovpn-client
add name=uplink connect-to=vpn.example.net port=1195 protocol=udp user=branch-north password="c1ient \"pw\"" profile=ovpn verify-server-certificate=yes auth=sha512 cipher=aes128-gcm tls-version=only-1.2 add-default-route=yes use-peer-dns=yes route-nopull=yes max-mtu=1450 disabled=no
add name=v6-backup connect-to=2001:db8::0:10 mode=ethernet mac-address=02:00:00:aa:bb:cc comment="off until needed"
/ip address
add address=10.8.0.1/25 interface=ovpn-alice comment="server side"
add address=192.0.2.10/24 network=192.0.2.0 interface=uplink disabled=yes
/ip route
add dst-address=10.5.8.20 gateway=uplink comment="office host"
add dst-address=192.168.55.0/24 gateway=10.8.0.2 distance=5 routing-table=main
add gateway=203.0.113.1 distance=250 disabled=yes
/ip firewall nat
add chain=srcnat action=masquerade out-interface=uplink comment="rule C"
add chain=srcnat action=src-nat src-address=10.8.0.0/24 to-addresses=203.0.113.5-203.0.113.8 comment="rule D"
add chain=dstnat action=dst-nat protocol=tcp dst-port=80,443 in-interface=ovpn-alice to-addresses=192.168.1.10 to-ports=8080 place-before=0 comment="rule A"
add chain=dstnat action=redirect protocol=udp dst-port=53 to-ports=5353 place-before=1 comment="rule B"
add chain=srcnat action=accept dst-address=10.0.0.0/8 disabled=yes comment="rule E"
move 4 2
/system script add name=greet comment="says hi" source=":local who \"world\"\n:if ([:len \$who] > 0) do={ :put \"hello \$who\" }"
/system scheduler add name=nightly start-time=03:15:00 interval=1d on-event=greet
/system scheduler add name=boot on-event=":log info booted" disabled=yes
