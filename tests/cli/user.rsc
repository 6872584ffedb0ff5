# Users, groups and services: a fresh router's admin, policies, refusals.
/user print
/user group print
/user add name=ops group=write password=s3cret address=10.0.0.0/8,2001:db8::/32 comment="night shift"
/user add name=viewer group=read
/user add name=twin group=read
/user add name=ghost group=nosuch
/user add name=badnet group=read address=10.0.0.300/8
/user print detail
/user print detail show-sensitive
/user get ops password
/user print where password=s3cret
/user group add name=helpdesk policy="local,telnet,ssh,reboot,read,write,test,winbox,password,web,sniff,sensitive,api,romon,tikapp,!ftp,!policy,!dude"
/user group print where name=helpdesk
/user group add name=bad policy=local,fly
/user group set read skin=blue
/user group remove full
/user remove admin
/user set twin name=ops
/ip service print
/ip service
set telnet disabled=yes
set www port=8080 address=192.168.88.0/24
set api name=other
set api-ssl certificate=nosuch
set ssh vrf=red
/user active print
/password old-password=wrong new-password=a confirm-new-password=a
/password old-password="" new-password=n1 confirm-new-password=n2
/password old-password="" new-password=n1 confirm-new-password=n1
/user export
/ip service export
/system history print
