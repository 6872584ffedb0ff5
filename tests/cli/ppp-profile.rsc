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
# RouterOS exports name the built-in items by RouterOS's ids
set *FFFFFFFE idle-timeout=10m
set *0 session-timeout=1d
get default-encryption idle-timeout
get default session-timeout
set *FFFFFFFE idle-timeout=none
set *0 session-timeout=none
# as RouterOS 7's export verbose writes them: !name unsets
set *0 !bridge !bridge-horizon bridge-learning=default !bridge-path-cost !bridge-port-priority !bridge-port-trusted !bridge-port-vid change-tcp-mss=yes !dhcpv6-lease-time !dhcpv6-use-radius !dns-server !idle-timeout !incoming-filter !insert-queue-before !interface-list !local-address name=default on-down="" on-up="" only-one=default !outgoing-filter !parent-queue !queue-type !rate-limit !remote-address !remote-ipv6-prefix-reuse !session-timeout use-compression=default use-encryption=default use-ipv6=yes use-mpls=default use-upnp=default !wins-server
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
# every RouterOS 7 property: those honoured, those taking only their default
add name=full local-address=10.7.0.1 remote-address=10.7.0.2 dns-server=10.7.0.1 wins-server=10.7.0.3 session-timeout=1h idle-timeout=5m use-ipv6=no use-compression=no use-mpls=default use-upnp=no bridge=none bridge-learning=default incoming-filter=none outgoing-filter=none interface-list=none remote-ipv6-prefix-pool=none dhcpv6-pd-pool=none insert-queue-before=first parent-queue=none queue-type=default-small on-up=":log info \"up \$user \$\"remote-address\"\"" on-down=bye
print detail where name=full
get full session-timeout
get full on-up
set full idle-timeout=0s session-timeout=none
get full idle-timeout
# values that name something Rosh does not have are refused, with why
set full use-compression=yes
set full use-mpls=required
set full use-upnp=yes
set full bridge=bridge1
set full bridge-learning=no
set full bridge-horizon=1
set full bridge-path-cost=10
set full bridge-port-priority=128
set full bridge-port-vid=10
set full bridge-port-trusted=yes
set full dhcpv6-use-radius=yes
set full dhcpv6-lease-time=1d
set full remote-ipv6-prefix-reuse=yes
set full bridge-port-trusted=no remote-ipv6-prefix-reuse=no dhcpv6-use-radius=no
set full incoming-filter=ppp-in
set full outgoing-filter=ppp-out
set full interface-list=LAN
set full remote-ipv6-prefix-pool=v6pool
set full dhcpv6-pd-pool=pd
set full insert-queue-before=bottom
set full parent-queue=all
set full queue-type=pcq-upload-default
set full use-ipv6=maybe
set full session-timeout=forever
# unsetting is always allowed
unset full bridge
export where name=full
remove full
# a pool in use by a profile
/ip pool remove ovpn-pool
remove ovpn
remove static
print
export
