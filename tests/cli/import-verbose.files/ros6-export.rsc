# jan/02/2024 10:00:00 by RouterOS 6.49.10
# software id = AB12-CD34
#
# model = RB750Gr3
/interface bridge
add admin-mac=B8:69:F4:00:00:01 auto-mac=no comment=defconf name=bridge
/interface wireless
set [ find default-name=wlan1 ] band=2ghz-b/g/n disabled=no mode=ap-bridge \
    ssid=Home
/interface wireless security-profiles
set [ find default=yes ] supplicant-identity=MikroTik
/ip pool
add name=ovpn-pool ranges=192.168.77.2-192.168.77.254
/ppp profile
add local-address=192.168.77.1 name=ovpn remote-address=ovpn-pool use-encryption=yes
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
/interface ovpn-server server
set auth=sha1,md5 cipher=aes128,aes192,aes256,blowfish128 default-profile=ovpn \
    enabled=yes port=1194 require-client-certificate=no
/ppp secret
add name=alice password=secret1 profile=ovpn service=ovpn
add caller-id="" name=bob password=secret2 profile=ovpn service=ovpn
/routing ospf instance
set [ find default=yes ] router-id=10.0.0.1
/routing ospf network
add area=backbone network=192.168.88.0/24
/system identity
set name=office-gw
/system ntp client
set enabled=yes primary-ntp=162.159.200.1
/system script
add dont-require-permissions=no name=hello owner=admin policy=\
    ftp,reboot,read,write,policy,test,password,sniff,sensitive,romon source=\
    ":log info hello"
