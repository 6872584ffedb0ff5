#!/bin/bash
# test-radius.sh: roshd's OVPN server asks RADIUS about users not in /ppp
# secret. FreeRADIUS (Debian's) runs in a namespace of its own, with the
# config dir, users file and detail accounting made here; stock OpenVPN 2.6
# clients log in with pap and mschap2. Checked: the Access-Accept's
# Framed-IP-Address, Framed-Pool, Framed-Route, Session-Timeout and
# Mikrotik-Rate-Limit honoured; Accounting Start, Interim-Update and Stop with
# the octets of a 10 MB transfer and the Class; a Disconnect-Message and a
# CoA (radclient) on /radius incoming; failover past a dead server; a reject
# and an outage refused, with the reason in /log; Stop records sent when
# roshd stops. Skips (77) without root, openvpn or freeradius.
. "$SRC/tests/interop/lib.sh"
command -v freeradius > /dev/null && command -v radclient > /dev/null ||
	{ echo "skip: freeradius and freeradius-utils are not installed"; exit 77; }

NS_R=$NS_D		# lib.sh's second host: the RADIUS server lives there
RAD_IP=$CLI2_IP		# 10.231.1.2, reached from roshd's namespace at 10.231.1.1
RAD=$T/raddb
DEAD_IP=10.231.1.3	# nobody answers there: failover
make_net

# A FreeRADIUS of our own: its config dir, clients, users and detail file.
radius_config() {
	mkdir -p "$RAD"
	cat > "$RAD/radiusd.conf" <<-EOF
	prefix = /usr
	raddbdir = $RAD
	confdir = $RAD
	logdir = $RAD
	run_dir = $RAD
	libdir = /usr/lib/freeradius
	pidfile = $RAD/radiusd.pid
	name = freeradius
	max_request_time = 10
	cleanup_delay = 1
	max_requests = 256
	hostname_lookups = no
	log {
		destination = files
		file = $RAD/radius.log
		auth = yes
	}
	security {
		allow_core_dumps = no
		max_attributes = 200
		reject_delay = 0
		status_server = no
	}
	client roshd {
		ipaddr = 10.231.1.1
		secret = s3cret
	}
	modules {
		pap {
			normalise = yes
		}
		mschap {
		}
		files {
			filename = $RAD/users
		}
		detail {
			filename = $RAD/detail
			permissions = 0600
		}
	}
	server default {
		listen {
			type = auth
			ipaddr = $RAD_IP
			port = 1812
		}
		listen {
			type = acct
			ipaddr = $RAD_IP
			port = 1813
		}
		authorize {
			files
			mschap
			pap
		}
		authenticate {
			Auth-Type PAP {
				pap
			}
			Auth-Type MS-CHAP {
				mschap
			}
		}
		accounting {
			detail
		}
	}
	EOF
	cat > "$RAD/users" <<-'EOF'
	alice Cleartext-Password := "apass"
	    Framed-IP-Address = 192.168.77.50,
	    Framed-Route = "10.77.0.0/24 0.0.0.0 5",
	    Class = "gold-plan",
	    Acct-Interim-Interval = 2
	bob Cleartext-Password := "bpass"
	    Framed-Pool = "rad-pool",
	    Mikrotik-Rate-Limit = "4M/4M",
	    Session-Timeout = 8
	carol Cleartext-Password := "cpass", Auth-Type := Reject
	    Reply-Message = "account closed"
	dave Cleartext-Password := "dpass"
	    Mikrotik-Group = "write"
	erin Cleartext-Password := "epass"
	frank Cleartext-Password := "fpass"
	    Mikrotik-Group = "full"
	EOF
}

start_radius() {
	ip netns exec "$NS_R" freeradius -f -d "$RAD" > "$RAD/stdout.log" 2>&1 &
	RADIUS_PID=$!
	PIDS="$PIDS $RADIUS_PID"
	wait_for "$RAD/radius.log" "Ready to process requests" 10 ||
		{ echo "freeradius did not start: $(tail -n 5 "$RAD/stdout.log" "$RAD/radius.log")"; exit 1; }
}

radius_config
start_radius
base_config
rosh > "$T/radius-setup.log" 2>&1 <<-EOF || { cat "$T/radius-setup.log"; exit 1; }
/ip pool add name=rad-pool ranges=192.168.77.100-192.168.77.110
/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm keepalive-timeout=30 default-profile=ovpn disabled=no
/radius add address=$RAD_IP secret=s3cret service=ppp timeout=1s comment=main
/ppp aaa set use-radius=yes accounting=yes
/radius incoming set accept=yes
EOF
start_roshd || exit 1
client_profile p || exit 1

# conn NAME USER PASS [options]: a stock client with the exported profile
conn() {
	cp "$T/p.ovpn" "$T/$1.ovpn"
	start_client "$@" --explicit-exit-notify 1 --remap-usr1 SIGTERM
}

# refused NAME USER PASS: the client gets AUTH_FAILED
refused() {
	cp "$T/p.ovpn" "$T/$1.ovpn"
	printf '%s\n%s\n' "$2" "$3" > "$T/$1.creds"
	ns_c timeout 20 openvpn --config "$T/$1.ovpn" --auth-user-pass "$T/$1.creds" --verb 3 \
		--dev "tun-$1" --auth-retry none > "$T/$1.log" 2>&1
	grep -q AUTH_FAILED "$T/$1.log"
}

log_has() {
	for _ in $(seq $(($2 * 4))); do
		rosh -c '/log print' 2> /dev/null | grep -q -- "$1" && return 0
		sleep 0.25
	done
	return 1
}

gone() {
	for _ in $(seq $(($1 * 4))); do
		[ "$(rosh -c '/ppp active print count-only')" = 0 ] && return 0
		sleep 0.25
	done
	return 1
}

# detail_has STATUS USER SECONDS: a record of that Acct-Status-Type for the
# user in the detail file; prints the last such record
detail_record() {
	awk -v st="$1" -v u="\"$2\"" '
		/^[A-Z]/ { if (rec != "" && s && n) last = rec; rec = $0 "\n"; s = 0; n = 0; next }
		{ rec = rec $0 "\n" }
		$1 == "Acct-Status-Type" && $3 == st { s = 1 }
		$1 == "User-Name" && $3 == u { n = 1 }
		END { if (rec != "" && s && n) last = rec; printf "%s", last }' "$RAD/detail" 2> /dev/null
}
detail_has() {
	for _ in $(seq $(($3 * 4))); do
		[ -n "$(detail_record "$1" "$2")" ] && return 0
		sleep 0.25
	done
	return 1
}
attr() { detail_record "$1" "$2" | awk -v a="$3" '$1 == a { v = $3 } END { gsub(/"/, "", v); print v }'; }

# 1. PAP: address, route, Class, interim and 10 MB accounted
if conn alice alice apass; then
	grep -q "ifconfig 192.168.77.50 " "$T/alice.log" && ok "pap: Framed-IP-Address given" ||
		fail "pap: address: $(grep -o 'ifconfig [0-9. ]*' "$T/alice.log" | head -1)"
	ns_s ip route show 10.77.0.0/24 | grep -q "metric 5" && ok "pap: Framed-Route added" ||
		fail "pap: route: $(ns_s ip route show | grep 10.77)"
	through_tunnel "pap: ping and 10 MB through the tunnel"
	detail_has Start alice 5 && ok "accounting Start" || fail "no Accounting-Start"
	[ "$(attr Start alice Class)" = "0x676f6c642d706c616e" ] || [ "$(attr Start alice Class)" = "gold-plan" ] &&
		ok "Class echoed in accounting" || fail "Class: $(detail_record Start alice)"
	detail_has Interim-Update alice 6 && ok "Interim-Update every Acct-Interim-Interval" ||
		fail "no Interim-Update"
	stop_client "$CLIENT_PID"
	if detail_has Stop alice 10; then
		in=$(attr Stop alice Acct-Input-Octets)
		[ "${in:-0}" -ge 10485760 ] && [ "${in:-0}" -lt 13000000 ] &&
			ok "Stop: Acct-Input-Octets $in after 10 MB" || fail "Stop octets: $(detail_record Stop alice)"
		[ "$(attr Stop alice Acct-Terminate-Cause)" = User-Request ] &&
		[ "$(attr Stop alice Calling-Station-Id)" != "" ] &&
		[ "$(attr Stop alice NAS-Identifier)" = rosh ] &&
		[ "$(attr Stop alice Framed-IP-Address)" = 192.168.77.50 ] &&
			ok "Stop: cause, caller, NAS-Identifier, address" || fail "Stop record: $(detail_record Stop alice)"
	else
		fail "no Accounting-Stop"
	fi
	gone 10
else
	fail "pap login: $(tail -3 "$T/alice.log"; rosh -c '/log print' | tail -3)"
fi

# 2. MS-CHAPv2 from the password: pool, rate limit, session-timeout
rosh -c '/interface ovpn-server server set srv user-auth-method=mschap2' || fail "set mschap2"
sleep 0.5
if conn bob bob bpass; then
	grep -q "ifconfig 192.168.77.1[01][0-9]* " "$T/bob.log" && ok "mschap2: address from Framed-Pool" ||
		fail "mschap2: pool: $(grep -o 'ifconfig [0-9. ]*' "$T/bob.log" | head -1)"
	t0=$(date +%s%N)
	ip netns exec "$NS_S" "$XFER" -l 5002 1048576 > "$T/rate.out" 2>&1 &
	rx=$!
	PIDS="$PIDS $rx"
	sleep 0.3
	ns_c "$XFER" -c 192.168.77.1 5002 1048576 > /dev/null 2>&1
	wait "$rx"
	ms=$((($(date +%s%N) - t0) / 1000000))
	grep -q "^ok 1048576" "$T/rate.out" || fail "rate limit: transfer: $(cat "$T/rate.out")"
	# 1 MB at 4 Mbit/s takes 2 s; unlimited it takes a fraction of one
	[ "$ms" -ge 1500 ] && ok "Mikrotik-Rate-Limit 4M/4M holds 1 MB to ${ms} ms" ||
		fail "rate limit: 1 MB in $ms ms"
	gone 20 && ok "Session-Timeout from RADIUS ends the session" || fail "session-timeout: still up"
	detail_has Stop bob 5 && [ "$(attr Stop bob Acct-Terminate-Cause)" = Session-Timeout ] &&
		ok "Stop says Session-Timeout" || fail "bob stop: $(detail_record Stop bob)"
	stop_client "$CLIENT_PID"
else
	fail "mschap2 login: $(tail -3 "$T/bob.log"; rosh -c '/log print' | tail -3)"
fi

# 3. Disconnect-Message and CoA on /radius incoming
if conn dis alice apass; then
	echo 'User-Name = "alice", Mikrotik-Rate-Limit = "1M/1M"' |
		ip netns exec "$NS_R" radclient -x 10.231.1.1:3799 coa s3cret > "$T/coa.log" 2>&1
	grep -q "CoA-ACK" "$T/coa.log" && log_has "CoA: rate-limit of alice now 1M/1M" 5 &&
		ok "CoA changes the rate limit" || fail "CoA: $(cat "$T/coa.log")"
	echo 'User-Name = "alice"' |
		ip netns exec "$NS_R" radclient -x -r 1 -t 2 10.231.1.1:3799 disconnect wrong > "$T/dis0.log" 2>&1
	[ "$(rosh -c '/ppp active print count-only')" = 1 ] && ok "Disconnect with a wrong secret ignored" ||
		fail "wrong secret: session gone"
	echo 'User-Name = "alice"' |
		ip netns exec "$NS_R" radclient -x 10.231.1.1:3799 disconnect s3cret > "$T/dis.log" 2>&1
	grep -q "Disconnect-ACK" "$T/dis.log" && gone 10 && ok "Disconnect-Message ends the session" ||
		fail "disconnect: $(cat "$T/dis.log")"
	detail_has Stop alice 5 && [ "$(attr Stop alice Acct-Terminate-Cause)" = Admin-Reset ] &&
		ok "Stop says Admin-Reset" || fail "disconnect stop: $(detail_record Stop alice)"
	stop_client "$CLIENT_PID"
else
	fail "login for disconnect: $(tail -3 "$T/dis.log")"
fi

# 4. failover: the first server never answers, the second does (servers
# are asked in the order they were added). Meanwhile a /ppp secret user's
# session carries pings: the loop does not wait on RADIUS.
rosh -c '/radius remove [find comment=main]'
rosh -c "/radius add address=$DEAD_IP secret=s3cret timeout=3s comment=dead"
rosh -c "/radius add address=$RAD_IP secret=s3cret timeout=1s comment=main"
ping_pid=
if conn keep client1 123; then
	addr=$(grep -o 'ifconfig 192\.168\.77\.[0-9]*' "$T/keep.log" | head -1 | cut -d' ' -f2)
	keep_pid=$CLIENT_PID
	ns_s ping -c 25 -i 0.2 -W 1 "$addr" > "$T/busy-ping.log" 2>&1 &
	ping_pid=$!
	PIDS="$PIDS $ping_pid"
else
	fail "local session beside RADIUS: $(tail -3 "$T/keep.log")"
fi
t0=$(date +%s)
if conn fo alice apass; then
	ok "failover to the second server, after $(($(date +%s) - t0)) s"
	rosh -c '/radius monitor [find address=10.231.1.3] once' | grep -q "timeouts: [1-9]" &&
		ok "/radius monitor counts the dead server's timeouts" ||
		fail "monitor: $(rosh -c '/radius monitor [find address=10.231.1.3] once')"
	stop_client "$CLIENT_PID"
	gone 10 || true
else
	fail "failover: $(tail -3 "$T/fo.log"; rosh -c '/log print' | tail -3)"
fi
if [ -n "$ping_pid" ]; then
	wait "$ping_pid"
	# every ping answered, none held a second: the login's wait held nothing up
	grep -q " 0% packet loss" "$T/busy-ping.log" &&
		awk -F/ '/^rtt/ { exit !($6 < 1000) }' "$T/busy-ping.log" &&
		ok "a session's pings flow while RADIUS is waited for ($(grep ^rtt "$T/busy-ping.log"))" ||
		fail "pings while RADIUS waits: $(tail -2 "$T/busy-ping.log")"
	stop_client "$keep_pid"
fi
gone 10

rosh -c '/radius remove [find comment=dead]'

# 5. roshd stopping sends the Stop of its sessions before it exits
if conn nas alice apass; then
	before=$(grep -c "Acct-Terminate-Cause = NAS-Reboot" "$RAD/detail")
	stop_roshd
	[ "$(grep -c "Acct-Terminate-Cause = NAS-Reboot" "$RAD/detail")" -gt "$before" ] &&
		ok "roshd stopping: Stop with NAS-Reboot sent first" || fail "no Stop at shutdown"
	stop_client "$CLIENT_PID"
	start_roshd || exit 1
else
	fail "login before shutdown: $(tail -3 "$T/nas.log")"
fi

# 6. router logins (REST here) of names /user lacks, through /user aaa:
# the group from Mikrotik-Group, else default-group; exclude-groups; Start
# and Stop with Service-Type Login-User
WWW=8080
rosh -c "/radius add address=$RAD_IP secret=s3cret service=login timeout=1s comment=login" &&
	rosh -c "/ip service set www port=$WWW disabled=no" || fail "login setup"
rest() {	# USER PASS METHOD PATH [JSON]: prints the HTTP code
	ns_c curl -s -o "$T/rest.body" -w '%{http_code}' -u "$1:$2" -X "$3" \
		${5:+-H content-type:application/json -d "$5"} "http://$SRV_IP:$WWW/rest$4"
}
for _ in $(seq 40); do [ "$(rest x y GET /system/identity)" = 401 ] && break; sleep 0.25; done
[ "$(rest dave dpass GET /system/identity)" = 401 ] &&
	ok "use-radius=no: a name /user lacks is not asked" || fail "RADIUS asked with use-radius=no"
rosh -c '/user aaa set use-radius=yes exclude-groups=full' || fail "set /user aaa"
code=$(rest dave dpass PUT /ip/pool '{"name":"from-radius","ranges":"10.9.9.1-10.9.9.9"}')
[ "$code" = 201 ] || [ "$code" = 200 ] && [ "$(rosh -c '/ip pool print count-only where name=from-radius')" = 1 ] &&
	ok "RADIUS login with Mikrotik-Group=write: a write is allowed" || fail "dave: $code $(cat "$T/rest.body")"
detail_has Start dave 5 && [ "$(attr Start dave Service-Type)" = Login-User ] && detail_has Stop dave 5 &&
	ok "login accounting: Start and Stop, Service-Type Login-User" || fail "dave accounting: $(detail_record Start dave)"
[ "$(rest erin epass GET /system/identity)" = 200 ] && ok "no Mikrotik-Group: default-group (read) logs in" ||
	fail "erin read: $(cat "$T/rest.body")"
[ "$(rest erin epass PUT /ip/pool '{"name":"no","ranges":"10.9.8.1"}')" = 403 ] &&
	ok "default-group read: a write is refused" || fail "erin wrote: $(cat "$T/rest.body")"
[ "$(rest frank fpass GET /system/identity)" = 401 ] &&
	log_has "login failure for user frank .*exclude-groups" 5 && [ -z "$(detail_record Start frank)" ] &&
	ok "a group exclude-groups names is refused, and no Start is sent" ||
	fail "frank: $(rosh -c '/log print' | tail -2) $(detail_record Start frank)"
[ "$(rest dave wrong GET /system/identity)" = 401 ] && log_has "login failure for user dave .*RADIUS: rejected" 5 &&
	ok "a wrong password: refused, RADIUS's answer in /log" || fail "dave wrong: $(rosh -c '/log print' | tail -2)"
rosh -c '/radius remove [find comment=login]'

# 7. a reject and an outage are refused, with the reason in /log
refused rej carol cpass && log_has "login of carol .*refused: rejected by $RAD_IP: account closed" 5 &&
	ok "Access-Reject: AUTH_FAILED, reason in /log" || fail "reject: $(tail -2 "$T/rej.log")"
kill "$RADIUS_PID"
refused out alice apass && log_has "login of alice .*refused: RADIUS: no RADIUS server answered" 5 &&
	ok "RADIUS down: refused, reason in /log" || fail "outage: $(tail -2 "$T/out.log")"
refused local client1 wrong && log_has "login of client1 .*refused: wrong password" 5 &&
	ok "a /ppp secret user is checked there, not asked of RADIUS" || fail "local user: $(tail -2 "$T/local.log")"

[ "$FAILS" = 0 ] || { echo "$FAILS failures; roshd log tail:"; tail -20 "$T/roshd.log"; }
exit "$FAILS"
