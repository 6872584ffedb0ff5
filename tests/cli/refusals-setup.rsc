# Setup for refusals.txt: pools, profiles, secrets, a certificate, a server,
# a static server interface, a client, routes, NAT, an address, DNS, identity.
/ip pool
add name=pool-a ranges=10.10.0.2-10.10.0.254
add name=pool-b ranges=10.20.0.0/24 next-pool=pool-a
/ppp profile
add name=vpn local-address=10.10.0.1 remote-address=pool-a dns-server=10.10.0.1
add name=spare remote-address=pool-b
/ppp secret
add name=alice password=alice-pw profile=vpn service=ovpn
add name=bob password=bob-pw profile=vpn
add name=carol password=carol-pw
/certificate add name=server-cert common-name=vpn.example.com
/interface ovpn-server server
add name=srv1 port=1194 certificate=server-cert default-profile=vpn disabled=no
/interface ovpn-server add name=ovpn-alice user=alice
/interface ovpn-client
add name=uplink connect-to=198.51.100.1 user=branch password=branch-pw profile=spare
/ip route
add dst-address=10.5.8.0/24 gateway=uplink
add dst-address=192.168.55.0/24 gateway=10.10.0.254 distance=3
/ip firewall nat
add chain=srcnat action=masquerade out-interface=uplink comment="to uplink"
add chain=dstnat action=dst-nat protocol=tcp dst-port=443 to-addresses=192.168.55.10
/ip address add address=10.10.0.1/24 interface=ovpn-alice
/ip dns set servers=1.1.1.1
/system identity set name=hq
/export file=setup-backup
