#!/bin/bash
# clients.sh: a thousand clients at once, each passing traffic, against roshd
# and against a stock OpenVPN 2.6 server in the same run, with the same load
# generator (bench/hs_load: our protocol core as many clients from one
# process), the same certificates and the same users. For each server:
#   1. connect N clients (after WARM that fill one-time caches): time for all
#      of them, handshakes per second, server CPU per handshake;
#   2. server VmRSS per connected client ((after - before) / N) and open
#      descriptors per client;
#   3. every session pings the server's tunnel address at RATE a second for
#      TDUR s: sessions that passed traffic both ways, packets, Mbit/s, server
#      CPU, CPU per Mbit;
#   4. what breaks first: the rate doubles every RAMP_DUR s (RAMP_STEPS at
#      most) until more than LOSS_PCT % of the replies are lost, naming what
#      gave out (server CPU, the load generator, socket buffers, tun queues);
#      then EXTRA more clients connect, and whatever refused them is named
#      (descriptors, pool, max-clients, timeouts, server CPU).
# Figures only: nothing is asserted about speed or size. Exit 1 when
# something broke (a server died or did not start, fewer than N clients came
# up, hs_load did not build), 77 when a prerequisite is missing.
# Two network namespaces made here, joined by one veth (10.234.0.0/24); all
# of it is removed on exit, processes stopped by PID.
#
# Usage: sudo bash bench/clients.sh [BUILD_DIR]       (see bench/README.md)
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
BUILD=$(cd "${1:-$top}" && pwd) || exit 2

N=${N:-1000}			# clients held at once
WARM=${WARM:-20}		# clients before the baseline (TLS context, ECC cache)
K=${K:-64}			# handshakes in flight while connecting
RATE=${RATE:-1}			# echo requests a second per session
SIZE=${SIZE:-1000}		# ICMP payload bytes (1028-byte IP packets)
TDUR=${TDUR:-10}		# seconds of the traffic window
RAMP_STEPS=${RAMP_STEPS:-7}	# rate doublings at most
RAMP_DUR=${RAMP_DUR:-5}		# seconds per step
LOSS_PCT=${LOSS_PCT:-2}		# replies lost that end the ramp
EXTRA=${EXTRA:-1000}		# clients added after the ramp (N+EXTRA in all)
SERVERS=${SERVERS:-"roshd openvpn"}
NOFILE=${NOFILE:-65536}		# ulimit -n for the servers and hs_load (or the hard limit)
TIMEOUT=${TIMEOUT:-60}		# seconds a handshake may take
SRV_NOFILE=${SRV_NOFILE:-}		# the server's own soft ulimit -n, to see where it stops (1024: a usual default)
NICE=${NICE:-0}			# nice for the servers and hs_load alike (root: negative is allowed)

if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root (namespaces, tun)"; exit 77; fi
for t in openvpn ip gcc awk; do
	command -v "$t" > /dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
[ -c /dev/net/tun ] || { echo "SKIP: no /dev/net/tun"; exit 77; }
for f in "$BUILD/rosh" "$BUILD/roshd" "$BUILD/libovpn.a"; do
	[ -e "$f" ] || { echo "FAIL: $f is not built (make -j2)"; exit 1; }
done
# as high as asked, or as the hard limit allows (a container may cap it)
ulimit -n "$NOFILE" 2> /dev/null || ulimit -n "$(ulimit -Hn)" ||
	{ echo "FAIL: can not raise ulimit -n"; exit 1; }

W=$(mktemp -d /tmp/rosh-clients.XXXXXX)
NS_S=rls$$
NS_C=rlc$$
VS=rlvs$$
VC=rlvc$$
SRV_IP=10.234.0.1
CLI_IP=10.234.0.2
PIDS=""
BROKEN=0
HZ=$(getconf CLK_TCK)
TOTAL=$((WARM + N + EXTRA))

# shellcheck source=bench/lib.sh
. "$here/lib.sh"
nfds() { ls "/proc/$1/fd" 2> /dev/null | wc -l; }
# nanoseconds on a core and waiting for one, summed over a process's threads
sched_ns() { cat /proc/"$1"/task/*/schedstat 2> /dev/null | awk '{ r += $1; w += $2 } END { print r + 0, w + 0 }'; }
# sample PID SECONDS OUT: where the process's main thread is, 10 times a
# second: R (on a core or waiting for one) or the kernel function it sleeps in
sample() {
	local st wc
	for _ in $(seq $(($2 * 10))); do
		read -r st < "/proc/$1/stat" 2> /dev/null || break
		st=${st##*) }
		# wchan ends without a newline: read fails at its end but fills wc
		if [ "${st%% *}" = R ]; then echo R; else wc=; read -r wc < "/proc/$1/wchan"; echo "${wc:-0}"; fi
		sleep 0.1
	done > "$3"
}
# where SAMPLES: the shares, named
where() {
	sort "$1" | uniq -c | sort -rn | awk -v n="$(wc -l < "$1")" '
		{ w = $2
		  if (w == "R") w = "running or runnable"
		  else if (w ~ /epoll|ep_poll|poll_schedule|do_select/) w = "idle in poll or epoll"
		  else if (w ~ /do_wait|wait4|waitid/) w = "waiting for a child process"
		  else if (w == "0") w = "asleep (no wchan given)"
		  else w = "asleep in " w
		  out = out sprintf("%s%.0f%% %s", (out == "" ? "" : ", "), $1 * 100 / n, w) }
		END { print out }' | cut -c1-200
}
# probe_start / probe_end: the same, around a phase of unknown length;
# probe_end sets PROBE to a line of text
probe_start() {
	sample "$SRV_PID" 600 "$W/probe" &
	PROBE_PID=$!
	track "$PROBE_PID"
	PROBE_Q=$(sched_ns "$SRV_PID") PROBE_T=$(now)
}
probe_end() {
	local q t
	q=$(sched_ns "$SRV_PID") t=$(now)
	stop_pid "$PROBE_PID"
	PROBE="waited for a core $(calc "split(\"$PROBE_Q\", a, \" \"); split(\"$q\", b, \" \"); printf \"%.0f\", (b[2] - a[2]) / 1e7 / ($t - $PROBE_T)")% of the time; main thread: $(where "$W/probe")"
}
# the whole machine's CPU jiffies: "busy total" over every core
cpu_all() { awk '/^cpu / { t = 0; for (i = 2; i <= NF; i++) t += $i; print t - $5 - $6, t }' /proc/stat; }
calc() { awk "BEGIN { $1 }"; }

say "== rosh clients benchmark: $N clients (+$WARM warm-up, +$EXTRA to push further), $(nproc) cores, $(uname -r), $(openvpn --version | head -1 | cut -d' ' -f1-2)"
say "   build $BUILD; work $W; ulimit -n $(ulimit -n)"
if ! bash "$here/hs_load_build.sh" "$BUILD" "$W/hs_load" "$W/cc.log"; then
	say "FAIL: hs_load does not build:"; cat "$W/cc.log"; exit 1
fi

ip netns add "$NS_S" && ip netns add "$NS_C" || { say "FAIL: can not make namespaces"; exit 1; }
ip link add "$VS" type veth peer name "$VC" &&
	ip link set "$VS" netns "$NS_S" && ip link set "$VC" netns "$NS_C" &&
	ns_s ip addr add "$SRV_IP/24" dev "$VS" && ns_c ip addr add "$CLI_IP/24" dev "$VC" &&
	ns_s ip link set "$VS" up && ns_c ip link set "$VC" up &&
	ns_s ip link set lo up && ns_c ip link set lo up || { say "FAIL: veth setup"; exit 1; }

# ---------------------------------------------------------------- setup
# roshd: rosh commands only; one /ppp secret per client, a /20 pool (4094)
mkdir -p "$W/db/files"
{
	echo "/ppp secret"
	for i in $(seq 0 $((TOTAL - 1))); do
		printf 'add name=load%05d password=pw%05d profile=load service=ovpn\n' "$i" "$i"
	done
} > "$W/db/files/users.rsc"
rosh > "$W/setup.log" 2>&1 <<-EOF || { cat "$W/setup.log"; say "FAIL: rosh setup"; exit 1; }
	/certificate
	add name=ca common-name=load-ca key-usage=key-cert-sign,crl-sign
	add name=server common-name=vpn.load key-usage=digital-signature,key-encipherment,tls-server key-type=ec key-size=prime256v1
	add name=client1 common-name=client1 key-usage=digital-signature,tls-client key-type=ec key-size=prime256v1
	sign ca
	sign server ca=ca
	sign client1 ca=ca
	/ip pool add name=load-pool ranges=10.77.0.2-10.77.15.254
	/ppp profile add name=load local-address=10.77.0.1 remote-address=load-pool
	/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm auth=sha1 netmask=20 keepalive-timeout=60 new-client-rate=1000000 disabled=yes
	/import file-name=users.rsc
	/interface ovpn-server server export-client-configuration server=srv server-address=$SRV_IP ca-certificate=ca client-certificate=client1 file-name=client
	/interface ovpn-server server export-client-configuration server=srv server-address=$SRV_IP ca-certificate=ca client-certificate=server client-cert-key=server file-name=srvpki
EOF
n=$(rosh -c '/ppp secret print count-only' 2> /dev/null)
[ "$n" = "$TOTAL" ] || { say "FAIL: expected $TOTAL secrets, have $n"; exit 1; }
pem_of() { awk -v t="$2" '$0 == "</" t ">" {p = 0} p {print} $0 == "<" t ">" {p = 1}' "$1" > "$3"; }
pem_of "$W/db/files/client.ovpn" ca "$W/ca.crt"
pem_of "$W/db/files/client.ovpn" cert "$W/client.crt"
pem_of "$W/db/files/client.ovpn" key "$W/client.key"
pem_of "$W/db/files/srvpki.ovpn" cert "$W/server.crt"
pem_of "$W/db/files/srvpki.ovpn" key "$W/server.key"
chmod 600 "$W"/*.key

# the same users for the stock server's auth-user-pass-verify script
for i in $(seq 0 $((TOTAL - 1))); do printf 'load%05d:pw%05d\n' "$i" "$i"; done > "$W/users.txt"
cat > "$W/ovpn-auth.sh" <<-EOF
	#!/bin/sh
	# via-file: line 1 user, line 2 password
	{ read -r u; read -r p; } < "\$1"
	grep -qxF "\$u:\$p" "$W/users.txt"
EOF
chmod 755 "$W/ovpn-auth.sh"

# ---------------------------------------------------------------- servers
SRV_PID=""
SRV_LOG=""
start_roshd() {
	rm -f "$W/roshd.sock"
	SRV_LOG=$W/roshd.log
	ip netns exec "$NS_S" nice -n "$NICE" "$BUILD/roshd" --db "$W/db/config.db" --socket "$W/roshd.sock" >> "$SRV_LOG" 2>&1 &
	SRV_PID=$!
	track "$SRV_PID"
	for _ in $(seq 50); do [ -S "$W/roshd.sock" ] && break; sleep 0.1; done
	[ -S "$W/roshd.sock" ] || { broken "roshd did not start: $(tail -3 "$SRV_LOG")"; return 1; }
	rosh -c "/interface ovpn-server server set srv disabled=no" > /dev/null || return 1
	wait_for "$SRV_LOG" "listening on" 5 || { broken "roshd does not listen: $(tail -3 "$SRV_LOG")"; return 1; }
}
start_openvpn() {
	local conf=$W/ovpn-server.conf
	SRV_LOG=$W/ovpn-server.log
	cat > "$conf" <<-EOF
		server 10.78.0.0 255.255.240.0
		topology subnet
		dev tun
		proto udp
		port 1194
		ca $W/ca.crt
		cert $W/server.crt
		key $W/server.key
		dh none
		data-ciphers AES-256-GCM
		verify-client-cert require
		duplicate-cn
		keepalive 10 60
		max-clients 4096
		connect-freq-initial 1000000 1
		tmp-dir $W
		verb 3
	EOF
	[ -n "${OVPN_NOSCRIPT:-}" ] ||
		printf 'script-security 2\nauth-user-pass-verify %s via-file\n' "$W/ovpn-auth.sh" >> "$conf"
	ip netns exec "$NS_S" nice -n "$NICE" openvpn --config "$conf" > "$SRV_LOG" 2>&1 &
	SRV_PID=$!
	track "$SRV_PID"
	wait_for "$SRV_LOG" "Initialization Sequence Completed" 10 ||
		{ broken "openvpn server did not start: $(tail -3 "$SRV_LOG")"; return 1; }
}
# the stock server without its auth script: it checks no password, a lower
# bound on its cost (tunnel.sh's openvpn-noscript)
start_openvpn-noscript() { OVPN_NOSCRIPT=1 start_openvpn; }
count_openvpn-noscript() { count_openvpn; }
# sessions the server holds now
count_roshd() { rosh -c '/ppp active print count-only' 2> /dev/null; }
count_openvpn() {
	local a b
	a=$(grep -c "Peer Connection Initiated" "$SRV_LOG")
	# an authenticated instance's lines name it CN/address:port
	b=$(grep -cE ' [^ ]+/[0-9.]+:[0-9]+ .*client-instance (exiting|restarting)' "$SRV_LOG")
	echo $((a - b))
}
alive() {	# NAME: 0 when the server still runs; else broken
	kill -0 "$SRV_PID" 2> /dev/null && return 0
	wait "$SRV_PID" 2> /dev/null
	broken "$1 (pid $SRV_PID) died, exit status $?; log tail:"
	tail -15 "$SRV_LOG" | sed 's/^/    /'
	return 1
}

# ---------------------------------------------------------------- load
# hold TAG BASE COUNT SPORT: hs_load --hold COUNT with traffic, in the
# background; waits for ALL UP or for its end (at most TIMEOUT+COUNT/10 s)
hold() {
	local out=$W/hold-$1.out
	: > "$out"
	ip netns exec "$NS_C" nice -n "$NICE" "$W/hs_load" -s "$SRV_IP" -p 1194 --ca "$W/ca.crt" --cert "$W/client.crt" \
		--key "$W/client.key" --verify-name vpn.load -c "$K" --hold "$3" --base "$2" \
		--users "$3" --user-fmt 'load%05d' --pass-fmt 'pw%05d' --timeout "$TIMEOUT" \
		--max-fail "$3" --sport "$4" --ping-rate "${RATE_NOW:-$RATE}" --ping-size "$SIZE" \
		> "$out" 2> "$W/hold-$1.err" &
	HOLD_PID=$!
	track "$HOLD_PID"
	local end=$(($(date +%s) + TIMEOUT + $3 / 10))
	while [ "$(date +%s)" -lt "$end" ]; do
		grep -q "^ALL UP" "$out" && return 0
		kill -0 "$HOLD_PID" 2> /dev/null || break
		sleep 0.2
	done
	return 1
}
# snap PID FILE: hs_load's TRAFFIC line of totals now, into FILE
snap() {
	local before
	before=$(grep -c '^TRAFFIC' "$W/hold-$2.out")
	kill -USR1 "$1" 2> /dev/null || return 1
	for _ in $(seq 50); do
		[ "$(grep -c '^TRAFFIC' "$W/hold-$2.out")" -gt "$before" ] && break
		sleep 0.05
	done
	grep '^TRAFFIC' "$W/hold-$2.out" | tail -1
}
# field LINE KEY
field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# UDP socket-buffer drops in a namespace (RcvbufErrors + SndbufErrors)
udp_drops() { ip netns exec "$1" awk '/^Udp:/ { if (h) print $6 + $7; h = 1 }' /proc/net/snmp; }
# drops on every interface of the server namespace but lo and the veth: the tun(s)
tun_drops() {
	ns_s awk -v veth="$VS" 'NR > 2 { sub(/^ +/, ""); i = index($0, ":"); name = substr($0, 1, i - 1)
		split(substr($0, i + 1), f, " "); if (name != "lo" && name != veth) s += f[4] + f[12] }
		END { print s + 0 }' /proc/net/dev
}

declare -A HP	# hold tag -> hs_load PID
declare -A R	# results: R[server,key]
# hold_bg TAG BASE COUNT SPORT RATE: as hold, remembered in HP
hold_bg() {
	local r=0
	RATE_NOW=$5 hold "$1" "$2" "$3" "$4" || r=1
	HP[$1]=$HOLD_PID
	return $r
}

# window SECONDS TAG...: totals of the named holds over SECONDS, with the
# server's CPU and the drops; sets the V array
declare -A V
window() {
	local secs=$1 tag s0 s1 c0 c1 t0 t1 du0 du1 dc0 dc1 dt0 dt1 m0 m1 q0 q1 sp
	shift
	: > "$W/win-a" && : > "$W/win-b"
	for tag; do snap "${HP[$tag]}" "$tag" >> "$W/win-a"; done
	sample "$SRV_PID" "$secs" "$W/samples" &
	sp=$!
	s0=$(ticks "$SRV_PID") t0=$(now) m0=$(cpu_all) q0=$(sched_ns "$SRV_PID")
	du0=$(udp_drops "$NS_S") dc0=$(udp_drops "$NS_C") dt0=$(tun_drops)
	c0=0; for tag; do c0=$((c0 + $(ticks "${HP[$tag]}"))); done
	sleep "$secs"
	for tag; do snap "${HP[$tag]}" "$tag" >> "$W/win-b"; done
	s1=$(ticks "$SRV_PID") t1=$(now) m1=$(cpu_all) q1=$(sched_ns "$SRV_PID")
	wait "$sp"
	du1=$(udp_drops "$NS_S") dc1=$(udp_drops "$NS_C") dt1=$(tun_drops)
	c1=0; for tag; do c1=$((c1 + $(ticks "${HP[$tag]}"))); done
	V=()
	V[where]=$(where "$W/samples")
	while IFS='=' read -r k v; do V[$k]=$v; done < <(awk -v s0="$s0" -v s1="$s1" -v c0="$c0" -v c1="$c1" \
		-v t0="$t0" -v t1="$t1" -v hz="$HZ" -v du="$((du1 - du0))" -v dc="$((dc1 - dc0))" \
		-v dt="$((dt1 - dt0))" -v wa="$W/win-a" -v wb="$W/win-b" -v m0="$m0" -v m1="$m1" -v q0="$q0" -v q1="$q1" '
		function load(file, arr,   line, n, i, kv) {
			while ((getline line < file) > 0) {
				n = split(line, f, " ")
				for (i = 2; i <= n; i++) { split(f[i], kv, "="); arr[kv[1]] += kv[2] }
				if (kv[1] != "") arr["lines"]++
			}
		}
		BEGIN {
			load(wa, A); load(wb, B); d = t1 - t0
			sent = B["sent"] - A["sent"]; recv = B["recv"] - A["recv"]
			bytes = B["bytes_sent"] - A["bytes_sent"] + B["bytes_recv"] - A["bytes_recv"]
			mbit = bytes * 8 / 1e6
			scpu = (s1 - s0) / hz
			printf "up=%d\npassed=%d\nsilent=%d\nlost=%d\n", B["up"], B["passed"], B["silent"], B["lost"]
			printf "sent_pps=%.0f\nrecv_pps=%.0f\nmbps=%.1f\n", sent / d, recv / d, mbit / d
			printf "loss=%.2f\n", (sent > 0 ? (sent - recv) * 100 / sent : 0)
			printf "scpu=%.0f\nccpu=%.0f\n", scpu * 100 / d, (c1 - c0) / hz * 100 / d
			printf "cpu_per_mbit=%s\n", (mbit > 0 ? sprintf("%.1f", scpu * 1000 / mbit) : "n/a")
			printf "rtt_avg=%.1f\n", (recv > 0 ? (B["rtt_ms_sum"] - A["rtt_ms_sum"]) / recv : 0)
			printf "rtt_max=%.1f\n", B["rtt_ms_max"]
			printf "send_errors=%d\nudp_drop_s=%d\nudp_drop_c=%d\ntun_drop=%d\n", B["send_errors"] - A["send_errors"], du, dc, dt
			printf "rate=%g\n", B["rate"] / (B["lines"] > 0 ? B["lines"] : 1)
			split(m0, x, " "); split(m1, y, " ")
			printf "idle=%.0f\n", (y[2] > x[2] ? 100 - (y[1] - x[1]) * 100 / (y[2] - x[2]) : 0)
			split(q0, x, " "); split(q1, y, " ")
			printf "runq=%.0f\n", (y[2] - x[2]) / 1e7 / d
		}')
}
show_window() {	# LABEL
	printf '    %-12s %6s pps out, %6s back (loss %s%%), %7s Mbit/s both ways; server CPU %s%%, hs_load CPU %s%%, machine idle %s%%; %s ms CPU per Mbit; rtt avg %s max %s ms\n' \
		"$1" "${V[sent_pps]}" "${V[recv_pps]}" "${V[loss]}" "${V[mbps]}" "${V[scpu]}" "${V[ccpu]}" \
		"${V[idle]}" "${V[cpu_per_mbit]}" "${V[rtt_avg]}" "${V[rtt_max]}"
	printf '    %-12s server: waited for a core %s%% of the time; main thread: %s\n' "" "${V[runq]}" "${V[where]}"
	local d="${V[udp_drop_s]}/${V[udp_drop_c]}/${V[tun_drop]}/${V[send_errors]}"
	[ "$d" = "0/0/0/0" ] || printf '    %-12s drops: server UDP buffers %s, client UDP buffers %s, tun %s; hs_load send errors %s\n' "" \
		"${V[udp_drop_s]}" "${V[udp_drop_c]}" "${V[tun_drop]}" "${V[send_errors]}"
}
# why_loss TARGET_PPS: what gave out in the last window
why_loss() {
	awk -v s="${V[scpu]}" -v c="${V[ccpu]}" -v sent="${V[sent_pps]}" -v want="$1" \
		-v du="${V[udp_drop_s]}" -v dc="${V[udp_drop_c]}" -v dt="${V[tun_drop]}" -v se="${V[send_errors]}" \
		-v idle="${V[idle]}" -v runq="${V[runq]}" -v where="${V[where]}" 'BEGIN {
		w = ""
		if (runq >= 20) w = w ", the machine: the server waited for a core " runq "% of the time (" idle "% idle)"
		if (match(where, /[0-9]+% waiting for a child/) && substr(where, RSTART) + 0 >= 20)
			w = w ", the server blocked on a child process (" substr(where, RSTART, RLENGTH) ")"
		if (s >= 90) w = w ", server CPU (" s "% of a core)"
		if (c >= 90 || sent < 0.8 * want) w = w ", the load generator (hs_load " c "% of a core, " sent " of " want " pps sent)"
		if (du > 0) w = w ", server UDP receive buffer (" du " dropped)"
		if (dc > 0 || se > 0) w = w ", hs_load UDP buffers (" dc " dropped, " se " send errors)"
		if (dt > 0) w = w ", server tun queue (" dt " dropped)"
		if (w == "") w = ", no counter names it (replies late or lost inside the server)"
		print substr(w, 3) }'
}
# log_causes FROM-LINE: the server's complaints since that line, grouped
log_causes() {
	tail -n +"$1" "$SRV_LOG" | grep -iE 'error|fail|too many|exceed|refus|no free|pool|limit|denied' |
		sed -E 's/^[A-Za-z]{3} [A-Za-z]{3} +[0-9]+ [0-9:]+ [0-9]+ //; s/^[0-9-]+ [0-9:.]+ //; s/[0-9]+(\.[0-9]+)*/#/g' |
		sort | uniq -c | sort -rn | head -6 | sed 's/^/      /'
}

# ---------------------------------------------------------------- phases
# connect NAME: WARM clients, the baseline, then N clients; figures in R
connect() {
	local name=$1 r0 r1 r2 f0 f1 f2 c0 c1 t up held
	sleep 1
	r0=$(rss_kb "$SRV_PID") f0=$(nfds "$SRV_PID")
	# the warm-up clients send no traffic: the windows count only the N
	hold_bg warm 0 "$WARM" 20000 0 || { broken "$name: the $WARM warm-up clients did not come up: $(head -3 "$W/hold-warm.err")"; return 1; }
	sleep 2
	r1=$(rss_kb "$SRV_PID") f1=$(nfds "$SRV_PID") c0=$(ticks "$SRV_PID")
	probe_start
	hold_bg main "$WARM" "$N" 24000 "$RATE"
	up=$?
	c1=$(ticks "$SRV_PID")
	probe_end
	alive "$name" || return 1
	if [ "$up" != 0 ]; then
		local got
		got=$(snap "${HP[main]}" main)
		broken "$name: not all $N clients came up in time (up $(field "$got" up), failed $(field "$got" failed), timed out $(field "$got" timeouts)); hs_load says:"
		head -5 "$W/hold-main.err" | sed 's/^/      /'
		say "    server log:"; log_causes 1
		return 1
	fi
	t=$(sed -n 's/^ALL UP [0-9]* in \([0-9.]*\) s.*/\1/p' "$W/hold-main.out")
	R[$name,busy]="server $(calc "printf \"%.0f\", ($c1 - $c0) / $HZ * 100 / $t")%, hs_load $(calc "printf \"%.0f\", $(sed -n 's/^ALL UP.*client_cpu_s=\([0-9.]*\).*/\1/p' "$W/hold-main.out") * 100 / $t")% of a core"
	sleep 3
	r2=$(rss_kb "$SRV_PID") f2=$(nfds "$SRV_PID") held=$(count_"$name")
	R[$name,connect]=$t
	R[$name,hs]=$(calc "printf \"%.0f\", $N / $t")
	R[$name,hscpu]=$(calc "printf \"%.2f\", ($c1 - $c0) / $HZ * 1000 / $N")
	R[$name,kb]=$(calc "printf \"%.1f\", ($r2 - $r1) / $N")
	R[$name,fds]=$(calc "printf \"%.2f\", ($f2 - $f1) / $N")
	say "  connect: $N clients in $t s = ${R[$name,hs]} handshakes/s ($K in flight); server CPU ${R[$name,hscpu]} ms per handshake"
	say "    busy while connecting: ${R[$name,busy]}; the server counts $held sessions; load average $(cut -d' ' -f1-3 /proc/loadavg)"
	say "    server while connecting: $PROBE"
	say "  memory: VmRSS idle $r0 KB, +$WARM clients $r1 KB, +$N clients $r2 KB => ${R[$name,kb]} KB per client; descriptors $f0, $f1, $f2 => ${R[$name,fds]} per client; hs_load $(rss_kb "${HP[main]}") KB"
	[ -s "$W/hold-main.err" ] && head -3 "$W/hold-main.err" | sed 's/^/    hs_load: /'
	return 0
}

# traffic NAME: the N sessions at RATE for TDUR s
traffic() {
	local name=$1
	sleep 2	# every session has sent by now
	window "$TDUR" main
	alive "$name" || return 1
	R[$name,passed]="${V[passed]}/$N"
	R[$name,mbps]=${V[mbps]}
	R[$name,scpu]=${V[scpu]}
	R[$name,cpm]=${V[cpu_per_mbit]}
	say "  traffic: every session pings the server's tunnel address $RATE/s ($((SIZE + 28))-byte packets), ${TDUR} s:"
	say "    sessions that passed traffic both ways: ${V[passed]} of $N (up ${V[up]}, silent ${V[silent]}, lost ${V[lost]})"
	show_window "rate $RATE/s"
	[ "${V[passed]}" = "$N" ] || broken "$name: ${V[passed]} of $N sessions passed traffic both ways"
}

# ramp NAME: double the rate until replies are lost
ramp() {
	local name=$1 rate=$RATE want
	R[$name,break]="no loss up to the last step"
	say "  what breaks first, rate: doubling every ${RAMP_DUR} s until more than ${LOSS_PCT}% of the replies are lost"
	for _ in $(seq "$RAMP_STEPS"); do
		kill -USR2 "${HP[main]}" 2> /dev/null || break
		rate=$((rate * 2)) want=$((rate * N))
		sleep 1
		window "$RAMP_DUR" main
		alive "$name" || return 1
		show_window "rate $rate/s"
		R[$name,maxmbps]=${V[mbps]}
		if awk -v l="${V[loss]}" -v m="$LOSS_PCT" -v s="${V[sent_pps]}" -v w="$want" \
			'BEGIN { exit !(l > m || s < 0.8 * w) }'; then
			R[$name,break]="at $rate/s per session ($want pps asked, ${V[sent_pps]} sent, loss ${V[loss]}%): $(why_loss "$want")"
			break
		fi
	done
	say "    => ${R[$name,break]}"
	kill -HUP "${HP[main]}" 2> /dev/null
}

# more NAME: EXTRA more clients on top of the N; what refuses them
more() {
	local name=$1 from ok=0 t c0 c1 t0 t1 tags=main
	[ "$EXTRA" -gt 0 ] || return 0
	from=$(($(wc -l < "$SRV_LOG") + 1))
	say "  what breaks first, clients: $EXTRA more on top of the $N (rate back to $RATE/s), $TIMEOUT s per handshake"
	c0=$(ticks "$SRV_PID") t0=$(now)
	probe_start
	hold_bg extra $((WARM + N)) "$EXTRA" 44000 "$RATE" && ok=1
	c1=$(ticks "$SRV_PID") t1=$(now)
	probe_end
	alive "$name" || return 1
	t=$(sed -n 's/^ALL UP [0-9]* in \([0-9.]*\) s.*/\1/p' "$W/hold-extra.out")
	say "    $([ "$ok" = 1 ] && echo "all $EXTRA up in $t s" || echo "not all up after $(calc "printf \"%.0f\", $t1 - $t0") s"); server busy $(calc "printf \"%.0f\", ($c1 - $c0) / $HZ * 100 / ($t1 - $t0)")% of a core meanwhile, $(calc "printf \"%.2f\", ($c1 - $c0) / $HZ * 1000 / $EXTRA") ms per handshake (with the traffic of the $N); load average $(cut -d' ' -f1-3 /proc/loadavg)"
	say "    server while connecting: $PROBE"
	kill -0 "${HP[extra]}" 2> /dev/null && tags="main extra"
	sleep 3
	window "$TDUR" $tags
	alive "$name" || return 1
	R[$name,more]="$([ "$ok" = 1 ] && echo all || echo "not all:") ${V[up]} of $((N + EXTRA)) up, ${V[passed]} passed traffic both ways in ${TDUR} s"
	say "    ${R[$name,more]}; server count $(count_"$name"), VmRSS $(rss_kb "$SRV_PID") KB, descriptors $(nfds "$SRV_PID")"
	show_window "$((N + EXTRA)) asked"
	if [ "$ok" != 1 ] || [ "${V[passed]}" != "${V[up]}" ]; then
		say "    hs_load says (first lines, numbers as #):"
		sed -E 's/[0-9]+/#/g' "$W/hold-extra.err" | sort | uniq -c | sort -rn | head -4 | sed 's/^/      /'
		say "    the server's log since then (numbers as #):"
		log_causes "$from"
	fi
}

leave() {	# NAME: every client leaves; how long the server takes to drop them
	local name=$1 tag t0 n=""
	t0=$(date +%s)
	# all at once, as the goodbyes of each are paced by hs_load itself
	for tag in extra main warm; do [ -n "${HP[$tag]:-}" ] && kill "${HP[$tag]}" 2> /dev/null; done
	for tag in extra main warm; do [ -n "${HP[$tag]:-}" ] && stop_pid "${HP[$tag]}"; done
	HP=()
	for _ in $(seq 30); do
		alive "$name" || return
		n=$(count_"$name")
		[ "$n" = 0 ] && break
		sleep 1
	done
	say "  all clients left: the server counts $n sessions $(($(date +%s) - t0)) s after the goodbyes began, VmRSS $(rss_kb "$SRV_PID") KB"
}

run_server() {
	local name=$1
	say ""
	say "== $name"
	start_"$name" || return
	[ -z "$SRV_NOFILE" ] || prlimit --pid "$SRV_PID" --nofile="$SRV_NOFILE": ||
		broken "prlimit --nofile=$SRV_NOFILE: failed"
	say "  pid $SRV_PID, ulimit -n $(awk '/Max open files/ {print $4}' "/proc/$SRV_PID/limits"), load average $(cut -d' ' -f1-3 /proc/loadavg)"
	if connect "$name" && traffic "$name"; then
		ramp "$name" && more "$name"
	fi
	leave "$name"
	alive "$name"
	stop_pid "$SRV_PID"
	SRV_PID=""
}

for s in $SERVERS; do run_server "$s"; done

say ""
say "== summary ($N clients, $RATE ping/s each, $((SIZE + 28))-byte packets)"
# row LABEL KEY [SUFFIX]: one figure for every server
row() {
	local srv
	printf '  %-34s' "$1"
	for srv in $SERVERS; do printf ' %-18s' "${R[$srv,$2]:-n/a}${R[$srv,$2]:+${3:-}}"; done
	printf '\n'
}
printf '  %-34s' ""; for s in $SERVERS; do printf ' %-18s' "$s"; done; printf '\n'
row "connect time for all (s)" connect
row "handshakes/s while connecting" hs
row "server CPU per handshake (ms)" hscpu
row "VmRSS per client (KB)" kb
row "descriptors per client" fds
row "sessions passing traffic" passed
row "Mbit/s both ways at $RATE/s" mbps
row "server CPU (% of a core)" scpu %
row "server CPU ms per Mbit" cpm
row "highest Mbit/s in the ramp" maxmbps
say "  memory ratio roshd/openvpn: $(calc "a = \"${R[roshd,kb]:-}\"; b = \"${R[openvpn,kb]:-}\"; if (a != \"\" && b + 0 > 0) printf \"%.2f (target <= 0.25)\", a / b; else print \"n/a\"")"
for s in $SERVERS; do
	say "  $s, rate: ${R[$s,break]:-n/a}"
	say "  $s, clients: ${R[$s,more]:-n/a}"
done
if grep -qiE 'segfault|assert|abort|double free|corrupt' "$W/roshd.log" 2> /dev/null; then
	broken "roshd log reports a crash:"
	grep -iE 'segfault|assert|abort|double free|corrupt' "$W/roshd.log" | head -5
fi
[ "$BROKEN" = 0 ] || { say "$BROKEN things broke (see above)"; KEEP=1; exit 1; }
exit 0
