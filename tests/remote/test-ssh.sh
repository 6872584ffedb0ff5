#!/bin/bash
# test-ssh.sh: SSH into the console through roshd's own sshd (/ip service
# ssh): a key added to /user ssh-keys logs its user in with stock OpenSSH;
# a one-shot command runs as a console line, an interactive session runs
# the console in a terminal (tmux), a read user can not write, there is no
# shell and no forwarding, and disabling the service stops sshd.
. "$SRC/tests/remote/lib.sh"
command -v ssh > /dev/null && command -v ssh-keygen > /dev/null ||
	{ echo "skip: ssh and ssh-keygen are not installed (openssh-client)"; exit 77; }
command -v tmux > /dev/null || { echo "skip: tmux is not installed"; exit 77; }

TMUX_S=rssh$$
trap 'tmux kill-session -t "$TMUX_S" 2> /dev/null; remote_cleanup' EXIT

ssh-keygen -q -t ed25519 -N '' -C admin-key -f "$T/admin" || exit 1
ssh-keygen -q -t ecdsa -N '' -C ro-key -f "$T/ro" || exit 1
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$T/stranger" || exit 1
PORT=$(free_port) || { echo "no free port"; exit 1; }
start_roshd || exit 1
XO=()	# more ssh options for the next sh_
sh_() {	# key, login name, command
	timeout 30 ssh -i "$T/$1" -p "$PORT" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o BatchMode=yes -o LogLevel=ERROR -o IdentitiesOnly=yes "${XO[@]}" "$2@127.0.0.1" "${@:3}"
}

rosh -c "/user ssh-keys add user=admin key=\"$(cat "$T/admin.pub")\"
/user add name=ro group=read
/user ssh-keys add user=ro key=\"$(cat "$T/ro.pub")\"
/ppp secret add name=alice password=a1
/ip service set ssh port=$PORT disabled=no" || fail "setup"
wait_port "$PORT" up || { fail "sshd is not listening on $PORT"; tail -20 "$T/roshd.log"; exit 1; }
SSHD=$(listener "$PORT")
[ "$(ps -o ppid= -p "$SSHD" | tr -d ' ')" = "$ROSHD_PID" ] && ok "sshd (pid $SSHD) is roshd's child" ||
	fail "the listener on $PORT is not roshd's child"
service_flag ssh R && ok "print shows ssh running" || fail "ssh not flagged running"

out=$(sh_ admin admin '/ppp secret print' 2>&1)
echo "$out" | grep -q ' alice ' && ok "one-shot command as admin@" || fail "one-shot: $out"
out=$(sh_ admin rosh ':put ("via-" . "rosh")' 2>&1)
[ "$out" = via-rosh ] && ok "the service account's own name logs in too" || fail "rosh@: $out"
out=$(sh_ stranger admin ':put x' 2>&1) && fail "a key not in /user ssh-keys got in: $out" ||
	ok "an unknown key is refused"

out=$(sh_ admin admin 'ls /' 2>&1) && fail "ls / succeeded: $out" || true
echo "$out" | grep -q 'bad command name ls' && ok "no shell: ls / is a console error" ||
	fail "ls /: $out"

XO=(-W 127.0.0.1:"$PORT")
out=$(sh_ admin admin < /dev/null 2>&1) && fail "stdio forwarding allowed: $out" || true
echo "$out" | grep -q 'forwarding failed' && ok "forwarding refused (-W: $out)" || fail "-W: $out"
RP=$(free_port)
XO=(-o ExitOnForwardFailure=yes -R 127.0.0.1:"$RP":127.0.0.1:"$PORT")
out=$(sh_ admin admin ':put up' 2>&1) && fail "remote forwarding allowed: $out" || true
echo "$out" | grep -q 'forwarding failed' && ok "remote forwarding refused ($out)" || fail "-R: $out"
XO=()

# the console in a terminal: a command, its output, quit
tmux new-session -d -s "$TMUX_S" -x 150 -y 40 \
	"ssh -tt -i $T/admin -p $PORT -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes -o LogLevel=ERROR admin@127.0.0.1"
for _ in $(seq 100); do tmux capture-pane -p -t "$TMUX_S" | grep -q 'admin@' && break; sleep 0.1; done
tmux send-keys -t "$TMUX_S" ':put ("tm" . "ux" . 42)' Enter
for _ in $(seq 100); do tmux capture-pane -p -t "$TMUX_S" | grep -qx 'tmux42' && break; sleep 0.1; done
tmux capture-pane -p -t "$TMUX_S" | grep -qx 'tmux42' && ok "interactive console over ssh" ||
	fail "interactive: $(tmux capture-pane -p -t "$TMUX_S")"
# while it is open, max-sessions=1 leaves no room for another
rosh -c '/ip service set ssh max-sessions=1'
out=$(sh_ admin admin ':put two' 2>&1) && fail "a second session with max-sessions=1: $out" || true
echo "$out" | grep -q 'too many SSH sessions' && ok "max-sessions: $out" || fail "max-sessions: $out"
rosh -c '/ip service set ssh max-sessions=20'
tmux send-keys -t "$TMUX_S" '/quit' Enter
for _ in $(seq 100); do tmux has-session -t "$TMUX_S" 2> /dev/null || break; sleep 0.1; done
tmux has-session -t "$TMUX_S" 2> /dev/null && fail "quit did not end the ssh session" || ok "quit ends it"

# a read user: logs in, reads, can not write (configdb's policy, whatever the front end)
out=$(sh_ ro ro '/ip pool print' 2>&1) && ok "read user logs in and reads" || fail "ro print: $out"
out=$(sh_ ro ro '/ip pool add name=x ranges=10.9.9.1' 2>&1) && fail "a read user added a pool" || true
echo "$out" | grep -q 'not enough permissions' && ok "read user: $out" || fail "read user add: $out"
[ -z "$(rosh -c '/ip pool print where name=x' | grep ' x ')" ] && ok "nothing was added" ||
	fail "pool x exists"

# the service's address list: loopback is not in it, so nobody gets in
rosh -c '/ip service set ssh address=192.0.2.0/24,2001:db8::/32'
for _ in $(seq 100); do NEWPID=$(listener "$PORT"); [ -n "$NEWPID" ] && [ "$NEWPID" != "$SSHD" ] && break; sleep 0.1; done
out=$(sh_ admin admin ':put in' 2>&1) && fail "address list ignored: $out" || true
echo "$out" | grep -q 'Permission denied' && ok "outside the address list: refused ($out)" ||
	fail "outside the address list: $out"
grep -q 'AllowUsers \*@192.0.2.0/24 \*@2001:db8::/32' "$(run_dir)/sshd_config" && ok "address list in sshd_config" ||
	fail "no AllowUsers line"
rosh -c '/ip service set ssh address=""'
for _ in $(seq 100); do P3=$(listener "$PORT"); [ -n "$P3" ] && [ "$P3" != "$NEWPID" ] && break; sleep 0.1; done
SSHD=$(listener "$PORT")
out=$(sh_ admin admin ':put in' 2>&1) && [ "$out" = in ] && ok "address list emptied: in again" || fail "after address=\"\": $out"

# the last key of a user goes: so does its login name
getent passwd ro > /dev/null && ok "ro has a login name" || fail "no login alias for ro"
rosh -c '/user ssh-keys remove [find user=ro]'
for _ in $(seq 50); do getent passwd ro > /dev/null || break; sleep 0.1; done
getent passwd ro > /dev/null && fail "alias ro left after its key went" || ok "alias ro removed with its key"

rosh -c '/ip service set ssh disabled=yes'
wait_port "$PORT" down && ok "disabled: port $PORT closed" || fail "port $PORT still open"
for _ in $(seq 50); do kill -0 "$SSHD" 2> /dev/null || break; sleep 0.1; done
kill -0 "$SSHD" 2> /dev/null && fail "sshd $SSHD still runs" || ok "sshd $SSHD is gone"
getent passwd admin | grep -q 'Rosh SSH login' && fail "alias admin left with ssh off" ||
	ok "no login aliases with ssh off"
[ "$FAILS" = 0 ]
