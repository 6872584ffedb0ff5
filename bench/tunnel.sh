#!/bin/bash
# tunnel.sh: roshd beside stock OpenVPN 2.6, on this machine, in the same run.
#   1. throughput through the tunnel (iperf3, one TCP stream, AES-256-GCM),
#      over UDP and TCP transport, both directions: roshd server + stock
#      openvpn client; stock openvpn server + stock openvpn client; the bare
#      veth link. Server and client CPU during each run.
#   2. handshakes per second (TLS + key method 2 + push, keys up) with
#      bench/hs_load (our protocol core as K concurrent clients), against
#      roshd and against the stock server.
#   3. server memory (VmRSS) per connected client, M clients each with its
#      own user and a pool address.
#   4. (PERF=1) where roshd's time goes: perf record during a throughput
#      run per direction and during a handshake run; strace -w -c for the
#      time its one thread spends blocked in syscalls during handshakes.
# Figures only: timings are never asserted. Exit 0 unless something broke
# (roshd or openvpn died, a tunnel did not come up, a tool did not build);
# 77 when a prerequisite is missing (root, openvpn, iperf3, tun).
# Everything runs in two network namespaces made here, joined by one veth
# pair (10.232.0.0/24); all of it is removed on exit, processes by PID.
#
# Usage: bash bench/tunnel.sh [BUILD_DIR]     (see bench/README.md)
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
BUILD=$(cd "${1:-$top}" && pwd) || exit 2

DUR=${DUR:-10}				# seconds per iperf3 run
TRANSPORTS=${TRANSPORTS:-"udp tcp"}	# throughput transports
DIRS=${DIRS:-"up down"}			# up: client to server; down: iperf3 -R
HS_K=${HS_K:-32}			# concurrent handshakes (32 keeps the stock server busy)
HS_DUR=${HS_DUR:-10}			# measured seconds per handshake run
HS_TRANSPORTS=${HS_TRANSPORTS:-"udp tcp"}
HS_SERVERS=${HS_SERVERS:-"roshd openvpn openvpn-noscript"}
MEM_M=${MEM_M:-100}			# clients for the memory figure
MEM_WARM=${MEM_WARM:-20}		# clients connected before the baseline (fills wolfSSL's ECC cache)
MEM_SERVERS=${MEM_SERVERS:-"roshd openvpn"}
PHASES=${PHASES:-"tput hs mem perf"}
PERF=${PERF:-1}
RUNS=${RUNS:-2}				# throughput rounds (roshd and openvpn alternate)

if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root (namespaces, tun)"; exit 77; fi
for t in openvpn iperf3 ip gcc pkg-config awk; do
	command -v "$t" > /dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
[ -c /dev/net/tun ] || { echo "SKIP: no /dev/net/tun"; exit 77; }
for f in "$BUILD/rosh" "$BUILD/roshd"; do
	[ -x "$f" ] || { echo "FAIL: $f is not built (make -j2)"; exit 1; }
done
[ -f "$BUILD/libovpn.a" ] || { echo "FAIL: $BUILD/libovpn.a is not built"; exit 1; }

W=$(mktemp -d /tmp/rosh-tunnel.XXXXXX)
NS_S=rbs$$
NS_C=rbc$$
VS=rbvs$$
VC=rbvc$$
SRV_IP=10.232.0.1
CLI_IP=10.232.0.2
ROSHD_TUN=10.77.0.1	# local-address of the roshd profile
OVPN_TUN=10.78.0.1	# --server 10.78.0.0/21
PIDS=""
BROKEN=0
HZ=$(getconf CLK_TCK)

# shellcheck source=bench/lib.sh
. "$here/lib.sh"
# pct TICKS0 TICKS1 T0 T1: percent of one core
pct() { awk -v a="$1" -v b="$2" -v t0="$3" -v t1="$4" -v hz="$HZ" \
	'BEGIN { if (a == "" || b == "" || t1 <= t0) print "n/a"; else printf "%.0f%%", (b - a) / hz / (t1 - t0) * 100 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", a / b; else print "n/a" }'; }
verdict() {	# verdict VALUE OP TARGET
	awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
		if (v == "n/a" || v == "") { print "n/a"; exit }
		sub(/x$/, "", v); ok = (op == ">=") ? v + 0 >= t : v + 0 <= t
		print ok ? "MET" : "MISSED" }'
}

# ---------------------------------------------------------------- setup
say "== rosh tunnel benchmark: $(nproc) cores, $(uname -r), $(openvpn --version | head -1 | cut -d' ' -f1-2), iperf3 $(iperf3 --version | head -1 | awk '{print $2}')"
say "   build $BUILD; work $W"

# the load generator, with the flags of the build it links (hs_load_build.sh)
if ! bash "$here/hs_load_build.sh" "$BUILD" "$W/hs_load" "$W/cc.log"; then
	say "FAIL: hs_load does not build:"; cat "$W/cc.log"; exit 1
fi

ip netns add "$NS_S" && ip netns add "$NS_C" || { say "FAIL: can not make namespaces"; exit 1; }
ip link add "$VS" type veth peer name "$VC" &&
	ip link set "$VS" netns "$NS_S" && ip link set "$VC" netns "$NS_C" &&
	ns_s ip addr add "$SRV_IP/24" dev "$VS" && ns_c ip addr add "$CLI_IP/24" dev "$VC" &&
	ns_s ip link set "$VS" up && ns_c ip link set "$VC" up &&
	ns_s ip link set lo up && ns_c ip link set lo up || { say "FAIL: veth setup"; exit 1; }

NUSERS=$((MEM_WARM + MEM_M))
[ "$NUSERS" -lt $((HS_K * 4)) ] && NUSERS=$((HS_K * 4))

# roshd configuration: rosh commands only
mkdir -p "$W/db/files"
{
	echo "/ppp secret"
	echo "add name=tput password=tputpw profile=bench service=ovpn"
	for i in $(seq 0 $((NUSERS - 1))); do
		printf 'add name=bench%04d password=pw%04d profile=bench service=ovpn\n' "$i" "$i"
	done
} > "$W/db/files/users.rsc"
rosh > "$W/setup.log" 2>&1 <<-EOF || { cat "$W/setup.log"; say "FAIL: rosh setup"; exit 1; }
	/certificate
	add name=ca common-name=bench-ca key-usage=key-cert-sign,crl-sign
	add name=server common-name=vpn.bench key-usage=digital-signature,key-encipherment,tls-server key-type=ec key-size=prime256v1
	add name=client1 common-name=client1 key-usage=digital-signature,tls-client key-type=ec key-size=prime256v1
	sign ca
	sign server ca=ca
	sign client1 ca=ca
	/ip pool add name=bench-pool ranges=10.77.0.2-10.77.7.254
	/ppp profile add name=bench local-address=$ROSHD_TUN remote-address=bench-pool
	/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm auth=sha1 netmask=21 keepalive-timeout=60 new-client-rate=1000000 disabled=yes
	/import file-name=users.rsc
	/interface ovpn-server server export-client-configuration server=srv server-address=$SRV_IP ca-certificate=ca client-certificate=server client-cert-key=server file-name=srvpki
EOF
n=$(rosh -c '/ppp secret print count-only' 2> /dev/null)
[ "$n" = $((NUSERS + 1)) ] || { say "FAIL: expected $((NUSERS + 1)) secrets, have $n"; exit 1; }

# pem_of PROFILE TAG OUT: one inline block of a .ovpn file
pem_of() { awk -v t="$2" '$0 == "</" t ">" {p = 0} p {print} $0 == "<" t ">" {p = 1}' "$1" > "$3"; }
# export_profile PROTO: the client profile for the roshd server, as openvpn uses it
export_profile() {
	rosh -c "/interface ovpn-server server set srv protocol=$1" &&
		rosh -c "/interface ovpn-server server export-client-configuration server=srv server-address=$SRV_IP ca-certificate=ca client-certificate=client1 file-name=client-$1" > /dev/null &&
		cp "$W/db/files/client-$1.ovpn" "$W/client-$1.ovpn"
}
export_profile udp || { say "FAIL: export-client-configuration"; exit 1; }
pem_of "$W/client-udp.ovpn" ca "$W/ca.crt"
pem_of "$W/client-udp.ovpn" cert "$W/client.crt"
pem_of "$W/client-udp.ovpn" key "$W/client.key"
pem_of "$W/db/files/srvpki.ovpn" cert "$W/server.crt"
pem_of "$W/db/files/srvpki.ovpn" key "$W/server.key"
chmod 600 "$W"/*.key
printf 'tput\ntputpw\n' > "$W/tput.creds"
chmod 600 "$W/tput.creds"

# the same users for the stock server's auth-user-pass-verify script
{
	echo "tput:tputpw"
	for i in $(seq 0 $((NUSERS - 1))); do printf 'bench%04d:pw%04d\n' "$i" "$i"; done
} > "$W/users.txt"
cat > "$W/ovpn-auth.sh" <<-EOF
	#!/bin/sh
	# via-file: line 1 user, line 2 password
	{ read -r u; read -r p; } < "\$1"
	grep -qxF "\$u:\$p" "$W/users.txt"
EOF
chmod 755 "$W/ovpn-auth.sh"

ROSHD_PID=""
OVPN_PID=""
SRV_PID=""	# whichever server runs now
start_roshd() {
	rm -f "$W/roshd.sock"
	# shellcheck disable=SC2086
	ip netns exec "$NS_S" ${ROSHD_WRAP:-} "$BUILD/roshd" --db "$W/db/config.db" --socket "$W/roshd.sock" >> "$W/roshd.log" 2>&1 &
	ROSHD_PID=$!
	track "$ROSHD_PID"
	for _ in $(seq 50); do [ -S "$W/roshd.sock" ] && break; sleep 0.1; done
	[ -S "$W/roshd.sock" ] || { broken "roshd did not start: $(tail -3 "$W/roshd.log")"; return 1; }
	SRV_PID=$ROSHD_PID
}
# roshd_serve PROTO: the server enabled with that transport
roshd_serve() {
	local before
	before=$(grep -c "listening on" "$W/roshd.log")
	rosh -c "/interface ovpn-server server set srv protocol=$1 disabled=no" > /dev/null || return 1
	for _ in $(seq 50); do
		[ "$(grep -c "listening on" "$W/roshd.log")" -gt "$before" ] && return 0
		sleep 0.1
	done
	broken "roshd: server srv ($1) does not listen: $(tail -3 "$W/roshd.log")"
	return 1
}
stop_roshd() {
	if [ -n "$ROSHD_PID" ] && ! kill -0 "$ROSHD_PID" 2> /dev/null; then
		wait "$ROSHD_PID" 2> /dev/null
		broken "roshd (pid $ROSHD_PID) died; exit status $?; log tail:"
		tail -20 "$W/roshd.log" | sed 's/^/    /'
	fi
	rosh -c "/interface ovpn-server server set srv disabled=yes" > /dev/null 2>&1
	stop_pid "$ROSHD_PID"
	ROSHD_PID=""
}

# start_ovpn PROTO [auth|noauth]: the stock server, same certificates
start_ovpn() {
	local proto=$1 auth=${2:-auth} conf=$W/ovpn-server-$1.conf
	cat > "$conf" <<-EOF
		server 10.78.0.0 255.255.248.0
		topology subnet
		dev tun
		proto $([ "$proto" = tcp ] && echo tcp-server || echo udp)
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
		status $W/ovpn-status.txt 1
		status-version 2
		tmp-dir $W
		verb 3
	EOF
	[ "$proto" = udp ] && echo "connect-freq-initial 1000000 1" >> "$conf"
	[ "$auth" = auth ] && printf 'script-security 2\nauth-user-pass-verify %s via-file\n' "$W/ovpn-auth.sh" >> "$conf"
	rm -f "$W/ovpn-status.txt"
	: > "$W/ovpn-server.log"
	ip netns exec "$NS_S" openvpn --config "$conf" > "$W/ovpn-server.log" 2>&1 &
	OVPN_PID=$!
	track "$OVPN_PID"
	wait_for "$W/ovpn-server.log" "Initialization Sequence Completed" 10 ||
		{ broken "openvpn server did not start: $(tail -3 "$W/ovpn-server.log")"; return 1; }
	SRV_PID=$OVPN_PID
}
stop_ovpn() {
	if [ -n "$OVPN_PID" ] && ! kill -0 "$OVPN_PID" 2> /dev/null; then
		broken "openvpn server died; log tail:"
		tail -10 "$W/ovpn-server.log" | sed 's/^/    /'
	fi
	stop_pid "$OVPN_PID"
	OVPN_PID=""
}

# start_client PROTO: stock openvpn client with the profile roshd exported
CLIENT_PID=""
start_client() {
	: > "$W/client.log"
	ip netns exec "$NS_C" openvpn --config "$W/client-$1.ovpn" --auth-user-pass "$W/tput.creds" --verb 3 \
		--dev tun-bench --connect-retry-max 3 --auth-retry none > "$W/client.log" 2>&1 &
	CLIENT_PID=$!
	track "$CLIENT_PID"
	wait_for "$W/client.log" "Initialization Sequence Completed" 30
}
stop_client() { stop_pid "$CLIENT_PID"; CLIENT_PID=""; }

IPERF_PID=""
start_iperf_server() {
	ip netns exec "$NS_S" iperf3 -s -p 5201 >> "$W/iperf-server.log" 2>&1 &
	IPERF_PID=$!
	track "$IPERF_PID"
	sleep 0.3
}

# iperf ADDR DIR: one TCP stream for DUR seconds; sets MBPS, RETR, SCPU
# (server process), CCPU (openvpn client) as text
declare -A R	# results: R[key]=value
iperf() {
	local addr=$1 dir=$2 out=$W/iperf.out s0 s1 c0 c1 t0 t1 try
	for try in 1 2; do
		sleep 1
		s0=$( [ -n "$SRV_PID" ] && ticks "$SRV_PID")
		c0=$( [ -n "$CLIENT_PID" ] && ticks "$CLIENT_PID")
		t0=$(now)
		timeout $((DUR + 30)) ip netns exec "$NS_C" iperf3 -c "$addr" -p 5201 -t "$DUR" -f m \
			--connect-timeout 5000 $([ "$dir" = down ] && echo -R) > "$out" 2>&1
		t1=$(now)
		s1=$( [ -n "$SRV_PID" ] && ticks "$SRV_PID")
		c1=$( [ -n "$CLIENT_PID" ] && ticks "$CLIENT_PID")
		cat "$out" >> "$W/iperf-client.log"
		grep -q receiver "$out" && break
		say "    iperf3 failed (try $try): $(grep -i error "$out" | tail -1)"
	done
	MBPS=$(awk '/receiver/ {for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") v = $(i - 1)} END {print v == "" ? "n/a" : v}' "$out")
	RETR=$(awk '/sender/ {for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") v = $(i + 1)} END {print v == "" ? "-" : v}' "$out")
	SCPU=$( [ -n "$SRV_PID" ] && pct "$s0" "$s1" "$t0" "$t1" || echo "-")
	CCPU=$( [ -n "$CLIENT_PID" ] && pct "$c0" "$c1" "$t0" "$t1" || echo "-")
	[ "$MBPS" = n/a ] && SCPU="-" CCPU="-"
}

# per_core MBPS CPU%: Mbit/s per fully used server core
per_core() { awk -v m="$1" -v c="$2" 'BEGIN { sub(/%$/, "", c); if (m + 0 > 0 && c + 0 > 0) printf "%.0f", m / (c / 100); else print "n/a" }'; }
row() { printf '  %-22s %8s Mbit/s  retr %-6s server CPU %-5s (%5s Mbit/s per core)  client CPU %s\n' "$1" "$2" "$3" "$4" "$(per_core "$2" "$4")" "$5"; }
# keep KEY MBPS SCPU: the best run of KEY, with its server CPU
keep() {
	awk -v a="${R[$1]:-}" -v b="$2" 'BEGIN { exit !(b != "n/a" && (a == "" || b + 0 > a + 0)) }' || return 0
	R[$1]=$2
	R[cpu,$1]=$3
}

# tput_pair NAME PROTO START STOP TUN-ADDR: one server with the stock client, every direction
tput_pair() {
	local name=$1 proto=$2 dir
	if $3 "$proto"; then
		if start_client "$proto"; then
			for dir in $DIRS; do
				iperf "$5" "$dir"
				keep "$name,$proto,$dir" "$MBPS" "$SCPU"
				row "$name $proto $dir" "$MBPS" "$RETR" "$SCPU" "$CCPU"
			done
		else
			broken "$name $proto: the stock client got no tunnel: $(grep -iE 'error|fail' "$W/client.log" | tail -2)"
		fi
		stop_client
	fi
	$4
}
roshd_up() { export_profile "$1" && start_roshd && roshd_serve "$1"; }

# ---------------------------------------------------------------- 1. throughput
phase_tput() {
	local proto dir
	say ""
	say "== 1. throughput: iperf3, 1 TCP stream, ${DUR} s, AES-256-GCM; up = client->server, down = -R; $RUNS run(s), best kept"
	start_iperf_server
	SRV_PID="" CLIENT_PID=""
	for dir in $DIRS; do
		iperf "$SRV_IP" "$dir"
		keep "bare,$dir" "$MBPS" "-"
		row "bare veth $dir" "$MBPS" "$RETR" "-" "-"
	done
	for _ in $(seq "$RUNS"); do
		for proto in $TRANSPORTS; do
			# (a) roshd + stock client, (b) stock server + stock client: the same profile
			tput_pair roshd "$proto" roshd_up stop_roshd "$ROSHD_TUN"
			tput_pair openvpn "$proto" start_ovpn stop_ovpn "$OVPN_TUN"
		done
	done
	stop_pid "$IPERF_PID"
	say "  best of $RUNS, roshd / openvpn, servers only (the 3x target is for the pair: bench/client.sh):"
	printf '    %-10s %10s %10s %8s %-7s  %s\n' "" roshd openvpn ratio target "Mbit/s per server core: roshd, openvpn, ratio"
	for proto in $TRANSPORTS; do
		for dir in $DIRS; do
			local a=${R[roshd,$proto,$dir]:-n/a} b=${R[openvpn,$proto,$dir]:-n/a} r ea eb
			r=$(ratio "$a" "$b")
			ea=$(per_core "$a" "${R[cpu,roshd,$proto,$dir]:-}")
			eb=$(per_core "$b" "${R[cpu,openvpn,$proto,$dir]:-}")
			printf '    %-10s %10s %10s %8s %-7s  %s, %s, %s\n' "$proto $dir" "$a" "$b" "$r" \
				"-" "$ea" "$eb" "$(ratio "$ea" "$eb")"
		done
	done
	say "    bare veth: ${R[bare,up]:-n/a} up, ${R[bare,down]:-n/a} down"
	say "  The client is stock openvpn in both pairs here, so this compares servers: the"
	say "  client CPU column shows when it, not the server, sets the pace. The roshd pair"
	say "  (roshd client to roshd server) against the stock pair is bench/client.sh."
}

# ---------------------------------------------------------------- 2. handshakes
# hs NAME PROTO: hs_load against the running server ($SRV_PID)
hs() {
	local out=$W/hs-$1-$2.out
	ns_c timeout $((HS_DUR + 60)) "$W/hs_load" $([ "$2" = tcp ] && echo -t) -s "$SRV_IP" -p 1194 \
		--ca "$W/ca.crt" --cert "$W/client.crt" --key "$W/client.key" --verify-name vpn.bench \
		-c "$HS_K" -w 2 -d "$HS_DUR" --users "$NUSERS" --user-fmt 'bench%04d' --pass-fmt 'pw%04d' \
		--watch-pid "$SRV_PID" > "$out" 2> "$W/hs-$1-$2.err"
	local rc=$?
	[ "$rc" -gt 1 ] && broken "hs_load against $1 $2 exited with $rc"
	HS_RATE=$(sed -n 's/.*rate=\([0-9.]*\).*/\1/p' "$out")
	printf '  %-24s %8s handshakes/s\n' "$1 $2" "${HS_RATE:-n/a}"
	awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } }
	END { printf "      latency p50 %s, p90 %s, p99 %s, max %s ms; failed %s, timed out %s\n", v["lat_ms_p50"], v["lat_ms_p90"], v["lat_ms_p99"], v["lat_ms_max"], v["failed"], v["timeouts"]
	      printf "      CPU per handshake: server %s ms (server busy %s%% of a core), hs_load %s ms; server VmRSS %s KB at the end\n", v["server_cpu_ms_per_hs"], v["server_cpu_pct"], v["client_cpu_ms_per_hs"], v["server_rss_kb"] }' "$out"
	[ -s "$W/hs-$1-$2.err" ] && sed 's/^/      /' "$W/hs-$1-$2.err" | head -6
	R[hs,$1,$2]=${HS_RATE:-}
	R[hscpu,$1,$2]=$(sed -n 's/.*server_cpu_ms_per_hs=\([0-9.]*\).*/\1/p' "$out")
}

phase_hs() {
	say ""
	say "== 2. handshakes: hs_load, $HS_K concurrent clients, ${HS_DUR} s after 2 s warm-up (TLS 1.3, EC P-256 certificates, user/password, push, keys up; then EXIT)"
	for proto in $HS_TRANSPORTS; do
		for srv in $HS_SERVERS; do
			case $srv in
			roshd)
				if start_roshd && roshd_serve "$proto"; then
					local r0 r1
					r0=$(rss_kb "$ROSHD_PID")
					hs roshd "$proto"
					sleep 4
					r1=$(rss_kb "$ROSHD_PID")
					say "      roshd: VmRSS ${r0} KB before, ${r1} KB 4 s after the run; /ppp active $(roshd_count); tun interfaces left $(ip -n "$NS_S" -o link show type tun | wc -l)"
				fi
				stop_roshd ;;
			openvpn)
				start_ovpn "$proto" auth && hs openvpn "$proto"
				stop_ovpn ;;
			openvpn-noscript)
				start_ovpn "$proto" noauth && hs openvpn-noscript "$proto"
				stop_ovpn ;;
			esac
		done
		[ "$proto" = udp ] &&
			say "  note: both servers run with their UDP first-reply limit lifted (roshd new-client-rate=1000000, openvpn connect-freq-initial 1000000 1)"
		local r
		r=$(ratio "${R[hs,roshd,$proto]:-}" "${R[hs,openvpn,$proto]:-}")
		say "  ratio roshd/openvpn ($proto, both checking the password): $r  (target >= 2x: $(verdict "$r" ">=" 2))"
		say "  ratio roshd/openvpn without its auth script: $(ratio "${R[hs,roshd,$proto]:-}" "${R[hs,openvpn-noscript,$proto]:-}")"
		say "  server CPU per handshake: roshd ${R[hscpu,roshd,$proto]:-n/a} ms, openvpn ${R[hscpu,openvpn,$proto]:-n/a} ms (with script), ${R[hscpu,openvpn-noscript,$proto]:-n/a} ms (without);"
		say "  openvpn/roshd CPU per handshake (above 1: roshd is cheaper): $(ratio "${R[hscpu,openvpn,$proto]:-}" "${R[hscpu,roshd,$proto]:-}") with script, $(ratio "${R[hscpu,openvpn-noscript,$proto]:-}" "${R[hscpu,roshd,$proto]:-}") without"
	done
}

# ---------------------------------------------------------------- 3. memory
# hold BASE COUNT TAG SPORT: hs_load --hold in the background; sets HOLD_PID
hold() {
	: > "$W/hold-$3.out"
	ip netns exec "$NS_C" "$W/hs_load" -s "$SRV_IP" -p 1194 --ca "$W/ca.crt" --cert "$W/client.crt" \
		--key "$W/client.key" --verify-name vpn.bench -c "$HS_K" --hold "$2" --base "$1" \
		--users "$2" --user-fmt 'bench%04d' --pass-fmt 'pw%04d' --timeout 60 --sport "$4" \
		> "$W/hold-$3.out" 2> "$W/hold-$3.err" &
	HOLD_PID=$!
	track "$HOLD_PID"
	wait_for "$W/hold-$3.out" "ALL UP" 120 || {
		broken "$3: not all $2 clients came up: $(head -5 "$W/hold-$3.err")"
		stop_pid "$HOLD_PID"
		return 1
	}
}

# mem NAME COUNT-CMD SETTLE: the memory figure for the running server
# $SRV_PID. MEM_WARM clients first (one-time allocations happen then), the
# baseline, MEM_M more; all leave and SETTLE seconds pass; the same MEM_M
# users come back once more, from new source ports: a server that leaks
# grows again by about as much.
mem() {
	local name=$1 r0 r1 r2 r3 r4 h1 h2 n2 n3 n4 t1 t2 t4 per left
	sleep 1
	r0=$(rss_kb "$SRV_PID")
	hold 0 "$MEM_WARM" "$name-warm" 20000 || return
	h1=$HOLD_PID
	sleep 2
	r1=$(rss_kb "$SRV_PID")
	hold "$MEM_WARM" "$MEM_M" "$name-m" 30000 || { stop_pid "$h1"; return; }
	h2=$HOLD_PID
	sleep 3
	r2=$(rss_kb "$SRV_PID")
	n2=$($2)
	stop_pid "$h2"
	stop_pid "$h1"
	left=$(date +%s)
	for _ in $(seq $(($3 + 5))); do
		[ $(($(date +%s) - left)) -ge "$3" ] && break
		sleep 1
	done
	r3=$(rss_kb "$SRV_PID")
	n3=$($2)
	hold "$MEM_WARM" "$MEM_M" "$name-again" 40000 || return
	h2=$HOLD_PID
	sleep 3
	r4=$(rss_kb "$SRV_PID")
	n4=$($2)
	stop_pid "$h2"
	t1=$(sed -n 's/^ALL UP [0-9]* in \([0-9.]*\) s.*/\1/p' "$W/hold-$name-warm.out")
	t2=$(sed -n 's/^ALL UP [0-9]* in \([0-9.]*\) s.*/\1/p' "$W/hold-$name-m.out")
	t4=$(sed -n 's/^ALL UP [0-9]* in \([0-9.]*\) s.*/\1/p' "$W/hold-$name-again.out")
	per=$(awk -v a="$r1" -v b="$r2" -v m="$MEM_M" 'BEGIN { if (a == "" || b == "") print "n/a"; else printf "%.1f", (b - a) / m }')
	R[mem,$name]=$per
	say "  $name: VmRSS in KB (clients connected, seconds to connect them)"
	printf '    idle %8s\n' "$r0"
	printf '    %4s %8s  (%s, %s s)\n' "+$MEM_WARM" "$r1" "$MEM_WARM" "$t1"
	printf '    %4s %8s  (%s, %s s)\n' "+$MEM_M" "$r2" "$n2" "$t2"
	printf '    gone %8s  (%s, %s s after they left)\n' "$r3" "$n3" "$3"
	printf '    %4s %8s  (%s, %s s; the same %s users again)\n' "+$MEM_M" "$r4" "$n4" "$t4" "$MEM_M"
	say "    => $per KB per client (the $MEM_M after the first $MEM_WARM); the second round grew $(awk -v a="$r2" -v b="$r4" 'BEGIN { if (a == "" || b == "") print "n/a"; else print b - a }') KB over the first"
	cat "$W/hold-$name-warm.err" "$W/hold-$name-m.err" "$W/hold-$name-again.err" 2> /dev/null | head -5 | sed 's/^/    /'
	MEM_LEFT_AT=$left
}

roshd_count() { rosh -c '/ppp active print count-only' 2>&1; }
# the status file lags behind at times: count from the log (verb 3)
ovpn_count() {
	local a b
	a=$(grep -c "Peer Connection Initiated" "$W/ovpn-server.log")
	b=$(grep -c "client-instance exiting" "$W/ovpn-server.log")
	echo $((a - b))
}

phase_mem() {
	say ""
	say "== 3. server memory: VmRSS with $MEM_WARM, then $((MEM_WARM + MEM_M)) clients up (each its own user and pool address, UDP)"
	# roshd settles 65 s: see the count printed below
	case " $MEM_SERVERS " in *" roshd "*)
	if start_roshd && roshd_serve udp; then
		mem roshd roshd_count 65
		# Sessions made from the last packets of clients that had left:
		# they end after roshd's 60 s hand-window with a TLS error; until
		# then a new client from the same address and port gets no answer.
		local since z
		since=$(date '+%Y-%m-%d %H:%M:%S' -d "@$MEM_LEFT_AT")
		z=$(awk -v t="$since" '($1 " " $2) >= t && /session ends/ && /key negotiation failed/' "$W/roshd.log" | wc -l)
		say "    sessions roshd opened from the last packets of clients that had left (EXIT), dropped"
		say "    60 s later with 'TLS key negotiation failed': $z of $((MEM_WARM + MEM_M)) (expected 0)"
	fi
	stop_roshd ;;
	esac
	case " $MEM_SERVERS " in *" openvpn "*)
	if start_ovpn udp auth; then
		mem openvpn ovpn_count 10
	fi
	stop_ovpn ;;
	esac
	local r
	r=$(awk -v a="${R[mem,roshd]:-}" -v b="${R[mem,openvpn]:-}" 'BEGIN { if (a == "" || b + 0 <= 0 || a == "n/a") print "n/a"; else printf "%.2f", a / b }')
	say "  ratio roshd/openvpn per client: $r  (target <= 0.25: $(verdict "$r" "<=" 0.25))"
}

# ---------------------------------------------------------------- 4. perf
# top_symbols PERF.DATA: self time by symbol; code of a stripped library
# (Debian's libwolfssl keeps no names for its static functions) is summed
# per library as "(unnamed)".
top_symbols() {
	perf report -i "$1" --stdio --no-children --sort dso,symbol 2> /dev/null |
		awk '/^ +[0-9.]+%/ {
			p = $1; sub(/%/, "", p); dso = $2; sym = $4
			key = (sym ~ /^0x/) ? "(unnamed code) " dso : sym " " dso
			t[key] += p
		} END { for (k in t) printf "%6.2f%%  %s\n", t[k], k }' |
		sort -rn | head -"${PERF_TOP:-15}" | sed 's/^/      /'
}

phase_perf() {
	[ "$PERF" = 1 ] || return 0
	command -v perf > /dev/null || { say ""; say "== 4. perf: not installed, skipped"; return 0; }
	say ""
	say "== 4. where roshd's time goes: perf record -p roshd during iperf3 (udp), ${DUR} s per direction"
	start_iperf_server
	if roshd_up udp && start_client udp; then
		local dir pp ps
		for dir in $DIRS; do
			perf record -F 1999 -p "$ROSHD_PID" -o "$W/perf-$dir.data" -- sleep "$DUR" > /dev/null 2>&1 &
			pp=$!
			track "$pp"
			perf stat -e raw_syscalls:sys_enter -p "$ROSHD_PID" -o "$W/perf-stat-$dir.txt" -- sleep "$DUR" > /dev/null 2>&1 &
			ps=$!
			track "$ps"
			iperf "$ROSHD_TUN" "$dir"
			wait "$pp" "$ps" 2> /dev/null
			untrack "$pp"
			untrack "$ps"
			local sc
			sc=$(awk '/raw_syscalls:sys_enter/ {gsub(/[,.]/, "", $1); print $1}' "$W/perf-stat-$dir.txt" 2> /dev/null)
			say "  $dir: $MBPS Mbit/s under perf, roshd CPU $SCPU, $(awk -v n="$sc" -v d="$DUR" 'BEGIN { if (n + 0 > 0) printf "%.0f syscalls/s", n / d; else print "syscalls n/a" }') (about $(awk -v m="$MBPS" 'BEGIN { if (m + 0 > 0) printf "%.0f", m * 1e6 / 8 / 1400; else print "?" }') full-size packets/s); self time:"
			top_symbols "$W/perf-$dir.data"
			say "    by object:"
			perf report -i "$W/perf-$dir.data" --stdio --no-children --sort dso 2> /dev/null |
				grep -E '^ +[0-9]' | head -5 | sed 's/^ */      /'
		done
	else
		broken "perf run: no tunnel"
	fi
	stop_client
	stop_roshd
	stop_pid "$IPERF_PID"

	# handshakes over TCP (no cookie limit): CPU by symbol, then wall time by syscall
	say ""
	say "  handshakes: hs_load -t -c $HS_K against roshd for ${HS_DUR} s under perf record; self time:"
	if start_roshd && roshd_serve tcp; then
		local pp st
		perf record -F 1999 -p "$ROSHD_PID" -o "$W/perf-hs.data" -- sleep "$HS_DUR" > /dev/null 2>&1 &
		pp=$!
		track "$pp"
		hs_quiet "$HS_DUR" > "$W/hs-perf.out"
		wait "$pp" 2> /dev/null
		untrack "$pp"
		say "    $(sed -n 's/.*\(rate=[0-9.]*\).*\(server_cpu_ms_per_hs=[0-9.]*\).*\(server_cpu_pct=[0-9]*\).*/\1 \2 \3/p' "$W/hs-perf.out") (under perf)"
		top_symbols "$W/perf-hs.data"
		say "    by object:"
		perf report -i "$W/perf-hs.data" --stdio --no-children --sort dso 2> /dev/null |
			grep -E '^ +[0-9]' | head -6 | sed 's/^ */      /'
		if command -v strace > /dev/null; then
			timeout -s INT 6 strace -f -w -c -p "$ROSHD_PID" -o "$W/strace-hs.txt" > /dev/null 2>&1 &
			st=$!
			track "$st"
			hs_quiet 5 > "$W/hs-strace.out"
			wait "$st" 2> /dev/null
			untrack "$st"
			say "  the same under strace -f -w -c for 5 s: wall time inside syscalls (roshd has one thread:"
			say "  time blocked in a syscall is time no other client is served); top 8:"
			awk '/^ *[0-9.]+ +[0-9.]+ +[0-9]+ +[0-9]+/ {print}' "$W/strace-hs.txt" | head -8 |
				awk '{printf "      %6s%% %9s s %8s us/call %7s calls  %s\n", $1, $2, $3, $4, $NF}'
		fi
	else
		broken "perf handshake run: roshd did not serve tcp"
	fi
	stop_roshd
}

# hs_quiet SECONDS: hs_load -t against the running roshd, no warm-up
hs_quiet() {
	ip netns exec "$NS_C" timeout $(($1 + 60)) "$W/hs_load" -t -s "$SRV_IP" -p 1194 \
		--ca "$W/ca.crt" --cert "$W/client.crt" --key "$W/client.key" --verify-name vpn.bench \
		-c "$HS_K" -w 0 -d "$1" --users "$NUSERS" --user-fmt 'bench%04d' --pass-fmt 'pw%04d' \
		--watch-pid "$SRV_PID" 2> /dev/null
}

for ph in $PHASES; do
	case $ph in
	tput) phase_tput ;;
	hs) phase_hs ;;
	mem) phase_mem ;;
	perf) phase_perf ;;
	*) say "unknown phase $ph" ;;
	esac
done

say ""
say "== targets (DESIGN.md 7): handshakes >= 2x, memory per client <= 1/4 (above); throughput of the pair >= 3x: bench/client.sh"
if grep -qiE 'segfault|assert|abort|double free|corrupt' "$W/roshd.log" 2> /dev/null; then
	broken "roshd log reports a crash:"
	grep -iE 'segfault|assert|abort|double free|corrupt' "$W/roshd.log" | head -5
fi
[ "$BROKEN" = 0 ] || { say "$BROKEN things broke (see above)"; KEEP=1; exit 1; }
exit 0
