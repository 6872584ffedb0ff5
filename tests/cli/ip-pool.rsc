# /ip pool: add, set, print in every form, export, remove.
/ip pool
add name=dhcp ranges=192.168.88.10-192.168.88.254
add name=ovpn ranges=10.8.0.0/24,10.9.0.5 comment="tunnel clients"
# a range written as a single address, and a next-pool
add name=overflow ranges=10.99.0.1 next-pool=dhcp
print
print detail
print terse
print as-value
print count-only
print where name~"^o"
print where next-pool=dhcp
print where next-pool!=none
print count-only where ranges=10.99.0.1
set ovpn next-pool=overflow
set dhcp ranges=192.168.88.10-192.168.88.100,192.168.88.200-192.168.88.254
set overflow comment="last resort"
get ovpn next-pool
get dhcp ranges
print
export
export verbose
# pools have no enable or disable, so "e" can only be export
exp where name=dhcp
unset ovpn next-pool
print where name=ovpn
# in use by overflow: refused
remove dhcp
print
remove 2
# number 2 went with its item
set 2 comment=gone
print
