# /interface ethernet: roshd adopts the machine's cards as items
# (tests/interop/test-firewall.sh renames one to ether1 and uses it); with
# no roshd there are none, and the admin can not make one up.
/interface ethernet print
/interface ethernet add name=ether1
/interface ethernet add name=ether1 default-name=eth0
/interface ethernet set [find default-name=eth0] name=ether1
/interface ethernet print count-only
/ip address add address=192.168.88.1/24 interface=ether1
