#!/bin/bash
# test-services.sh: /ip service applied by roshd. Enabling a service starts
# its process (rosh --serve NAME, or sshd for ssh) listening on its port,
# a changed port restarts it there, a process that dies is started again,
# disabling stops it, and telnet (which Rosh does not have) is flagged
# invalid and logged, with nothing listening.
. "$SRC/tests/remote/lib.sh"

# Until the console has its servers (rosh --serve), a stand-in listens on
# the service's port; every other use of the console goes to the real one.
if "$ROSH" --help 2>&1 | grep -q -- '--serve'; then
	SERVE_ROSH=$ROSH
else
	command -v python3 > /dev/null || { echo "skip: no rosh --serve yet and no python3 for a stand-in"; exit 77; }
	SERVE_ROSH=$T/rosh
	cat > "$SERVE_ROSH" <<FAKE
#!/bin/bash
# stand-in for rosh --serve NAME: listens on the service's port
for a; do [ "\$prev" = --serve ] && name=\$a; prev=\$a; done
[ -n "\${name:-}" ] || exec "$ROSH" "\$@"
port=\$("$ROSH" --db "$DB" -c ":put [/ip service get \$name port]") || exit 1
exec python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8)
while True: s.accept()[0].close()' "\$port"
FAKE
	chmod 755 "$SERVE_ROSH"
	echo "note: rosh has no --serve yet: a stand-in listens for api, api-ssl, www, www-ssl"
fi
start_roshd --rosh "$SERVE_ROSH" || exit 1

# a certificate for api-ssl and www-ssl
rosh -c '/certificate add name=svc-ca common-name=svc-ca key-usage=key-cert-sign,crl-sign
/certificate sign svc-ca
/certificate add name=svc common-name=127.0.0.1
/certificate sign svc ca=svc-ca
/ip service set api-ssl,www-ssl certificate=svc' > /dev/null || fail "certificate setup"

child_on() {	# port: the PID listening there, when it is roshd's child
	local pid
	pid=$(listener "$1")
	[ -n "$pid" ] && [ "$(ps -o ppid= -p "$pid" | tr -d ' ')" = "$ROSHD_PID" ] && echo "$pid"
}

for svc in api api-ssl www www-ssl ssh; do
	P=$(free_port) || exit 1
	rosh -c "/ip service set $svc port=$P disabled=no"
	wait_port "$P" up && PID=$(child_on "$P") && ok "$svc: pid $PID listens on $P" ||
		{ fail "$svc: nothing of roshd's listens on $P: $(tail -5 "$T/roshd.log")"; continue; }
	service_flag "$svc" R && ok "$svc: print shows it running" || fail "$svc: not flagged running"
	P2=$(free_port)
	rosh -c "/ip service set $svc port=$P2"
	if wait_port "$P2" up && wait_port "$P" down && PID2=$(child_on "$P2"); then
		ok "$svc: port changed: pid $PID2 on $P2, $P closed"
		kill -0 "$PID" 2> /dev/null && [ "$PID" != "$PID2" ] && fail "$svc: old pid $PID still runs"
	else
		fail "$svc: not restarted on its new port $P2"
	fi
	if [ "$svc" = api ]; then	# a death: roshd starts it again
		kill -9 "$PID2"
		wait_port "$P2" down
		wait_port "$P2" up && NEW=$(child_on "$P2") && [ "$NEW" != "$PID2" ] &&
			ok "$svc: killed, started again (pid $NEW)" || fail "$svc: not started again after a kill"
		PID2=${NEW:-$PID2}
	fi
	rosh -c "/ip service set $svc disabled=yes"
	wait_port "$P2" down && ok "$svc: disabled, $P2 closed" || fail "$svc: $P2 still open"
	for _ in $(seq 50); do kill -0 "$PID2" 2> /dev/null || break; sleep 0.1; done
	kill -0 "$PID2" 2> /dev/null && fail "$svc: pid $PID2 still runs" || ok "$svc: pid $PID2 gone"
	service_flag "$svc" R && fail "$svc: still flagged running" || ok "$svc: no longer running"
done

P=$(free_port)
rosh -c "/ip service set telnet port=$P disabled=no"
for _ in $(seq 50); do service_flag telnet I && break; sleep 0.1; done
service_flag telnet I && ok "telnet enabled: flagged invalid" || fail "telnet not flagged invalid"
rosh -c '/log print' | grep -q 'Rosh has no telnet server' && ok "telnet: logged" || fail "telnet: not logged"
sleep 0.5
[ -z "$(listener "$P")" ] && ok "telnet: nothing listens on $P" || fail "something listens on $P"
rosh -c '/ip service set telnet disabled=yes'
for _ in $(seq 50); do service_flag telnet I || break; sleep 0.1; done
service_flag telnet I && fail "telnet still invalid when disabled" || ok "telnet disabled: flag cleared"
[ "$FAILS" = 0 ]
