# /interface ovpn-server server: OVPN servers and their many settings.
/ip pool add name=ovpn-pool ranges=10.8.0.2-10.8.0.254
/ppp profile add name=ovpn local-address=10.8.0.1 remote-address=ovpn-pool
/certificate add name=server-cert common-name=vpn.example.com
/interface ovpn-server server
add name=srv1
add name=srv2 port=1195 protocol=udp mode=ethernet certificate=server-cert default-profile=ovpn require-client-certificate=yes auth=sha256,sha512 cipher=aes256-gcm,chacha20-poly1305 disabled=no comment="main server"
print
print detail
print terse
print as-value
print count-only
print where protocol=udp
print where cipher~"gcm"
print where port>1194
set srv1 keepalive-timeout=disabled netmask=30 max-mtu=1400 redirect-gateway=def1,ipv6 enable-tun-ipv6=yes ipv6-prefix-len=80 tun-server-ipv6=2001:DB8:0:0::1 reneg-sec=0 tls-version=only-1.2 user-auth-method=mschap2 vrf=main mac-address=02-00-5e-10-00-01
set srv1 push-routes="192.168.102.0 255.255.255.0 192.168.109.1 9,10.0.0.0 255.0.0.0"
print detail where name=srv1
get srv1 tun-server-ipv6
get srv1 mac-address
# references hold their targets
/ppp profile remove ovpn
/certificate remove server-cert
unset srv2 certificate
set srv2 default-profile=default
export
export verbose
export terse
remove srv1
print
/ppp profile remove ovpn
# the prefix form of the manual: its length takes the place of ipv6-prefix-len
add name=srv6 enable-tun-ipv6=yes tun-server-ipv6=2001:DB8:77::/64
get srv6 tun-server-ipv6
set srv6 tun-server-ipv6=2001:db8:77::1
get srv6 tun-server-ipv6
