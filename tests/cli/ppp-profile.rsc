# /ppp profile: two built-in profiles (flag *), user profiles, references to pools.
/ip pool add name=ovpn-pool ranges=10.8.0.2-10.8.0.254
/ppp profile
print
add name=ovpn local-address=10.8.0.1 remote-address=ovpn-pool dns-server=10.8.0.1,9.9.9.9 only-one=yes
add name=fixed local-address=10.9.0.1 remote-address=10.9.0.2 change-tcp-mss=no use-encryption=required rate-limit=10M/20M comment="fixed peer"
print
print detail
print terse
print as-value
print count-only
print where default
print where use-encryption=yes or use-encryption=required
print where remote-address=ovpn-pool
print where only-one!=default
# the built-in items can be changed, not removed or renamed
set default only-one=yes change-tcp-mss=yes
set default-encryption comment="built in"
remove default
set default name=standard
set fixed name=static
unset ovpn dns-server
print
export
export verbose
# a pool in use by a profile
/ip pool remove ovpn-pool
remove ovpn
remove static
print
export
