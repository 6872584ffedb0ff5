#!/bin/bash
# test-policy.sh: a user's group decides what every path into the
# configuration may do. A read user can not change anything by a console
# line, a script, /import, a script it runs or a scheduled entry's policy;
# users and groups need the policy word; secrets need sensitive; /password
# needs only password. Each refusal leaves the configuration as it was.
set -u
T=$WORK/policy.$$
FAILS=0
mkdir -p "$T/files"
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }
DB=$T/config.db
as() { local u=$1; shift; ROSH_USER=$u "$ROSH" --db "$DB" -c "$*" 2>&1; }
state() { "$ROSH" --db "$DB" -c '/export verbose show-sensitive' | grep -v '^# 20'
	  sqlite3 "$DB" 'SELECT COUNT(*) FROM journal'; }

# refused USER LINE: fails with the permission error and changes nothing
refused() {
	local u=$1 line=$2 before after out
	before=$(state)
	out=$(as "$u" "$line") && fail "$u may: $line"
	echo "$out" | grep -q "not enough permissions (9)" || fail "$u: $line: $out"
	after=$(state)
	[ "$before" = "$after" ] || fail "$u: $line changed the configuration"
}

as admin '/user add name=viewer group=read password=v1
/user group add name=operators policy=local,ssh,read,write,test,password,api,!sensitive,!policy
/user add name=op group=operators password=o1
/user add name=gone group=full disabled=yes
/ip pool add name=p1 ranges=10.0.0.1-10.0.0.9
/ppp secret add name=s1 password=hidden-pw
/system script add name=writes source="/ip pool add name=from-script ranges=10.9.0.1" policy=read,write
/system script add name=reads-only source="/ip pool add name=sneaky ranges=10.9.0.2" policy=read' > /dev/null ||
	fail "setup"

# a read user: every way to write
refused viewer '/ip pool add name=x ranges=10.1.0.1'
refused viewer '/ip pool set p1 ranges=10.1.0.2'
refused viewer '/ip pool remove p1'
before=$(state)
as viewer ':do { /ip pool add name=x ranges=10.1.0.1 } on-error={ :put caught }' | grep -q caught ||
	fail "a script's write is not refused"
[ "$before" = "$(state)" ] || fail "a script's write changed the configuration"
refused viewer '/system script run writes'
refused viewer '/undo'
echo '/ip pool add name=imported ranges=10.2.0.1' > "$T/files/w.rsc"
refused viewer '/import file-name=w.rsc'
as viewer '/ip pool print' | grep -q p1 || fail "viewer can not read"

# a script can do no more than its own policy, even for admin
refused admin '/system script run reads-only'
as admin '/system script run writes' > /dev/null || fail "admin can not run a read,write script"
as admin '/ip pool print' | grep -q from-script || fail "the read,write script did not write"
# a scheduled entry's policy reaches its console the same way (engine/scheduler.c)
before=$(state)
out=$(ROSH_POLICY=read,test ROSH_USER=admin "$ROSH" --db "$DB" -c '/ip pool add name=y ranges=10.3.0.1' 2>&1) &&
	fail "ROSH_POLICY=read wrote"
echo "$out" | grep -q "not enough permissions (9)" || fail "ROSH_POLICY: $out"
[ "$before" = "$(state)" ] || fail "ROSH_POLICY=read changed the configuration"

# write without policy: everything but users and groups
as op '/ip pool add name=by-op ranges=10.4.0.1' > /dev/null || fail "op can not write"
refused op '/user add name=mallory group=full'
refused op '/user set viewer group=full'
refused op '/user group set operators policy=local,read,write,policy'
refused op '/ppp secret print show-sensitive'
refused op '/ppp secret print where password=hidden-pw'
refused op ':put [/ppp secret get s1 password]'
as op '/ppp secret print detail' | grep -q hidden-pw && fail "op sees a secret"

# passwords: never shown, changed by their owner with the password policy
as admin '/user print detail show-sensitive' | grep -qi 'pbkdf2\|v1' && fail "a password hash is shown"
as admin ':put [/user get viewer password]' | grep -q "can not be read" || fail "get password"
as viewer '/password old-password=wrong new-password=v2 confirm-new-password=v2' |
	grep -q "old password is not valid" || fail "a wrong old password is accepted"
as viewer '/password old-password=v1 new-password=v2 confirm-new-password=v2' || fail "/password"
# a line that changes something is kept in history: its passphrase is not
as admin '/certificate add name=pp-ca common-name=PP-CA key-usage=key-cert-sign,crl-sign
/certificate sign pp-ca
/ip pool add name=pp ranges=10.7.7.1; /certificate export-certificate pp-ca export-passphrase=pass-phrase-9' \
	> /dev/null ||
	fail "certificate export with a passphrase"
as admin '/system history print detail' | grep -q 'v1\|v2\|hidden-pw\|pass-phrase-9' &&
	fail "history keeps a password or passphrase"
as admin '/export show-sensitive' | grep -q '^/user$' || fail "export has no /user"
as admin '/export show-sensitive' | grep -A3 '^/user$' | grep -q password && fail "export writes a password"

# who may log in at all
as gone '/ip pool print' | grep -q "user disabled" || fail "a disabled user logs in"
as nobody '/ip pool print' | grep -q "no such user" || fail "an unknown user logs in"
as admin '/log print' | grep -q "login failure for user gone" || fail "a failed login is not logged"
[ "$FAILS" -eq 0 ] && echo "policy: every path refused what the group may not do"
exit $((FAILS > 0))
