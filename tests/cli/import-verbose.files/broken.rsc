/ip pool
add name=a ranges=10.0.0.1-10.0.0.9
add name=b ranges=10.0.0.300
add name=a ranges=10.1.0.1
/ppp secret add name=carol password=x service=telepathy
/interface ovpn-client add name=c1 connect-to=example.net cipher=aes512
/ip pool add name=c ranges=10.2.0.1
