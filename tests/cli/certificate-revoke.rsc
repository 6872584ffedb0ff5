# /certificate revoke, the L and R flags, /certificate crl (EC keys: signing is quick).
/certificate
add name=ca common-name=Example-CA key-usage=key-cert-sign,crl-sign key-type=ec key-size=prime256v1
add name=c1 common-name=c1 key-usage=digital-signature,tls-client key-type=ec key-size=prime256v1
add name=c2 common-name=c2 key-usage=digital-signature,tls-client key-type=ec key-size=prime256v1
revoke c1
sign ca ca-crl-host=192.0.2.1
sign c1 ca=ca
sign c2 ca=ca ca-crl-host="bad host"
sign c2 ca=ca
get ca ca-crl-host
crl print
revoke ca
revoke c1
print proplist=name,common-name
print proplist=name where revoked
crl print proplist=ca,issuer,crl-number,revoked-count
crl print count-only
revoke c2
crl print proplist=ca,crl-number,revoked-count
crl add url=http://192.0.2.1/crl/1.crl
crl set 0 crl-number=9
/file print proplist=name,type
crl remove 0
crl print count-only
