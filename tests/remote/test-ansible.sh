#!/bin/bash
# test-ansible.sh: Debian's Ansible (community.routeros 2.8.2) drives Rosh
# over the RouterOS API: api_modify on /ip pool and /ip service, then
# api_find_and_modify on /ppp profile (2.8.2 models no ppp profile for
# api_modify), api_info on /ip pool and on /interface ovpn-server server (which
# it models as RouterOS 6's single server with enabled). A second run of the
# same playbook must change nothing, and the console must see what it set.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/api_server.sh"
command -v ansible-playbook > /dev/null &&
	/usr/bin/python3 -c 'import librouteros' 2> /dev/null ||
	{ echo "SKIP: ansible or python3-librouteros missing (tools/packages.txt has both)"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
"$ROSH" --db "$DB" -c '/user set admin password=ansible-pw' || fail "setup"
start_api api || exit 1
run() {
	ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 ANSIBLE_LOCAL_TEMP=$T/ansible-tmp \
	ANSIBLE_HOME=$T/ansible-home timeout 300 ansible-playbook -i localhost, -c local \
		-e "api_port=$PORT api_password=ansible-pw out=$T/$1.json" "$HERE/ansible_api.yml" \
		> "$T/$1.log" 2>&1 || fail "ansible-playbook ($1): $(tail -30 "$T/$1.log")"
}
run first
run second
/usr/bin/python3 - "$T/first.json" "$T/second.json" <<'PY' || exit 1
import json, sys
first, second = (json.load(open(f)) for f in sys.argv[1:3])
bad = []
for k in ('pools', 'service', 'profile'):
    if not first[k]:
        bad.append('first run did not change %s' % k)
    if second[k]:
        bad.append('second run changed %s again (not idempotent)' % k)
pools = {p['name']: p['ranges'] for p in second['pools_read']}
if pools != {'clients': '10.20.0.10-10.20.0.250', 'spare': '10.21.0.0/24'}:
    bad.append('api_info ip pool: %r' % pools)
srv = second['server']
if len(srv) != 1 or srv[0].get('enabled') is not False or srv[0].get('port') != 1194:
    bad.append('api_info ovpn-server server: %r' % srv)
for b in bad:
    print('FAIL:', b)
sys.exit(1 if bad else 0)
PY
got=$("$ROSH" --db "$DB" -c '/ip service print terse where name=www; /ppp profile print terse where name=default')
echo "$got" | grep -q 'name=www port=8080' || fail "console does not see the service: $got"
echo "$got" | grep -q 'local-address=10.20.0.1' || fail "console does not see the profile: $got"
echo "$got" | grep -q 'only-one=yes' || fail "console does not see only-one: $got"
echo "ok: Ansible set pools, a service and a profile, read them back, and a second run changed nothing"
