#!/bin/bash
# commit_apply.sh: time from a console "set" to the engine having applied it
# (the server listening on its new port), over 20 changes. Prints figures;
# asserts nothing. Needs root (a network namespace for roshd).
# Usage: bash bench/commit_apply.sh [BUILD_DIR]
set -u
build=$(cd "${1:-.}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 0; }
ns=rbench$$
t=$(mktemp -d /tmp/commit_apply.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2> /dev/null; sleep 0.2; ip netns del "$ns" 2> /dev/null; rm -rf "$t"; }
trap cleanup EXIT
rosh() { "$build/rosh" --db "$t/config.db" --socket "$t/roshd.sock" "$@"; }
ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
rosh > /dev/null <<'EOF2'
/certificate add name=ca common-name=ca key-usage=key-cert-sign,crl-sign
/certificate add name=srv common-name=srv key-usage=tls-server key-type=ec key-size=prime256v1
/certificate sign ca
/certificate sign srv ca=ca
/interface ovpn-server server add name=s certificate=srv protocol=udp port=20000 disabled=no
EOF2
ip netns exec "$ns" "$build/roshd" --db "$t/config.db" --socket "$t/roshd.sock" > "$t/log" 2>&1 &
pid=$!
sleep 1
# a port shows in /proc/net/udp6 as its hex number once the socket is bound
listening() { ip netns exec "$ns" grep -qi ":$(printf '%04X' "$1") " /proc/net/udp6; }
times=()
for i in $(seq 1 20); do
	port=$((20000 + i))
	start=$(date +%s%N)
	rosh -c "/interface ovpn-server server set s port=$port"
	for _ in $(seq 2000); do listening "$port" && break; sleep 0.001; done
	end=$(date +%s%N)
	listening "$port" || { echo "port $port never came up"; exit 1; }
	times+=($(( (end - start) / 1000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | sed -n 10p)
worst=$(echo "$sorted" | tail -1)
best=$(echo "$sorted" | head -1)
printf 'commit to applied (console set -> server listening on the new port), 20 runs\n'
awk -v b="$best" -v m="$median" -v w="$worst" 'BEGIN {
	printf "  best %.1f ms, median %.1f ms, worst %.1f ms (target: under 50 ms)\n", b / 1000, m / 1000, w / 1000
	print "  (each figure includes starting rosh and its commit)"
}' 
