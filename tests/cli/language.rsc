# Console syntax: paths, abbreviations, quoting, items, where, export, import.
/ip pool
add name=a ranges=10.0.0.1
..
# a path before a command runs it there without moving
pool add name=b range=10.0.0.2-10.0.0.9 comment="say \"hi\" \\ \$5\tend"
/ppp/profile
/ip/pool/pr
../secret print count-only
/
ip firewall nat
/ip pool add name="c d" ranges=10.0.1.0/24; /ip pool add name=e ranges=10.0.2.1 \
    next-pool="c d"; # a comment after a command
/ip pool
pr
# items: print number, name, *id, [find], lists
set 0 comment=first
set "c d" comment=third
set *16 comment="\41\42"
:put [find where name="c d"]
set [find where ranges~"^10.0.2"] comment=fifth
set 0,1 next-pool=e
pr terse
get 1 comment
print where name!=a and not (comment~"^t" or next-pool=none)
print where ranges>10.0.0.5 && ranges<10.0.2.0
print count-only where next-pool=e
print proplist=name,next-pool as-value where name=a || name=b
print detail where name~"^c"
unset a next-pool
/ppp secret add name=alice password=pw1 service=ovpn
/ppp secret add name=bob password="p w" disabled=yes
/ppp secret
enable bob; disable alice; comment bob comment="was off"
print
# export: styles, where, to a file
/ip pool export verbose where next-pool=e
export show-sensitive
export terse where disabled
/export file=all
/ppp secret export verbose file=users-backup.rsc
/file print proplist=name,type,size
/ip pool remove [find]
/ppp secret remove 0,1
/import file-name=all.rsc
/import users.rsc
/ppp secret print
/ip pool print count-only
# NAT keeps an order
/ip firewall nat add chain=srcnat action=masquerade comment=one
/ip firewall nat add chain=dstnat action=redirect to-ports=53 protocol=udp comment=two
/ip firewall nat move 1 0
/ip firewall nat print
