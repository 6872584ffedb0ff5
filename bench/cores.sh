#!/bin/bash
# cores.sh: roshd's data path on one worker against several (roshd
# --workers N), and the stock OpenVPN 2.6 server (one thread) beside
# them, with C stock OpenVPN 2.6 clients (8) each pushing one
# iperf3 TCP stream through its own tunnel at the same time. For each
# layout and worker count: the aggregate Mbit/s, roshd's CPU per thread
# (its workers are named roshd-dpN), how many clients each worker carries,
# and the busy share of every core (/proc/stat, softirq included: the
# kernel's UDP and tun work is counted where it runs).
# PERF=1 adds where roshd's time goes (perf record, top symbols).
# Layouts (LAYOUTS): split: roshd on SERVER_CPUS, the clients and iperf3 on
# LOAD_CPUS (taskset), so the server side has cores of its own; shared: no
# pinning, all share every core.
# Figures only, never asserted: exit 0 unless something broke, 77 when a
# prerequisite is missing. Two network namespaces made here (10.234.0.0/24),
# removed on exit with every process started (by PID).
#
# Usage: bash bench/cores.sh [BUILD_DIR]    (see bench/README.md)
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
BUILD=$(cd "${1:-$top}" && pwd) || exit 2
DUR=${DUR:-10}				# seconds per iperf3 run
C=${C:-8}				# clients
WORKERS=${WORKERS:-"1 2"}		# roshd --workers values
SERVERS=${SERVERS:-"roshd openvpn"}	# openvpn: the stock 2.6 server, one thread
LAYOUTS=${LAYOUTS:-"split shared"}
DIRS=${DIRS:-"down up"}			# down: server -> clients (roshd seals)
PERF=${PERF:-0}				# 1: perf record roshd in each run, top symbols
NCPU=$(nproc)
SERVER_CPUS=${SERVER_CPUS:-$((NCPU - 1))}	# split layout: roshd's cores
LOAD_CPUS=${LOAD_CPUS:-0$([ "$NCPU" -gt 2 ] && echo "-$((NCPU / 2 - 1))")}

if [ "$(id -u)" != 0 ]; then echo "SKIP: needs root (namespaces, tun)"; exit 77; fi
for t in openvpn iperf3 ip taskset awk; do
	command -v "$t" > /dev/null || { echo "SKIP: $t is not installed"; exit 77; }
done
[ -c /dev/net/tun ] || { echo "SKIP: no /dev/net/tun"; exit 77; }
for f in "$BUILD/rosh" "$BUILD/roshd"; do
	[ -x "$f" ] || { echo "FAIL: $f is not built (make -j2)"; exit 1; }
done

W=$(mktemp -d /tmp/rosh-cores.XXXXXX)
NS_S=rks$$
NS_C=rkc$$
SRV_IP=10.234.0.1
CLI_IP=10.234.0.2
TUN_SRV=10.79.0.1
PIDS=""
BROKEN=0
HZ=$(getconf CLK_TCK)

# shellcheck source=bench/lib.sh
. "$here/lib.sh"
# thread_ticks PID: "name ticks" for each of its threads
thread_ticks() {
	local t
	for t in /proc/"$1"/task/*; do
		printf '%s %s\n' "$(cat "$t/comm" 2> /dev/null)" \
			"$(sed 's/^.*) //' "$t/stat" 2> /dev/null | awk '{print $12 + $13}')"
	done | awk '{s[$1] += $2} END {for (n in s) print n, s[n]}' | sort
}
# cpu_snap: "cpuN busy total" for every core
cpu_snap() { awk '/^cpu[0-9]/ {b = $2 + $3 + $4 + $7 + $8 + $9; print $1, b, b + $5 + $6}' /proc/stat; }

# ---------------------------------------------------------------- setup
say "== rosh cores benchmark: $NCPU cores, $(uname -r), $(openvpn --version | head -1 | cut -d' ' -f1-2), $C clients, ${DUR} s per run"
say "   load average before: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this machine shares the cores)"
ip netns add "$NS_S" && ip netns add "$NS_C" || { say "FAIL: namespaces"; exit 1; }
ip link add "rkvs$$" type veth peer name "rkvc$$" && ip link set "rkvs$$" netns "$NS_S" &&
	ip link set "rkvc$$" netns "$NS_C" && ns_s ip addr add "$SRV_IP/24" dev "rkvs$$" &&
	ns_c ip addr add "$CLI_IP/24" dev "rkvc$$" && ns_s ip link set "rkvs$$" up &&
	ns_c ip link set "rkvc$$" up && ns_s ip link set lo up && ns_c ip link set lo up ||
	{ say "FAIL: veth"; exit 1; }

mkdir -p "$W/db/files"
for i in $(seq 0 $((C - 1))); do echo "/ppp secret add name=core$i password=pw$i profile=cores service=ovpn"; done \
	> "$W/db/files/users.rsc"
rosh > "$W/setup.log" 2>&1 <<-EOF || { cat "$W/setup.log"; say "FAIL: rosh setup"; exit 1; }
	/certificate
	add name=ca common-name=cores-ca key-usage=key-cert-sign,crl-sign
	add name=server common-name=vpn.cores key-usage=digital-signature,key-encipherment,tls-server key-type=ec key-size=prime256v1
	add name=client1 common-name=client1 key-usage=digital-signature,tls-client key-type=ec key-size=prime256v1
	sign ca
	sign server ca=ca
	sign client1 ca=ca
	/ip pool add name=cores-pool ranges=10.79.0.2-10.79.0.254
	/ppp profile add name=cores local-address=$TUN_SRV remote-address=cores-pool
	/interface ovpn-server server add name=srv certificate=server require-client-certificate=yes protocol=udp cipher=aes256-gcm auth=sha1 keepalive-timeout=60 disabled=no
	/import file-name=users.rsc
	/interface ovpn-server server export-client-configuration server=srv server-address=$SRV_IP ca-certificate=ca client-certificate=client1 file-name=client
	/interface ovpn-server server export-client-configuration server=srv server-address=$SRV_IP ca-certificate=ca client-certificate=server client-cert-key=server file-name=srvpki
EOF
cp "$W/db/files/client.ovpn" "$W/client.ovpn" || { say "FAIL: export-client-configuration"; exit 1; }
# the stock server's files: the same certificates, the same users
pem_of() { awk -v t="$2" '$0 == "</" t ">" {p = 0} p {print} $0 == "<" t ">" {p = 1}' "$1" > "$3"; }
pem_of "$W/client.ovpn" ca "$W/ca.crt"
pem_of "$W/db/files/srvpki.ovpn" cert "$W/server.crt"
pem_of "$W/db/files/srvpki.ovpn" key "$W/server.key"
chmod 600 "$W/server.key"
for i in $(seq 0 $((C - 1))); do echo "core$i:pw$i"; done > "$W/users.txt"
printf '#!/bin/sh\n{ read -r u; read -r p; } < "$1"\ngrep -qxF "$u:$p" "%s"\n' "$W/users.txt" > "$W/auth.sh"
chmod 755 "$W/auth.sh"
cat > "$W/ovpn.conf" <<-EOF
	server 10.80.0.0 255.255.255.0
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
	script-security 2
	auth-user-pass-verify $W/auth.sh via-file
	tmp-dir $W
	verb 3
EOF
for i in $(seq 0 $((C - 1))); do printf 'core%s\npw%s\n' "$i" "$i" > "$W/creds$i"; chmod 600 "$W/creds$i"; done

ROSHD_PID=""
SRV_PID=""
TARGET=$TUN_SRV		# the server's tunnel address the streams go to
start_ovpn() {	# start_ovpn CPUS: the stock server
	# shellcheck disable=SC2046
	ip netns exec "$NS_S" $([ -n "$1" ] && echo taskset -c "$1") openvpn --config "$W/ovpn.conf" \
		> "$W/ovpn-server.log" 2>&1 &
	SRV_PID=$!
	track "$SRV_PID"
	wait_for "$W/ovpn-server.log" "Initialization Sequence Completed" 10 ||
		{ broken "openvpn server did not start: $(tail -3 "$W/ovpn-server.log")"; return 1; }
}
start_roshd() {	# start_roshd WORKERS CPUS ("": any)
	rm -f "$W/roshd.sock"
	: > "$W/roshd.log"
	# shellcheck disable=SC2046
	ip netns exec "$NS_S" $([ -n "$2" ] && echo taskset -c "$2") "$BUILD/roshd" --workers "$1" --log-level debug \
		--db "$W/db/config.db" --socket "$W/roshd.sock" >> "$W/roshd.log" 2>&1 &
	ROSHD_PID=$!
	SRV_PID=$ROSHD_PID
	track "$ROSHD_PID"
	wait_for "$W/roshd.log" "listening on" 10 ||
		{ broken "roshd did not listen: $(tail -3 "$W/roshd.log")"; return 1; }
}

# (background processes are started with ip netns exec itself, not the
# ns_ functions: $! must be the process, not a subshell)
# start_clients CPUS: C stock clients, tun-cN each, and for each the
# routing that keeps its address's replies in its own tunnel
CPIDS=""
start_clients() {
	local i addr pin=""
	[ -n "$1" ] && pin="taskset -c $1"
	CPIDS=""
	for i in $(seq 0 $((C - 1))); do
		: > "$W/client$i.log"
		# shellcheck disable=SC2086
		ip netns exec "$NS_C" $pin openvpn --config "$W/client.ovpn" --auth-user-pass "$W/creds$i" --dev "tun-c$i" \
			--route-nopull --verb 3 --connect-retry-max 3 --auth-retry none > "$W/client$i.log" 2>&1 &
		CPIDS="$CPIDS $!"
		track "$!"
	done
	for i in $(seq 0 $((C - 1))); do
		wait_for "$W/client$i.log" "Initialization Sequence Completed" 30 ||
			{ broken "client $i got no tunnel: $(grep -iE 'error|fail' "$W/client$i.log" | tail -2)"; return 1; }
		addr=$(ns_c ip -4 -o addr show dev "tun-c$i" | awk '{sub(/\/.*/, "", $4); print $4}')
		ADDR[$i]=$addr
		ns_c ip rule add from "$addr" table $((100 + i)) &&
			ns_c ip route add "$TARGET" dev "tun-c$i" table $((100 + i)) ||
			{ broken "routing for client $i ($addr)"; return 1; }
	done
}
stop_clients() {
	local i p
	for p in $CPIDS; do stop_pid "$p"; done
	for i in $(seq 0 $((C - 1))); do ns_c ip rule del table $((100 + i)) 2> /dev/null; done
	CPIDS=""
}
declare -A ADDR

# run DIR CPUS: C iperf3 streams at once from the server's namespace to
# each client's address; prints the row
run() {
	local dir=$1 pin="" i t0 t1 th0 th1 c0 c1 sum=0 ok=0 rx jobs=""
	[ -n "$2" ] && pin="taskset -c $2"
	for i in $(seq 0 $((C - 1))); do
		# shellcheck disable=SC2086
		ip netns exec "$NS_C" $pin iperf3 -s -1 -B "${ADDR[$i]}" -p $((5301 + i)) > /dev/null 2>&1 &
		track "$!"
	done
	sleep 0.5
	if [ "$PERF" = 1 ] && command -v perf > /dev/null; then
		perf record -F 999 -p "$SRV_PID" -o "$W/perf.data" -- sleep "$DUR" > /dev/null 2>&1 &
		jobs="$!"
	fi
	th0=$(thread_ticks "$SRV_PID")
	c0=$(cpu_snap)
	t0=$(now)
	for i in $(seq 0 $((C - 1))); do
		# shellcheck disable=SC2046,SC2086
		timeout $((DUR + 30)) ip netns exec "$NS_S" $pin iperf3 -c "${ADDR[$i]}" -p $((5301 + i)) -t "$DUR" -f m \
			--connect-timeout 5000 $([ "$dir" = up ] && echo -R) > "$W/iperf$i.out" 2>&1 &
		jobs="$jobs $!"
	done
	# shellcheck disable=SC2086
	wait $jobs 2> /dev/null
	t1=$(now)
	th1=$(thread_ticks "$SRV_PID")
	c1=$(cpu_snap)
	for i in $(seq 0 $((C - 1))); do
		rx=$(awk '/receiver/ {for (k = 1; k <= NF; k++) if ($k == "Mbits/sec") v = $(k - 1)} END {print v}' "$W/iperf$i.out")
		[ -n "$rx" ] && ok=$((ok + 1)) && sum=$(awk -v a="$sum" -v b="$rx" 'BEGIN {print a + b}')
	done
	[ "$ok" = "$C" ] || broken "$((C - ok)) of $C iperf3 streams failed: $(grep -h error "$W"/iperf*.out | head -1)"
	printf '  %-6s %-4s %6.0f Mbit/s' "$LAYOUT" "$dir" "$sum"
	join <(echo "$th0") <(echo "$th1") | awk -v d="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" \
		-v hz="$HZ" -v mbps="$sum" '{ v = ($3 - $2) / hz / d * 100; all += v
			if (v >= 1) th = th sprintf(" %s %.0f%%", $1, v) }
		END { per = "n/a"; if (all > 0) per = sprintf("%.0f", mbps / (all / 100))
			printf "  server CPU %.0f%% (%s Mbit/s per core):%s", all, per, th }'
	printf '  cores busy:'
	join <(echo "$c0") <(echo "$c1") | awk '{ if ($5 > $3) printf " %s %.0f%%", $1, ($4 - $2) / ($5 - $3) * 100 }'
	printf '\n'
	[ -s "$W/perf.data" ] && top_symbols "$W/perf.data"
	rm -f "$W/perf.data"
}

# top_symbols PERF.DATA: roshd's self time by symbol and object
top_symbols() {
	perf report -i "$1" --stdio --no-children --sort dso,symbol 2> /dev/null |
		awk '/^ +[0-9.]+%/ { p = $1; sub(/%/, "", p); t[$4 " (" $2 ")"] += p }
			END { for (k in t) printf "%6.2f%%  %s\n", t[k], k }' |
		sort -rn | head -"${PERF_TOP:-8}" | sed 's/^/      /'
}

for LAYOUT in $LAYOUTS; do
	scpus="" lcpus=""
	[ "$LAYOUT" = split ] && scpus=$SERVER_CPUS lcpus=$LOAD_CPUS
	say ""
	say "== layout $LAYOUT: the server on cores ${scpus:-any}, clients and iperf3 on ${lcpus:-any}"
	for srv in $SERVERS; do
		runs=$WORKERS
		[ "$srv" = openvpn ] && runs=1
		for n in $runs; do
			if [ "$srv" = roshd ]; then
				say " -- roshd --workers $n"
				TARGET=$TUN_SRV
				start_roshd "$n" "$scpus" || continue
			else
				say " -- stock openvpn server (one thread)"
				TARGET=10.80.0.1
				start_ovpn "$scpus" || continue
			fi
			if start_clients "$lcpus"; then
				[ "$srv" = roshd ] && say "  $(grep -c 'carried by worker' "$W/roshd.log") clients on workers:$(sed -n 's/.*carried by worker \([0-9]*\).*/\1/p' "$W/roshd.log" | sort | uniq -c | awk '{printf " dp%s: %s", $2, $1}')"
				for dir in $DIRS; do run "$dir" "$lcpus"; done
			fi
			stop_clients
			kill -0 "$SRV_PID" 2> /dev/null || broken "$srv died"
			stop_pid "$SRV_PID"
		done
	done
done
say ""
say "A worker's share shows as roshd-dpN (roshd: the control thread; with --workers 1"
say "everything runs there). The clients are stock openvpn: on a shared core they cost"
say "about what the server does, so on 2 cores the load generator, not roshd, sets the"
say "pace; read roshd's CPU per thread and per Mbit/s, not the total alone."
exit $((BROKEN > 0))
