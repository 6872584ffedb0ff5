# RouterOS 6 ways of writing: the single OVPN server (set with no item acts on
# ovpn-server1, which a fresh database has as a 7.17 upgrade makes it), the
# cipher names aes128/aes192/aes256 (the CBC ciphers), enabled= as the inverse
# of disabled=, and a 7.17 export's add of ovpn-server1.
/interface ovpn-server server
print
set enabled=yes port=1195 cipher=aes128,aes192,aes256,blowfish128 auth=sha1,md5
get port
get cipher
print where enabled
print where enabled=no
export
add name=second enabled=no port=1196 cipher=aes256
:put [find enabled=no]
:put [get second cipher]
set second enabled=yes
print
set second enabled=maybe
set second enabled=yes disabled=no
set cipher=aes
add name=ovpn-server1 auth=sha1,md5 mac-address=FE:2C:CB:FA:B4:3B
export
remove ovpn-server1
/interface ovpn-client
add name=out1 connect-to=192.0.2.1 user=u cipher=aes192 enabled=yes
print where enabled
export
/ppp secret
add name=alice password=x enabled=no
add name=bob password=y caller-id=192.0.2.7 ipv6-routes="2001:db8::/64"
add name=bob password=y caller-id=192.0.2.7
print detail where !enabled
/certificate add name=tpl common-name=tpl digest-algorithm=sha1
/certificate add name=tpl common-name=tpl digest-algorithm=sha256 key-size=8192
/certificate sign tpl
/system script add name=s owner=admin policy=read,write dont-require-permissions=yes source=":put hi"
/system script export
