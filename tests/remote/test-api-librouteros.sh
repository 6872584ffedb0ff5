#!/bin/bash
# test-api-librouteros.sh: Debian's python3-librouteros (a real client)
# against rosh --serve api and api-ssl, with a certificate the console signs.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/api_server.sh"
/usr/bin/python3 -c 'import librouteros' 2> /dev/null ||
	{ echo "SKIP: python3-librouteros is not installed (tools/packages.txt has it)"; exit 77; }
"$ROSH" --db "$DB" > "$T/setup.log" 2>&1 <<'RSC' || { cat "$T/setup.log"; exit 1; }
/user set admin password=secret-pw
/certificate add name=ca common-name=Test-CA key-usage=key-cert-sign,crl-sign
/certificate add name=api common-name=localhost subject-alt-name=DNS:localhost,IP:127.0.0.1 key-usage=digital-signature,key-encipherment,tls-server key-type=ec key-size=prime256v1
/certificate sign ca
/certificate sign api ca=ca
/certificate export-certificate ca
RSC
ca=$(dirname "$DB")/files/cert_export_ca.crt
[ -f "$ca" ] || { echo "no exported CA: $(ls "$(dirname "$DB")/files")"; exit 1; }
# api-ssl refuses to start without a certificate, saying why
p=$(free_port)
"$ROSH" --db "$DB" -c "/ip service set api-ssl port=$p" || exit 1
if timeout 10 "$ROSH" --db "$DB" --serve api-ssl 2> "$T/nocert.log"; then
	echo "FAIL: api-ssl started without a certificate"; exit 1
fi
grep -q "no certificate" "$T/nocert.log" || { echo "FAIL: no clear line: $(cat "$T/nocert.log")"; exit 1; }
"$ROSH" --db "$DB" -c "/ip service set api-ssl certificate=api" || exit 1
start_api api-ssl || exit 1
ssl_pid=$SPID ssl_port=$PORT
SPID=
start_api api || { kill "$ssl_pid"; exit 1; }
cd "$HERE" && /usr/bin/python3 api_librouteros.py "$PORT" "$ssl_port" "$ca" "$ROSH" "$DB"
rc=$?
kill "$ssl_pid"
wait "$ssl_pid" 2> /dev/null

# tls-version: only-1.2 serves TLS 1.2 and refuses a client that wants 1.3
stop_api
"$ROSH" --db "$DB" -c "/ip service set api-ssl tls-version=only-1.2" || exit 1
start_api api-ssl || exit 1
/usr/bin/python3 - "$PORT" "$ca" <<'PY' || rc=1
import socket, ssl, sys
port, ca = int(sys.argv[1]), sys.argv[2]
def hello(lo, hi):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.check_hostname = False
    ctx.minimum_version, ctx.maximum_version = lo, hi
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        try:
            with ctx.wrap_socket(s) as t:
                return t.version()
        except (ssl.SSLError, ConnectionResetError):
            return None
v12, v13 = ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3
got = hello(v12, v13), hello(v13, v13)
if got != ("TLSv1.2", None):
    sys.exit("FAIL: only-1.2 answered %r (want TLSv1.2, then a refusal of 1.3)" % (got,))
PY
exit $rc
