# /radius, /radius incoming, /ppp aaa and /user aaa: RouterOS's names and defaults, the
# secret hidden, what Rosh can not honour refused with the reason, and
# monitor saying when no engine runs to count.
/radius
add address=10.0.0.10 secret=s3cret service=ppp timeout=2s comment=main
add address=10.0.0.11 secret=other
print
print detail
print detail show-sensitive
# refused: services other than ppp and login, RadSec, realms, timeouts under a second
add address=10.0.0.12 secret=x service=ppp,hotspot
add address=10.0.0.12 secret=x protocol=radsec
add address=10.0.0.12 secret=x realm=example.com
add address=10.0.0.12 secret=x timeout=300ms
add secret=x
add address=10.0.0.13 comment="no secret: skipped by roshd"
set 1 authentication-port=1645 accounting-port=1646 src-address=10.0.0.1 disabled=yes
print
monitor 0 once
/radius incoming
print
set accept=yes port=1700
set vrf=blue
print
/ppp aaa
print
set use-radius=yes interim-update=5m
set enable-ipv6-accounting=yes
print
# router logins: a server for login, groups RADIUS may and may not give
/radius add address=10.0.0.14 secret=l0gin service=login
/user aaa
print
set use-radius=yes default-group=write exclude-groups=full
set interim-update=1m
set default-group=nosuch
print
/export
