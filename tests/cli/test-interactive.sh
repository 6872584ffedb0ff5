#!/bin/bash
# test-interactive.sh: the console as a person uses it, through a real
# pseudo-terminal (tmux on a private socket): Tab completion, ? help,
# abbreviations, blocks over several lines, paging, Ctrl-C, Ctrl-D, history recall across a restart, the
# caret under a typo, and safe mode (revert on SIGKILL, keep on Ctrl-X, one
# holder at a time). As root with /dev/net/tun, roshd runs in a namespace of
# our own and must see the reverted configuration too.
set -u
command -v tmux > /dev/null || { echo "skip: tmux is not installed"; exit 77; }
command -v sqlite3 > /dev/null || { echo "skip: sqlite3 is not installed"; exit 77; }
T=$WORK/interactive.$$
DB=$T/db/config.db
SOCK=$T/roshd.sock
TM="tmux -L rosh-it-$$"
NS=rit$$
ROSHD_PID=
FAILS=0
mkdir -p "$T/db"

cleanup() {
	$TM kill-server 2> /dev/null
	[ -n "$ROSHD_PID" ] && kill "$ROSHD_PID" 2> /dev/null
	ip netns del "$NS" 2> /dev/null
	rm -rf "$T"
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
rosh() { "$ROSH" --db "$DB" --socket "$SOCK" "$@"; }
screen() { $TM capture-pane -p -t "$1" -S -200 | grep -v '^$'; }

# wait_screen SESSION FIXED-TEXT [TENTHS]: poll the pane until it shows text
wait_screen() {
	for _ in $(seq "${3:-50}"); do
		screen "$1" | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	return 1
}

# wait_true TENTHS COMMAND...: poll until the command succeeds
wait_true() {
	local n=$1
	shift
	for _ in $(seq "$n"); do "$@" && return 0; sleep 0.1; done
	return 1
}

# start NAME: a console in a new tmux session, waiting for its prompt
start() {
	$TM new-session -d -s "$1" -x 120 -y 30 \
		"env TERM=xterm ROSH_HISTORY=$T/history ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$T/asan UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$T/ubsan $ROSH --db $DB --socket $SOCK"
	wait_screen "$1" "[admin@" || { fail "console $1 did not start"; return 1; }
}

pane_pid() { $TM list-panes -t "$1" -F '#{pane_pid}'; }
gone() { ! $TM has-session -t "$1" 2> /dev/null; }
clear_screen() { $TM send-keys -t "$1" C-u; $TM clear-history -t "$1"; $TM send-keys -t "$1" C-l; sleep 0.1; }
last_line() { screen "$1" | grep -v '^$' | tail -1; }

# ---- setup: 40 pools so that print pages on a 30-line terminal ----
{
	echo "/ip pool add name=x1 ranges=10.0.0.1"
	for i in $(seq 40); do echo "/ip pool add name=pp$i ranges=10.1.$i.1"; done
	echo "/ip firewall nat add chain=srcnat action=masquerade disabled=yes"
} | rosh > /dev/null || { echo "setup failed"; exit 1; }
export ROSH_USER=admin

start a || exit 1

# ---- completion ----
$TM send-keys -t a '/ip po' Tab 'a' Tab 'na' Tab
wait_screen a '/ip pool add name=' 50 && ok "Tab completes a unique menu, command and property" ||
	fail "unique completion: $(last_line a)"
clear_screen a
$TM send-keys -t a '/ip pool set x' Tab
wait_screen a '> /ip pool set x1' 50 && ok "Tab completes an item name" || fail "item completion: $(last_line a)"
clear_screen a
$TM send-keys -t a '/ip firewall nat add action=m' Tab
wait_screen a 'action=masquerade' 50 && ok "Tab completes an enum value" || fail "enum completion: $(last_line a)"
clear_screen a
$TM send-keys -t a '/ip ' Tab
if wait_screen a 'firewall' 50 && screen a | grep -q 'pool.*address\|address.*pool'; then
	ok "Tab lists the choices when ambiguous"
else
	fail "ambiguous completion: $(screen a | tail -5)"
fi
clear_screen a

# ---- ? help ----
$TM send-keys -t a '/ip pool add ' '?'
if wait_screen a 'Address ranges in the pool' 50 && [ "$(last_line a)" = "[admin@rosh] > /ip pool add" ]; then
	ok "? lists properties with their help and redraws the line"
else
	fail "? help: $(screen a | tail -8)"
fi
clear_screen a
$TM send-keys -t a '/ip pool add ranges=' '?'
wait_screen a 'IPv4 range' 50 && ok "? after name= describes the value" || fail "? value: $(screen a | tail -5)"
clear_screen a
$TM send-keys -t a ':put "why?"' Enter
wait_screen a 'why?' 50 && ! screen a | grep -q 'Pool name' && ok "? inside quotes is a character" ||
	fail "? in quotes: $(screen a | tail -5)"
clear_screen a

# ---- abbreviation and the caret under a typo ----
$TM send-keys -t a '/ip po pr count-only' Enter
wait_screen a '41' 50 && ok "abbreviations run" || fail "abbreviation: $(screen a | tail -3)"
clear_screen a
$TM send-keys -t a '/ip pool add nmae=x2' Enter
if wait_screen a 'bad argument name nmae' 20 &&
   screen a | grep -qx '             ^' && screen a | grep -qx '/ip pool add nmae=x2'; then
	ok "a typo shows the line with a caret under the error column"
else
	fail "caret: $(screen a | tail -5)"
fi
clear_screen a

# ---- a block typed over several lines runs when its brackets close ----
$TM send-keys -t a ':foreach i in={1;2} do={' Enter
wait_screen a '...' 20 || fail "no continuation prompt: $(last_line a)"
$TM send-keys -t a ':put "blk$i"' Enter '}' Enter
if wait_screen a 'blk2' 30 && screen a | grep -qx 'blk1'; then
	ok "a block over several lines runs once its brackets close"
else
	fail "multi-line block: $(screen a | tail -5)"
fi
clear_screen a

# ---- colours on the terminal only ----
$TM send-keys -t a '/ip firewall nat print' Enter '/ip pool add nmae=1' Enter
wait_screen a 'bad argument name' 50
$TM capture-pane -e -p -t a | grep -q $'\033\\[31mX' && ok "flags are coloured on a terminal" ||
	fail "no colour for the X flag: $($TM capture-pane -e -p -t a | grep masquerade | od -c | head -3)"
$TM capture-pane -e -p -t a | grep -q $'\033\\[31mbad argument name' && ok "errors are red on a terminal" ||
	fail "error not red"
rosh -c '/ip firewall nat print' | grep -q $'\033' && fail "colour in -c output" || ok "no colour in -c output"
clear_screen a

# ---- paging ----
$TM send-keys -t a '/ip pool print' Enter
if wait_screen a '-- [Q quit|D dump|down]' 50; then
	$TM send-keys -t a q
	wait_true 20 bash -c "[ \"\$($TM capture-pane -p -t a | grep -v '^\$' | tail -1)\" = '[admin@rosh] >' ]" &&
		! screen a | grep -q 'pp40 ' && ok "print pages; Q quits" || fail "pager Q: $(screen a | tail -3)"
else
	fail "print did not page: $(screen a | tail -3)"
fi
clear_screen a
$TM send-keys -t a '/ip pool print' Enter
wait_screen a '-- [Q quit|D dump|down]' 50 && $TM send-keys -t a d
wait_screen a 'pp40 ' 50 && ! screen a | grep -q 'Q quit' && ok "D dumps the rest" ||
	fail "pager D: $(screen a | tail -3)"
clear_screen a
$TM send-keys -t a '/ip pool print without-paging' Enter
wait_screen a 'pp40 ' 50 && ! screen a | grep -q 'Q quit' && ok "without-paging does not page" ||
	fail "without-paging: $(screen a | tail -3)"
clear_screen a
out=$(rosh -c '/ip pool print' | cat)
echo "$out" | grep -q 'pp40 ' && ! echo "$out" | grep -q 'Q quit' && ok "no paging when output is not a terminal" ||
	fail "paging into a pipe"
err=$(rosh -c '/ip pool add nmae=1' 2>&1)
case "$err" in *$'\033'*) fail "colour in -c mode" ;; *"column 14"*) ok "-c errors are plain, with line and column" ;;
	*) fail "-c error: $err" ;; esac

# ---- Ctrl-C, history, Ctrl-D ----
$TM send-keys -t a '/ip pool add name=zz ranges=10.9.9.9' C-c
wait_true 20 bash -c "[ \"\$($TM capture-pane -p -t a | grep -v '^\$' | tail -1)\" = '[admin@rosh] >' ]" &&
	! rosh -c '/ip pool print' | grep -q zz && ok "Ctrl-C abandons the line" || fail "Ctrl-C: $(screen a | tail -3)"
$TM send-keys -t a Up
wait_screen a '> /ip pool print without-paging' 50 && ok "Up recalls the last line" ||
	fail "history recall: $(last_line a)"
$TM send-keys -t a C-u C-d
wait_true 30 gone a && ok "Ctrl-D on an empty line leaves" || fail "Ctrl-D did not leave"
start b || exit 1
B_PID=$(pane_pid b)
[ -n "$B_PID" ] || B_PID=$(pane_pid b)	# once more if tmux was too busy to answer
$TM send-keys -t b Up
wait_screen b '> /ip pool print without-paging' 50 && ok "history persists across a restart" ||
	fail "persisted history: $(last_line b)"
$TM send-keys -t b C-u

# ---- safe mode: the engine, when we can run it ----
engine=0
if [ "$(id -u)" = 0 ] && [ -c /dev/net/tun ] && ip netns add "$NS" 2> /dev/null; then
	ip netns exec "$NS" ip link set lo up
	rosh > "$T/certs.log" 2>&1 <<-'EOF'
	/certificate
	add name=ca common-name=test-ca key-usage=key-cert-sign,crl-sign key-type=ec key-size=prime256v1
	add name=server common-name=vpn.test key-usage=digital-signature,key-encipherment,tls-server key-type=ec key-size=prime256v1
	sign ca
	sign server ca=ca
	/interface ovpn-server server add name=srv certificate=server disabled=no
	EOF
	ip netns exec "$NS" "$BUILD/roshd" --db "$DB" --socket "$SOCK" > "$T/roshd.log" 2>&1 &
	ROSHD_PID=$!
	running() { rosh -c '/interface ovpn-server server print where running' | grep -q srv; }
	if wait_true 100 running; then engine=1; else echo "note: roshd did not start srv: $(tail -3 "$T/roshd.log")"; fi
else
	echo "note: not root or no tun: safe mode is checked without the engine"
fi

before=$(rosh -c '/export verbose show-sensitive' | grep -v '^# ')
$TM send-keys -t b C-x
wait_screen b '[Safe mode taken]' 50 && wait_screen b '<SAFE>' 50 && ok "Ctrl-X takes safe mode" ||
	fail "Ctrl-X: $(screen b | tail -3)"
$TM send-keys -t b '/ip pool remove x1; /ip pool add name=safe1 ranges=10.5.5.5' Enter
$TM send-keys -t b '/ip pool set pp1 ranges=10.6.6.6' Enter
[ $engine = 1 ] && $TM send-keys -t b '/interface ovpn-server server disable srv' Enter
wait_true 30 bash -c "'$ROSH' --db '$DB' -c '/ip pool print' | grep -q 10.6.6.6" || fail "safe-mode changes not made"
if [ $engine = 1 ]; then
	wait_true 50 bash -c "! '$ROSH' --db '$DB' -c '/interface ovpn-server server print where running' | grep -q srv" &&
		ok "the engine stopped the server disabled in safe mode" || fail "engine did not stop srv"
fi
rosh -c '/system history print' | grep -q '^[0-9]* *U F /ip pool set pp1' && ok "history marks safe-mode changes" ||
	fail "history: $(rosh -c '/system history print' | tail -3)"
start c || exit 1
$TM send-keys -t c C-x
want="safe mode is held by admin (pid $B_PID)"
wait_screen c "$want" 100 && ok "a second session is told who holds safe mode" ||
	fail "second holder: wanted [$want], screen: $(screen c | tail -3)"
$TM kill-session -t c
kill -9 "$B_PID"
wait_true 30 gone b
if [ $engine = 1 ]; then
	# the engine alone notices the holder is gone: nobody else opens the database
	wait_true 50 bash -c "[ \"\$(sqlite3 '$DB' 'SELECT COUNT(*) FROM safe_mode')\" = 0 ]" &&
		ok "roshd reverted the changes of the killed console" || fail "roshd did not reap safe mode"
	wait_true 100 running && ok "the server disabled in safe mode runs again" ||
		fail "engine view not reverted: $(tail -3 "$T/roshd.log")"
fi
after=$(rosh -c '/export verbose show-sensitive' | grep -v '^# ')
[ "$before" = "$after" ] && ok "SIGKILL in safe mode reverts every change" ||
	fail "not reverted: $(diff <(echo "$before") <(echo "$after") | head -10)"

# ---- the terminal closed (SIGHUP) in safe mode ----
start e || exit 1
$TM send-keys -t e C-x
wait_screen e '[Safe mode taken]' 50
$TM send-keys -t e '/ip pool add name=hup ranges=10.7.7.8' Enter
wait_true 30 bash -c "'$ROSH' --db '$DB' -c '/ip pool print' | grep -q hup" || fail "change before SIGHUP not made"
$TM kill-session -t e
wait_true 50 bash -c "! '$ROSH' --db '$DB' -c '/ip pool print' | grep -q hup" &&
	ok "closing the terminal in safe mode reverts" || fail "SIGHUP did not revert"

# ---- leaving safe mode with Ctrl-X keeps the changes ----
start d || exit 1
$TM send-keys -t d C-x
wait_screen d '[Safe mode taken]' 20
$TM send-keys -t d '/ip pool add name=kept ranges=10.7.7.7' Enter
wait_true 30 bash -c "'$ROSH' --db '$DB' -c '/ip pool print' | grep -q kept"
$TM send-keys -t d C-x
wait_screen d '[Safe mode released]' 50 && ok "Ctrl-X again releases safe mode" || fail "release: $(screen d | tail -3)"
kill -9 "$(pane_pid d)"
wait_true 30 gone d
rosh -c '/ip pool print' | grep -q kept && ok "changes stay after safe mode is released" ||
	fail "released changes were reverted"

# ---- /system safe-mode for scripts ----
out=$(rosh -c '/system safe-mode; /ip pool add name=scripted ranges=10.8.8.8' 2>&1)
rosh -c '/ip pool print' | grep -q scripted && fail "a -c session ended in safe mode kept its change" ||
	ok "/system safe-mode: a session ending in it is reverted ($out)"
out=$(rosh -c '/system safe-mode on; /ip pool add name=scripted2 ranges=10.8.8.9; /system safe-mode off' 2>&1)
rosh -c '/ip pool print' | grep -q scripted2 && ok "/system safe-mode off keeps the changes" ||
	fail "safe-mode off: $out"

# consoles on the terminal report sanitizer findings (asan builds) to files
for f in "$T"/asan.* "$T"/ubsan.*; do
	[ -e "$f" ] && fail "sanitizer report from a console: $(head -20 "$f")"
done

[ $FAILS = 0 ] || exit 1
echo "all interactive checks passed"
