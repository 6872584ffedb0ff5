# /certificate: certificate templates (no signing here); not exported.
/certificate
print
add name=ca common-name=Example-CA key-usage=key-cert-sign,crl-sign days-valid=3650 key-size=4096 trusted=yes
add name=server common-name=vpn.example.com subject-alt-name="DNS:vpn.example.com,IP:203.0.113.1" country=LV state=Riga locality=Riga organization="Example Ltd" unit=IT
add name=client key-type=ec key-size=prime256v1 key-usage=tls-client days-valid=30 comment="not a property"
add name=client key-type=ec key-size=secp384r1 key-usage=tls-client,digital-signature days-valid=30
print
print detail
print terse
print as-value
print count-only
print where trusted
print where key-type=ec or days-valid>1000
print where common-name~"example"
set server key-size=4096 days-valid=825
set client key-size=secp5
set client key-usage=tls-client,tls-client
set ca country=LVA
get server key-usage
get client key-size
unset server subject-alt-name
print proplist=name,common-name,subject-alt-name,key-size
export
/ppp profile add name=x
/export
/interface ovpn-server server add name=srv certificate=server
remove server
remove client
print
