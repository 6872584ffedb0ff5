#!/bin/bash
# test-api-node.sh: the npm client node-routeros (installed into _deps/ by
# tools/node-routeros.sh) against rosh --serve api and api-ssl, with a
# listen that sees a change made from the console.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
mods=$SRC/_deps/node-routeros/node_modules
command -v node > /dev/null || { echo "SKIP: no node on this machine"; exit 77; }
[ -d "$mods/node-routeros" ] ||
	{ echo "SKIP: node-routeros is not installed (tools/node-routeros.sh needs npm)"; exit 77; }
. "$HERE/api_server.sh"
"$ROSH" --db "$DB" > "$T/setup.log" 2>&1 <<'RSC' || { cat "$T/setup.log"; exit 1; }
/user set admin password=secret-pw
/certificate add name=ca common-name=Test-CA key-usage=key-cert-sign,crl-sign
/certificate add name=api common-name=localhost key-usage=digital-signature,key-encipherment,tls-server key-type=ec key-size=prime256v1
/certificate sign ca
/certificate sign api ca=ca
/certificate export-certificate ca
/ip service set api-ssl certificate=api tls-version=only-1.3
RSC
start_api api-ssl || exit 1
ssl_pid=$SPID ssl_port=$PORT
SPID=
start_api api || { kill "$ssl_pid"; exit 1; }
NODE_PATH=$mods node "$HERE/api_node.js" "$PORT" "$ssl_port" "$(dirname "$DB")/files/cert_export_ca.crt" \
	"$ROSH" "$DB"
rc=$?
kill "$ssl_pid"
wait "$ssl_pid" 2> /dev/null
exit $rc
