# /import verbose=yes and dry-run: exports from RouterOS 6 and 7 routers with
# menus Rosh does not have (bridge, wireless, wifi, OSPF, NTP...): each line
# on its own, the refused ones listed with their line, the rest applied.
/import file-name=ros6-export.rsc
/ip pool print count-only
/import file-name=ros6-export.rsc verbose=yes
/ip pool print
/ppp profile print where name=ovpn
/ppp secret print
/interface ovpn-server server print detail where name=ovpn-server1
/system identity print
/system script print detail
/import file-name=ros7-export.rsc verbose=yes
/interface ovpn-client print detail
/interface ovpn-server server export
/ip pool print where name=dhcp
/ip route print
/system identity print
:put [/system script get report source]
# dry-run: every error, nothing kept, and the command fails
/import file-name=broken.rsc dry-run
/import broken.rsc dry-run=yes verbose=yes
/ip pool print where name=a
# without verbose: one transaction, stopped at the first error
/import broken.rsc
/ip pool print where name=a
/import broken.rsc verbose=perhaps
# context: after a refused path line, [find] is not run in the menu before
/import context.rsc verbose=yes
/ip pool print where name=ctx
