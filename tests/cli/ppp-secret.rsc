# /ppp secret: users, passwords (sensitive) and their profiles.
/ip pool add name=ovpn-pool ranges=10.8.0.2-10.8.0.254
/ppp profile add name=ovpn local-address=10.8.0.1 remote-address=ovpn-pool
/ppp secret
add name=alice password=alice-pw profile=ovpn service=ovpn
add name=bob password="b0b pass" service=ovpn remote-address=10.8.0.50 routes="192.168.50.0/24 10.8.0.50 1" comment="branch office"
add name=carol password=c4rol local-address=10.9.0.1 remote-address=ovpn-pool limit-bytes-in=1000000 limit-bytes-out=2000000 disabled=yes
print
print detail
print detail show-sensitive
print terse
print as-value
print count-only
print where profile=ovpn
print where limit-bytes-in>0
print where disabled or remote-address=10.8.0.50
print proplist=name,service,disabled
get bob password
# a profile in use by a secret
/ppp profile remove ovpn
set carol profile=ovpn disabled=no
set bob password=new-pass service=any
disable alice
comment carol comment="now enabled"
print
export
export show-sensitive
export verbose show-sensitive
export terse
remove alice,bob
print
/ppp profile remove ovpn
