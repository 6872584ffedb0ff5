#!/bin/bash
# test-rest.sh: REST (www over HTTP, www-ssl over HTTPS) with curl, against
# `rosh --serve` on a free port of 127.0.0.1: every verb (GET a list and one
# item, PUT, PATCH, DELETE, POST print with .proplist and .query, POST a
# command), the curl examples of man/rosh-api.7, and the refusals
# (no or wrong credentials, a user outside its address, a read user
# writing, a client outside the service's address, malformed JSON, a body
# over 1 MiB, a path that is no menu, values that look like code). The
# refusals that need users' passwords, addresses and policies checked
# (shell/login.c) fail until that login is in. Each server is stopped by
# its PID. Skips (77) without curl.
set -u
command -v curl > /dev/null || { echo "skip: curl is not installed"; exit 77; }
T=$WORK/rest.$$
mkdir -p "$T"
DB=$T/config.db
PIDS=""
FAILS=0
cleanup() {
	for p in $PIDS; do kill "$p" 2> /dev/null; done
	[ -n "${KEEP:-}" ] || rm -rf "$T"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
rosh() { "$ROSH" --db "$DB" --socket "$T/none.sock" "$@"; }

# A port nothing listens on, from a bounded number of tries.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 40000))
		[ -z "$(ss -Hltn "sport = :$p" 2> /dev/null)" ] && { echo "$p"; return 0; }
	done
	return 1
}

# serve SERVICE: start rosh --serve, wait (bounded) until it answers.
SERVER=""
serve() {
	# not through the function: $! must be rosh itself
	"$ROSH" --db "$DB" --socket "$T/none.sock" --serve "$1" > "$T/$1.log" 2>&1 &
	SERVER=$!
	PIDS="$PIDS $SERVER"
	for _ in $(seq 50); do
		ss -Hltn "sport = :$2" 2> /dev/null | grep -q . && return 0
		kill -0 "$SERVER" 2> /dev/null || break
		sleep 0.1
	done
	fail "$1 did not start: $(cat "$T/$1.log")"
	return 1
}
stop() { kill "$SERVER" 2> /dev/null; wait "$SERVER" 2> /dev/null; }

# req METHOD PATH [BODY [USER:PASS]]: CODE and BODY of the answer.
URL=""
CURLTLS=()
req() {
	local data=()
	[ $# -ge 3 ] && [ -n "$3" ] && data=(--data-binary "$3")
	CODE=$(curl -s "${CURLTLS[@]}" -o "$T/body" -D "$T/headers" -w '%{http_code}' \
		-u "${4:-admin:}" -X "$1" "${data[@]}" "$URL$2")
	BODY=$(cat "$T/body")
}
# expect WHAT CODE [TEXT]: the last answer had CODE and contains TEXT.
expect() {
	if [ "$CODE" != "$2" ]; then
		fail "$1: status $CODE, not $2: $BODY"
	elif [ $# -ge 3 ] && [[ "$BODY" != *"$3"* ]]; then
		fail "$1: no $3 in $BODY"
	else
		ok "$1"
	fi
}

PORT=$(free_port) || { echo "no free port"; exit 1; }
SPORT=$(free_port) || { echo "no free port"; exit 1; }
rosh > "$T/setup.log" 2>&1 <<-EOF || { cat "$T/setup.log"; exit 1; }
/ppp secret add name=alice password=a1 service=ovpn
/ppp secret add name=bob password=b1 comment=second
/ppp secret add name=carol password=c1 service=any
/ppp secret add name=guarded password=g1 comment=untouched
/user add name=reader group=read password=readpw
/user add name=faraway group=full password=farpw address=10.255.255.0/24
/system script add name=mark source="/ppp secret set bob comment=marked"
/ip service set www port=$PORT address=127.0.0.0/8
/ip service set www-ssl port=$SPORT
EOF
serve www "$PORT" || exit 1
URL=http://127.0.0.1:$PORT

# GET: every item, one by id and by name; every value a string
req GET /rest/ppp/secret
expect "GET a list" 200 '"name":"bob"'
n=$(grep -o '"\.id":"\*[0-9A-F]*"' "$T/body" | wc -l)
[ "$n" = 4 ] && ok "the list has 4 items with .id" || fail "the list has $n items with .id: $BODY"
grep -qE ':[0-9tfn]' "$T/body" && fail "a value that is not a string: $BODY" || ok "every value is a string"
id=$(grep -o '"\.id":"\*[0-9A-F]*","name":"bob"' "$T/body" | cut -d'"' -f4)
req GET "/rest/ppp/secret/$id"
expect "GET one by .id" 200 '"comment":"second"'
[ "${BODY:0:1}" = "{" ] && ok "one item is an object" || fail "one item is not an object: $BODY"
req GET /rest/ppp/secret/alice
expect "GET one by name" 200 '"service":"ovpn"'
req GET /rest/system/identity
expect "GET a single menu" 200 '"name":"'
req GET '/rest/ppp/secret?service=ovpn&.proplist=name'
expect "GET narrowed by the URL" 200 '"name":"alice"'
[ "$(grep -o '"\.id"' "$T/body" | wc -l)" = 1 ] && [[ "$BODY" != *password* ]] &&
	ok "the URL's filter and proplist hold" || fail "the URL's arguments ignored: $BODY"

# PUT adds and answers the new item; PATCH sets; DELETE removes
req PUT /rest/ppp/secret '{"name":"dave","password":"d1","comment":"new one"}'
expect "PUT adds" 200 '"name":"dave"'
[ "$(rosh -c ':put [/ppp secret get dave comment]')" = "new one" ] && ok "PUT is in the database" ||
	fail "PUT did not reach the database"
req PATCH /rest/ppp/secret/dave '{"comment":"changed","service":"ovpn"}'
expect "PATCH sets" 200 '"comment":"changed"'
[ "$(rosh -c ':put [/ppp secret get dave service]')" = "ovpn" ] && ok "PATCH is in the database" ||
	fail "PATCH did not reach the database"
req DELETE /rest/ppp/secret/dave
expect "DELETE removes" 204
[ "$(rosh -c '/ppp secret print count-only where name=dave')" = 0 ] && ok "DELETE is in the database" ||
	fail "DELETE did not reach the database"
req DELETE /rest/ppp/secret/dave
expect "DELETE of no item" 404 '"detail":"no such item"'

# POST print with .proplist and .query (a stack: alice or carol, not bob)
req POST /rest/ppp/secret/print '{".proplist":["name","service"],".query":["name=alice","name=carol","#|"]}'
expect "POST print with .query" 200 '"name":"carol"'
[[ "$BODY" != *bob* && "$BODY" == *alice* && "$BODY" != *password* ]] &&
	ok "the query and the proplist narrow it" || fail "query or proplist ignored: $BODY"
req POST /rest/ppp/secret/print '{".query":["comment","#!","service=any"]}'
expect "POST print with #!" 200 '"name":"carol"'
[[ "$BODY" != *alice* && "$BODY" != *bob* ]] && ok "#! negates" || fail "#! ignored: $BODY"
req POST /rest/ppp/secret/print '{".query":["#|"]}'
expect "a query stack too short" 400 '"detail":"bad query'

# POST a menu's own command with the body as arguments
req POST /rest/system/script/run '{".id":"mark"}'
expect "POST a command" 200
[ "$(rosh -c ':put [/ppp secret get bob comment]')" = marked ] &&
	ok "the command ran" || fail "the script did not run: $BODY"
req POST /rest/ppp/secret/add '{"name":"erin"}'
expect "POST add answers ret" 200 '"ret":"*'

# values that look like code stay values
evil='x\"; /ppp secret remove [find]; :put $y\n[/ppp secret remove [find]]'
req PUT /rest/ppp/secret "{\"name\":\"evil\",\"comment\":\"$evil\"}"
expect "a value with quotes, [ ], \$, ; and a newline" 200 '"name":"evil"'
[ "$(rosh -c '/ppp secret print count-only')" = 6 ] && ok "nothing ran from a value" ||
	fail "a value ran as code: $(rosh -c '/ppp secret print')"
want=$(printf 'x"; /ppp secret remove [find]; :put $y\n[/ppp secret remove [find]]')
[ "$(rosh -c ':put [/ppp secret get evil comment]')" = "$want" ] && ok "the value kept as sent" ||
	fail "the value changed: $(rosh -c ':put [/ppp secret get evil comment]')"
req PUT /rest/ppp/secret '{"name":"nul","comment":"a\u0000b"}'
expect "NUL refused" 400
req PUT /rest/ppp/secret '{"name":"x","comment]":"y"}'
expect "a bad name refused" 400 "unknown parameter"

# bad input
req POST /rest/ppp/secret/print '{".proplist":["name"'
expect "malformed JSON" 400 '"detail":"can not read json'
head -c $((1024 * 1024 + 10)) /dev/zero | tr '\0' ' ' > "$T/big"
req PUT /rest/ppp/secret "@$T/big"
expect "a body over 1 MiB" 413 '"error":413'
req GET /rest/no/such/menu
expect "a path that is no menu" 404 '"error":404'
req GET /nothing
expect "a path outside /rest" 404
req PUT /rest/ppp/secret '{"name":"y","service":"nonsense"}'
expect "a console error" 400 '"detail":"'

# credentials
CODE=$(curl -s -o /dev/null -D "$T/h" -w '%{http_code}' "$URL/rest/ppp/secret")
grep -qi '^WWW-Authenticate: Basic' "$T/h" && [ "$CODE" = 401 ] && ok "no credentials: 401 Basic" ||
	fail "no credentials: $CODE $(cat "$T/h")"
req GET /rest/ppp/secret "" admin:wrong
expect "wrong password (needs the lead's login.c)" 401
req GET /rest/ppp/secret "" faraway:farpw
expect "a user outside its address (needs the lead's login.c)" 401
req GET /rest/ppp/secret "" reader:readpw
expect "a read user reads" 200 '"name":"alice"'
before=$(rosh -c '/export show-sensitive' | grep -v '^#')
req PUT /rest/ppp/secret '{"name":"r1"}' reader:readpw
expect "a read user's PUT (needs the lead's login.c)" 403 "not enough permissions (9)"
req PATCH /rest/ppp/secret/guarded '{"comment":"r"}' reader:readpw
expect "a read user's PATCH (needs the lead's login.c)" 403 "not enough permissions (9)"
req DELETE /rest/ppp/secret/guarded "" reader:readpw
expect "a read user's DELETE (needs the lead's login.c)" 403 "not enough permissions (9)"
req POST /rest/ppp/secret/add '{"name":"r2"}' reader:readpw
expect "a read user's POST add (needs the lead's login.c)" 403 "not enough permissions (9)"
[ "$(rosh -c '/export show-sensitive' | grep -v '^#')" = "$before" ] &&
	ok "the read user changed nothing" || fail "the read user changed the configuration"

# the man page's examples, against this server: examples PROTO
examples() {
	sed -n '/^\.EX/,/^\.EE/p' "$SRC/man/rosh-api.7" | grep "^curl .*$1://" |
		sed 's/\\-/-/g' > "$T/examples"
	[ -s "$T/examples" ] || fail "no $1 curl examples in man/rosh-api.7"
	while IFS= read -r ex; do
		ex=${ex//$1:\/\/router/$URL}
		ex=${ex//ca.crt/$CA}
		eval "$ex -sf -o /dev/null" && ok "man: $ex" || fail "man example: $ex"
	done < "$T/examples"
}
CA=""
examples http
stop

# max-sessions: with two connections held open (one of them half a
# request), a third is turned away; once they go, it is served
rosh -c "/ip service set www max-sessions=2"
serve www "$PORT" || exit 1
exec 3<> "/dev/tcp/127.0.0.1/$PORT" 4<> "/dev/tcp/127.0.0.1/$PORT"
printf 'GET /rest/ppp/secret HTTP/1.1\r\nHost: x\r\n' >&4
sleep 0.3
req GET /rest/ppp/secret
[ "$CODE" = 000 ] && ok "over max-sessions: turned away" || fail "over max-sessions: $CODE"
exec 3>&- 4>&-
for _ in $(seq 20); do req GET /rest/ppp/secret; [ "$CODE" = 200 ] && break; sleep 0.1; done
expect "below max-sessions again" 200
# garbage is answered or dropped without hurting the server
head -c 65536 /dev/urandom > "$T/garbage"
timeout 5 bash -c "cat '$T/garbage' > /dev/tcp/127.0.0.1/$PORT" 2> /dev/null
printf 'GET /rest/ppp/secret HTTP/1.1\r\nHost: x\r\nAuthorization: Basic %%%%%%\r\n\r\n' |
	timeout 5 bash -c "cat > /dev/tcp/127.0.0.1/$PORT" 2> /dev/null
req GET /rest/ppp/secret
expect "served after garbage" 200 '"name":"alice"'
stop

# a client outside the service's address list is not served
rosh -c "/ip service set www address=10.255.0.0/16 max-sessions=20"
serve www "$PORT" || exit 1
req GET /rest/ppp/secret
[ "$CODE" = 000 ] && ok "outside the service's address: closed" || fail "outside the service's address: $CODE"
stop

# HTTPS with our own certificate, and tls-version
rosh > "$T/cert.log" 2>&1 <<-EOF || { cat "$T/cert.log"; exit 1; }
/certificate add name=ca common-name=rest-ca key-usage=key-cert-sign,crl-sign key-type=ec key-size=prime256v1
/certificate sign ca
/certificate add name=web common-name=127.0.0.1 subject-alt-name=IP:127.0.0.1 key-usage=digital-signature,key-encipherment,tls-server key-type=ec key-size=prime256v1
/certificate sign web ca=ca
/certificate export-certificate ca
/ip service set www-ssl certificate=web
EOF
CA=$(dirname "$DB")/files/cert_export_ca.crt
URL=https://127.0.0.1:$SPORT
serve www-ssl "$SPORT" || exit 1
CURLTLS=(--cacert "$CA")
req GET /rest/ppp/secret
expect "HTTPS GET" 200 '"name":"alice"'
req PUT /rest/ppp/secret '{"name":"tls"}'
expect "HTTPS PUT" 200 '"name":"tls"'
req PATCH /rest/ppp/secret/tls '{"comment":"over tls"}'
expect "HTTPS PATCH" 200 '"comment":"over tls"'
req POST /rest/ppp/secret/print '{".query":["name=tls"]}'
expect "HTTPS POST print" 200 '"comment":"over tls"'
req DELETE /rest/ppp/secret/tls
expect "HTTPS DELETE" 204
examples https
CURLTLS=()
req GET /rest/ppp/secret
[ "$CODE" = 000 ] && ok "a client that does not trust the certificate gets nothing" ||
	fail "untrusted certificate accepted: $CODE"
timeout 5 bash -c "cat '$T/garbage' > /dev/tcp/127.0.0.1/$SPORT" 2> /dev/null
CURLTLS=(--cacert "$CA")
req GET /rest/ppp/secret
expect "HTTPS served after garbage" 200 '"name":"alice"'
stop
rosh -c "/ip service set www-ssl tls-version=only-1.3"
serve www-ssl "$SPORT" || exit 1
CURLTLS=(--cacert "$CA" --tls-max 1.2)
req GET /rest/ppp/secret
[ "$CODE" = 000 ] && ok "only-1.3 refuses TLS 1.2" || fail "only-1.3 served TLS 1.2: $CODE"
CURLTLS=(--cacert "$CA" --tlsv1.3)
req GET /rest/ppp/secret
expect "only-1.3 serves TLS 1.3" 200
stop
rosh -c "/ip service set www-ssl tls-version=only-1.2"
serve www-ssl "$SPORT" || exit 1
req GET /rest/ppp/secret
[ "$CODE" = 000 ] && ok "only-1.2 refuses TLS 1.3" || fail "only-1.2 served TLS 1.3: $CODE"
CURLTLS=(--cacert "$CA" --tls-max 1.2)
req GET /rest/ppp/secret
expect "only-1.2 serves TLS 1.2" 200
stop

# a server with no certificate refuses to start, saying why
rosh -c "/ip service set www-ssl certificate=none"
rosh --serve www-ssl > "$T/nocert.log" 2>&1 && fail "www-ssl started without a certificate" ||
	{ grep -q "certificate" "$T/nocert.log" && ok "no certificate: $(cat "$T/nocert.log")" ||
		fail "no certificate: $(cat "$T/nocert.log")"; }

[ $FAILS -eq 0 ]
