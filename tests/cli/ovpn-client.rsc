# /interface ovpn-client: client tunnels; password is sensitive.
/ppp profile add name=branch use-encryption=yes
/certificate add name=client-cert common-name=branch-1
/interface ovpn-client
add name=uplink connect-to=198.51.100.1 user=branch-1 password="s3cret pass"
add name=backup connect-to=vpn.example.net port=443 protocol=udp user=branch-1 password=other profile=branch certificate=client-cert verify-server-certificate=yes auth=sha256 cipher=aes256-gcm disabled=no comment="backup path"
add name=v6 connect-to=2001:DB8::0:1 mode=ethernet mac-address=02:00:00:aa:bb:cc add-default-route=yes use-peer-dns=yes route-nopull=yes max-mtu=1400 tls-version=only-1.2
print
print detail
print detail show-sensitive
print terse
print as-value
print count-only
print where disabled
print where connect-to~"example"
print where port<1000 or mode=ethernet
set uplink user=branch-2 password=n3w cipher=chacha20-poly1305
set v6 connect-to=vpn6.example.net
unset backup certificate
unset v6 mac-address
get uplink password
print proplist=name,user,cipher,disabled
export
export show-sensitive
export verbose
export terse show-sensitive
# the profile is held by the client
/ppp profile remove branch
remove backup,v6
print
