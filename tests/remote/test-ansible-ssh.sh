#!/bin/bash
# test-ansible-ssh.sh: Ansible's community.routeros.command (Debian's ansible,
# collection 2.8.2) with ansible_network_os=community.routeros.routeros over
# network_cli: SSH with a key into roshd's own sshd (/ip service ssh), the
# commands typed at the console's prompt and their output read back.
. "$SRC/tests/remote/lib.sh"
command -v ansible-playbook > /dev/null && /usr/bin/python3 -c 'import paramiko' 2> /dev/null ||
	{ echo "skip: ansible or python3-paramiko is missing (tools/packages.txt has both)"; exit 77; }
ssh-keygen -q -t ed25519 -N '' -C ansible -f "$T/key" || exit 1
PORT=$(free_port) || { echo "no free port"; exit 1; }
start_roshd || exit 1
rosh -c "/user ssh-keys add user=admin key=\"$(cat "$T/key.pub")\"
/ppp secret add name=from-ansible-test password=x
/ip service set ssh port=$PORT disabled=no" || { fail "setup"; exit 1; }
wait_port "$PORT" up || { fail "sshd is not listening on $PORT"; exit 1; }
cat > "$T/hosts" <<INV
[routers]
r1 ansible_host=127.0.0.1 ansible_port=$PORT ansible_user=admin ansible_ssh_private_key_file=$T/key ansible_connection=ansible.netcommon.network_cli ansible_network_os=community.routeros.routeros
INV
ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3 \
ANSIBLE_LOCAL_TEMP=$T/ansible-tmp ANSIBLE_HOME=$T/ansible-home ANSIBLE_PERSISTENT_COMMAND_TIMEOUT=60 \
	timeout 300 ansible-playbook -i "$T/hosts" -e "out_file=$T/out.json" \
	"$SRC/tests/remote/ansible_ssh.yml" > "$T/ansible.log" 2>&1 ||
	fail "ansible-playbook: $(tail -30 "$T/ansible.log")"
if [ -f "$T/out.json" ]; then
	/usr/bin/python3 - "$T/out.json" <<'PY' && ok "community.routeros.command ran both commands over SSH" ||
import json, sys
out = json.load(open(sys.argv[1]))
ok = len(out) == 2 and 'from-ansible-test' in out[0] and out[1].strip() == 'sum=42'
if not ok:
    print(repr(out))
sys.exit(0 if ok else 1)
PY
	fail "the commands' output: $(cat "$T/out.json")"
fi
[ "$FAILS" = 0 ] || tail -20 "$T/roshd.log"
exit $((FAILS > 0))
