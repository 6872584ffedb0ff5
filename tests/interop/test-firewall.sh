#!/bin/bash
# test: alone (its verdicts wait a bounded time for packets to pass)
# test-firewall.sh: /ip firewall filter and address-list applied by roshd as
# the table "ip rosh-filter", in a router namespace with its own database
# (never on the machine running the test: a drop rule there could lock it
# out). A LAN host pings the router and opens TCP connections to it; each
# rule a VPN guide writes is checked by what passes and what does not, with
# bounded timeouts. Then a PPP profile's address-list: a stock OpenVPN
# client's tunnel address joins the list while its session is up.
# Skips (77) without root, nft or openvpn.
. "$SRC/tests/interop/lib.sh"
command -v nft > /dev/null || { echo "skip: nft is not installed (nftables)"; exit 77; }
# Its verdicts are TCP connections and pings with short timeouts; in the
# sanitizer build, run beside the plain suite as .ci/run does, even "no rules,
# no drop" failed on a loaded machine. The plain suite runs it in full; the
# engine code it drives is the same.
grep -q -- "--enable-sanitize" "$BUILD/config.log" 2> /dev/null &&
	{ echo "skip: sanitizer build (timing-bound verdicts; the plain suite runs this test)"; exit 77; }

LAN=vs$$

wait_until() {
	local n=$(($1 * 10))
	shift
	for _ in $(seq "$n"); do "$@" > /dev/null 2>&1 && return 0; sleep 0.1; done
	return 1
}
table() { ns_s nft list table ip rosh-filter 2>&1; }
in_table() { table | grep -q -- "$1"; }
pings() { ns_c ping -c 1 -W 1 "$SRV_IP" > /dev/null 2>&1; }
# tcp_to PORT [SECONDS]: a connection from the LAN host to the router's PORT
# succeeds and carries its bytes within SECONDS (10: a loaded machine is
# slow to start programs; where a drop is expected, 4 is plenty)
tcp_to() {
	ip netns exec "$NS_S" timeout $((${2:-10} + 5)) "$XFER" -l "$1" 1000 > "$T/tcp.out" 2>&1 &
	local rx=$!
	PIDS="$PIDS $rx"
	wait_until 10 listening "$1"	# a sanitizer build under load starts slowly
	ns_c timeout "${2:-10}" "$XFER" -c "$SRV_IP" "$1" 1000 > "$T/tcp.send" 2>&1
	local rc=$?
	kill "$rx" 2> /dev/null
	wait "$rx" 2> /dev/null
	[ $rc = 0 ] && grep -q "^ok 1000" "$T/tcp.out"
}
listening() { ns_s ss -Hltn "sport = :$1" | grep -q .; }
# flags NUMBER MENU: the flags column of a print line
flags_of() { rosh -c "/$2 print" | awk -v n="$1" '$1 == n { print substr($0, length($1) + 2, 6) }'; }

make_net
# the router namespace's own hosts and resolver files (ip netns exec puts
# them over /etc's): names of the test resolve from hosts, and any DNS
# query goes to 127.0.0.1 in the namespace, where nothing answers
mkdir -p "/etc/netns/$NS_S"
trap 'rm -rf "/etc/netns/$NS_S"; rmdir /etc/netns 2> /dev/null; cleanup' EXIT
printf '127.0.0.1 localhost\n%s lanhost.rosh-test\n' "$CLI_IP" > "/etc/netns/$NS_S/hosts"
echo "nameserver 127.0.0.1" > "/etc/netns/$NS_S/resolv.conf"
# roshd (and date here) 10 hours behind UTC: time= is read in the local
# zone, and the kernel matches in UTC
export TZ=ROSH+10
TZ_OFF=-36000
base_config
rosh -c '/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm auth=sha1 keepalive-timeout=5 disabled=no' ||
	exit 1
start_roshd || exit 1

# --- /interface ethernet: the card under a RouterOS name ---
listed() { rosh -c "/$1 print" | grep -qE "$2"; }
wait_until 5 listed "interface ethernet" " $LAN +$LAN " && ok "veth adopted in /interface ethernet" ||
	fail "no $LAN: $(rosh -c '/interface ethernet print')"
rosh -c "/interface ethernet set [find default-name=$LAN] name=ether1" || fail "rename to ether1"
wait_until 3 listed "interface" " ether1 +ether " && ok "/interface shows ether1" ||
	fail "no ether1: $(rosh -c '/interface print')"
listed "interface" " $LAN " && fail "the kernel name is still listed: $(rosh -c '/interface print')"
listed "interface ethernet" "R +ether1 +$LAN" || fail "ether1 not running: $(rosh -c '/interface ethernet print')"
rosh -c "/ip address add address=10.231.0.5/24 interface=ether1" || fail "address on ether1"
wait_until 3 sh -c "ip netns exec $NS_S ip -4 addr show dev $LAN | grep -q 'inet 10.231.0.5/24'" &&
	ok "an address on ether1 is on $LAN" || fail "10.231.0.5 not on $LAN: $(ns_s ip -4 addr)"
rosh -c '/export' | grep -q "set \[ find default-name=$LAN \] name=ether1" && ok "export names the card" ||
	fail "export: $(rosh -c '/export' | grep -A2 ethernet)"
rosh -c "/interface ethernet set ether1 mtu=1400"
wait_until 3 sh -c "ip netns exec $NS_S ip link show $LAN | grep -q 'mtu 1400'" && ok "mtu set on the card" ||
	fail "mtu: $(ns_s ip link show "$LAN")"

pings && tcp_to 7001 && ok "no rules: everything passes" || fail "no rules, yet no traffic"
table | grep -q "No such file" && ok "no rules, no table" || fail "table with no rules: $(table)"

# --- what VPN guides write ---
rosh > "$T/rules.log" 2>&1 <<EOF2 || fail "rules refused: $(cat "$T/rules.log")"
/ip firewall filter
add chain=input connection-state=established,related action=accept comment="established"
add chain=input protocol=udp dst-port=1194 action=accept comment="allow ovpn"
add chain=input protocol=tcp dst-port=7001,7003-7004 action=accept comment="allow tcp"
add chain=input protocol=icmp src-address-list=pingers action=accept comment="pingers"
add chain=input protocol=tcp dst-port=7005 action=reject reject-with=tcp-reset comment="reset"
add chain=input action=drop in-interface=ether1 comment="drop the rest"
add chain=forward action=drop connection-state=new connection-nat-state=!dstnat in-interface=ether1 comment="defconf"
EOF2
wait_until 3 in_table 'iifname "'"$LAN"'" .*drop' && ok "rules in table ip rosh-filter, ether1 as $LAN" ||
	fail "no drop rule: $(table)"
in_table 'ct state established,related .*accept' || fail "no ct state rule: $(table)"
in_table 'udp dport 1194 .*accept' || fail "no udp 1194 rule: $(table)"
in_table 'ct state new ct status ! dnat' || fail "no !dstnat rule: $(table)"
tcp_to 7001 && ok "tcp 7001 accepted" || fail "tcp 7001 dropped: $(cat "$T/tcp.send" "$T/tcp.out")"
tcp_to 7004 && ok "tcp 7004 (in a range) accepted" || fail "tcp 7004 dropped: $(cat "$T/tcp.send" "$T/tcp.out")"
tcp_to 7002 4 && fail "tcp 7002 passes the drop rule" || ok "tcp 7002 dropped"
pings && fail "ping passes though not in pingers" || ok "ping dropped (not in pingers)"
start=$(date +%s)
tcp_to 7005 4 && fail "tcp 7005 passes the reject rule"
grep -qi "refused" "$T/tcp.send" && [ $(($(date +%s) - start)) -lt 4 ] &&
	ok "tcp 7005 rejected with a reset" || fail "7005: $(cat "$T/tcp.send")"

# counters: the item of a rule split in two (7001, 7003-7004) adds both up
counted() { rosh -c '/ip firewall filter print stats where comment="allow tcp"' | awk '$2 == "input" && $4 > 0 { f = 1 } END { exit !f }'; }
wait_until 3 counted && ok "print stats counts the rule's packets" ||
	fail "no counters: $(rosh -c '/ip firewall filter print stats')"

# --- address lists ---
rosh -c "/ip firewall address-list add list=pingers address=10.231.0.0/28 comment=lan" ||
	fail "add address-list entry"
wait_until 3 pings && ok "in pingers: ping accepted" || fail "ping dropped with the client in pingers"
rosh -c "/ip firewall address-list set [find list=pingers] address=10.231.0.100-10.231.0.120"
wait_until 3 sh -c "! ip netns exec $NS_C ping -c 1 -W 1 $SRV_IP" && ok "range without us: dropped" ||
	fail "ping still passes after the entry changed"
rosh -c "/ip firewall address-list add list=pingers address=$CLI_IP timeout=3s"
wait_until 3 pings && ok "an entry with a timeout: accepted" || fail "timeout entry not applied"
sleep 3
wait_until 3 sh -c "! ip netns exec $NS_C ping -c 1 -W 1 $SRV_IP" && ok "timeout passed: dropped again" ||
	fail "the entry outlived its timeout"
rosh -c "/ip firewall address-list add list=pingers address=lanhost.rosh-test"
wait_until 5 pings && ok "a DNS name resolved into the list: accepted" ||
	fail "name not resolved: $(table | grep -A4 'set al1')"
rosh -c "/ip firewall address-list remove [find address=lanhost.rosh-test]"
wait_until 3 sh -c "! ip netns exec $NS_C ping -c 1 -W 1 $SRV_IP" || fail "the name's address stays"
rosh -c "/ip firewall address-list add list=pingers address=nosuch.invalid"
wait_until 10 listed "ip firewall address-list" "I +pingers +nosuch.invalid" &&
	ok "a name that does not resolve is marked invalid" ||
	fail "bad name: $(rosh -c '/ip firewall address-list print')"
rosh -c '/log print' | grep -q "does not resolve" || fail "no /log line for the bad name"

# --- a rule the table can not express: left out, marked, logged ---
rosh -c "/ip firewall filter add chain=input protocol=udp action=reject reject-with=tcp-reset place-before=0"
wait_until 3 listed "ip firewall filter" "^0 +I +input +reject +udp" &&
	ok "tcp-reset without tcp: invalid" || fail "no I flag: $(rosh -c '/ip firewall filter print')"
rosh -c '/log print' | grep -q "reject-with=tcp-reset needs protocol tcp" || fail "no reason in /log"
tcp_to 7001 || fail "an invalid rule broke the others: $(cat "$T/tcp.send" "$T/tcp.out"; table; rosh -c '/ip firewall filter print')"
rosh -c "/ip firewall filter remove 0"

# --- interface lists, as RouterOS's default configuration writes them ---
rosh > "$T/lists.log" 2>&1 <<EOF2 || fail "interface lists refused: $(cat "$T/lists.log")"
/interface list add name=LAN
/interface list member add list=LAN interface=ether1
/ip firewall filter add chain=input protocol=tcp dst-port=7002 in-interface-list=LAN action=accept place-before=0 comment=lanlist
EOF2
wait_until 3 in_table 'iifname "'"$LAN"'" .*dport 7002 .*accept' && tcp_to 7002 &&
	ok "in-interface-list=LAN: a rule for its member, tcp 7002 accepted" ||
	fail "LAN list: $(table | grep 7002)"
rosh -c '/ip firewall filter set [find comment=lanlist] in-interface-list=!LAN'
wait_until 3 in_table 'iifname != "'"$LAN"'" .*dport 7002 .*accept' &&
	! tcp_to 7002 4 && ok "in-interface-list=!LAN: the member is left out, 7002 dropped" ||
	fail "!LAN: $(table | grep 7002)"
rosh -c '/ip firewall filter remove [find comment=lanlist]'
rosh -c '/ip firewall filter add chain=input connection-mark=no-mark dst-address-type=broadcast src-address-type=!local packet-size=!0-1500 action=drop place-before=0 comment=kinds' ||
	fail "address types refused"
wait_until 3 in_table 'ct mark 0x00000000 fib saddr type != local fib daddr type broadcast meta length != 0-1500' &&
	tcp_to 7001 && ok "address types and packet-size in the table, others unharmed" ||
	fail "address types: $(table | grep -i fib)"
rosh -c '/ip firewall filter remove [find comment=kinds]'

# --- disabled, user chains, jump and return ---
rosh -c '/ip firewall filter disable [find comment="drop the rest"]'
# each rosh command tells roshd of its commit: applied at once, but a loaded
# sanitizer build may take a moment, so up to three tries
passed=no
for _ in 1 2 3; do tcp_to 7002 5 && { passed=yes; break; }; done
[ $passed = yes ] && ok "drop rule disabled: tcp 7002 passes" || fail "disabled rule still drops"
rosh > "$T/jump.log" 2>&1 <<EOF2 || fail "jump rules refused: $(cat "$T/jump.log")"
/ip firewall filter
add chain=input protocol=tcp action=jump jump-target=tcp-in place-before=[find comment="established"]
add chain=tcp-in protocol=tcp dst-port=7002 action=drop comment="in a chain of our own"
add chain=tcp-in action=return
EOF2
wait_until 3 in_table 'jump tcp-in' && ok "jump to a chain of our own" || fail "no jump: $(table)"
tcp_to 7002 4 && fail "tcp 7002 passes the user chain's drop" || ok "user chain drops 7002"
tcp_to 7001 && ok "return from the user chain: 7001 accepted" || fail "7001 dropped after return: $(cat "$T/tcp.send" "$T/tcp.out")"

# --- PPP profile address-list: the tunnel address joins while up ---
rosh -c '/ppp profile set ovpn address-list=vpn-users'
rosh -c '/ip firewall filter add chain=input src-address-list=vpn-users protocol=tcp dst-port=7006 action=accept place-before=0'
rosh -c "/ip firewall filter add chain=input protocol=tcp dst-port=7006 action=drop place-before=1"
sleep 0.5
tcp_to 7006 4 && fail "tcp 7006 from the LAN passes: not in vpn-users" || ok "tcp 7006 dropped for the LAN host"
client_profile fw || fail "export"
if start_client fw client1 123; then
	ip netns exec "$NS_S" timeout 6 "$XFER" -l 7006 1000 > "$T/ppp.out" 2>&1 &
	rx=$!
	PIDS="$PIDS $rx"
	wait_until 3 listening 7006
	ns_c timeout 3 "$XFER" -c 192.168.77.1 7006 1000 > /dev/null 2>&1
	wait "$rx"
	grep -q "^ok 1000" "$T/ppp.out" && ok "session up: its address is in vpn-users" ||
		fail "tunnel tcp 7006 dropped: $(cat "$T/ppp.out"; table)"
	stop_client "$CLIENT_PID"
	# no exit notification: the server ends the session at its keepalive timeout (10 s)
	wait_until 20 sh -c "! ip netns exec $NS_S nft list table ip rosh-filter | grep -q 192.168.77" &&
		ok "session down: the address leaves the list" || fail "address stays: $(table)"
else
	fail "no tunnel: $(tail -3 "$T/fw.log")"
fi

# --- add-src-to-address-list: the kernel adds to a dynamic set, print shows D ---
rosh > "$T/add.log" 2>&1 <<EOF2 || fail "add-to-list rules refused: $(cat "$T/add.log")"
/ip firewall filter
add chain=input protocol=tcp dst-port=7007 action=add-src-to-address-list address-list=knockers address-list-timeout=1h place-before=0 comment=knock
add chain=input protocol=tcp dst-port=7010 action=add-src-to-address-list address-list=brief address-list-timeout=3s place-before=0 comment=brief
add chain=input protocol=tcp dst-port=7008 src-address-list=!knockers action=drop place-before=0
add chain=input protocol=tcp dst-port=7009 src-address-list=knockers action=accept place-before=0
add chain=input protocol=tcp dst-port=7009 action=drop
EOF2
knock() { ns_c timeout 3 "$XFER" -c "$SRV_IP" "$1" 10 > /dev/null 2>&1; return 0; }
# in_set LIST TIMEOUT-ERE: the client's address is in the list's dynamic set
in_set() { table | awk -v s="comment \"$1\"" -v e="$CLI_IP timeout $2" 'index($0, "set ad") { on = 1; hit = 0 }
	on && index($0, s) { hit = 1 } on && hit && $0 ~ e { f = 1 } on && /^\t}/ { on = 0 } END { exit !f }'; }
wait_until 3 in_table 'update @ad[0-9]* { ip saddr timeout 1h }' && ok "add-src-to-address-list as a dynset in the table" ||
	fail "no dynset: $(table)"
tcp_to 7008 4 && fail "tcp 7008 passes before the knock" || ok "tcp 7008 dropped before the knock"
tcp_to 7009 4 && fail "tcp 7009 passes before the knock" || ok "tcp 7009 dropped before the knock"
knock 7007
wait_until 3 in_set knockers 1h && ok "after the knock the source is in the kernel's set, timeout 1h" ||
	fail "no entry: $(table | grep -A6 'set ad')"
wait_until 3 listed "ip firewall address-list" "D +knockers +$CLI_IP +59m[0-9]+s" &&
	ok "address-list print shows it as D with the time left" ||
	fail "no D item: $(rosh -c '/ip firewall address-list print')"
tcp_to 7008 && ok "src-address-list=!knockers no longer drops tcp 7008" ||
	fail "7008 still dropped: $(cat "$T/tcp.send" "$T/tcp.out"; table | grep -E '7008|ad0|elements')"
tcp_to 7009 && ok "src-address-list=knockers accepts tcp 7009 from the dynamic set" || fail "7009 dropped: $(table)"
rosh -c '/ip firewall filter add chain=input protocol=tcp dst-port=7099 action=accept comment=rewrite'
wait_until 3 in_table 'dport 7099' && in_set knockers '59m[0-9]+s' && tcp_to 7008 &&
	ok "a rewrite of the table keeps the entry with the time it had left" ||
	fail "entry lost on rewrite: $(table | grep -A6 'set ad')"
knock 7010
wait_until 3 in_set brief '[0-9]s' && ok "a 3s entry is in its set" || fail "no brief entry: $(table | grep -A6 'set ad')"
wait_until 3 listed "ip firewall address-list" "D +brief +$CLI_IP" || fail "brief not shown: $(rosh -c '/ip firewall address-list print')"
brief_gone() { ! listed "ip firewall address-list" "D +brief" && ! in_set brief '[0-9]'; }
sleep 2
wait_until 4 brief_gone &&
	ok "after 3s the kernel dropped it and print no longer shows it" ||
	fail "brief outlived its timeout: $(rosh -c '/ip firewall address-list print'; table | grep -A6 'set ad')"
for p in 7007 7008 7009 7010 7099; do rosh -c "/ip firewall filter remove [find dst-port=$p]"; done

# --- time=: in the router's zone (roshd runs at TZ=ROSH+10, UTC-10) ---
now=$(date +%s)
sec=$(( (now + TZ_OFF) % 86400 ))
today=$(date +%a | tr A-Z a-z)
others=$(for d in sun mon tue wed thu fri sat; do [ "$d" = "$today" ] || printf ',%s' "$d"; done)
if [ $sec -gt 600 ] && [ $sec -lt 85800 ]; then
	lo=$((sec > 3600 ? sec - 3600 : 0)) hi=$((sec + 3600 < 86400 ? sec + 3600 : 86400))
	if [ $sec -gt 7200 ]; then away="0-$((sec - 3600))"; else away="$((sec + 3600))-86400"; fi
	rosh > "$T/time.log" 2>&1 <<EOF2 || fail "time rules refused: $(cat "$T/time.log")"
/ip firewall filter
add chain=input protocol=tcp dst-port=7011 action=drop time=$lo-$hi,$today place-before=0
add chain=input protocol=tcp dst-port=7012 action=drop time=$away,$today place-before=0
add chain=input protocol=tcp dst-port=7013 action=drop time=$lo-$hi$others place-before=0
EOF2
	wait_until 3 in_table 'meta hour' || fail "no meta hour: $(table)"
	tcp_to 7011 4 && fail "tcp 7011 passes a time= that holds now: $(table | grep 7011)" ||
		ok "time= that holds now (local zone UTC-10) drops tcp 7011"
	tcp_to 7012 && ok "time= of other hours today lets tcp 7012 pass" || fail "7012 dropped: $(table | grep 7012)"
	tcp_to 7013 && ok "time= of these hours on other days lets tcp 7013 pass" || fail "7013 dropped: $(table | grep 7013)"
	for p in 7011 7012 7013; do rosh -c "/ip firewall filter remove [find dst-port=$p]"; done
else
	ok "time=: skipped, within 10 minutes of midnight (UTC-10)"
fi

# --- no rules, no table ---
rosh -c '/ip firewall filter remove [find]'
wait_until 3 sh -c "ip netns exec $NS_S nft list table ip rosh-filter 2>&1 | grep -q 'No such file'" &&
	ok "all rules removed: table gone" || fail "table stays: $(table)"
pings && ok "traffic back" || fail "ping dropped with no rules"

[ "$FAILS" = 0 ]
