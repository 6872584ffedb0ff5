# add copy-from=, help, and edit outside the interactive console
/ip pool
add name=a ranges=10.0.0.1-10.0.0.9 comment=first
add name=n ranges=10.9.0.1
set a next-pool=n
# the key must be new: copy-from without name= is refused
add copy-from=a
add copy-from=a name=a
add copy-from=a name=b
add copy-from=[find name=a] name=c ranges=10.5.0.1-10.5.0.2 !comment
add copy-from=nosuch name=d
add copy-from=a,b name=e
print detail
/ppp secret add name=u1 password=p1 service=ovpn profile=default-encryption disabled=yes
/ppp secret add copy-from=u1 name=u2 comment=copied
/ppp secret print detail show-sensitive where name~"^u"
/system identity add copy-from=0
/ip firewall nat add chain=srcnat action=masquerade comment=one
/ip firewall nat add copy-from=0 place-before=0 comment=two
/ip firewall nat print
# help: the menus below and the commands, one line each
/ip pool help
/system identity help
/ip help
/ip pool help more
# edit needs a person at the console
/ip pool edit a ranges
/system identity edit name
