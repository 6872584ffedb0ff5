#!/bin/bash
# test-certificates.sh: /certificate, .ovpn export and import through the
# console, checked by the tools people use: Debian's openssl reads what sign
# and export-certificate wrote, stock openvpn loads the exported profile, and
# every fixture in tests/ovpn imports (the malformed ones are refused by line,
# with nothing created). Needs openssl and openvpn (installed by .ci/run).
set -u
command -v openssl > /dev/null || { echo "skip: openssl is not installed"; exit 77; }
command -v openvpn > /dev/null || { echo "skip: openvpn is not installed"; exit 77; }
dir=$WORK/certs
rm -rf "$dir"
mkdir -p "$dir"
db=$dir/config.db
files=$dir/files
bad=0
fail() { echo "FAIL: $*"; bad=1; }
rosh() { "$ROSH" --db "$db" "$@"; }
journal() { sqlite3 "$db" 'SELECT COUNT(*) FROM journal'; }
certs() { sqlite3 "$db" 'SELECT COUNT(*) FROM certificate'; }

rosh > "$dir/sign.log" 2>&1 <<'EOF' || fail "signing: $(cat "$dir/sign.log")"
/certificate
add name=ca common-name=Office-CA key-usage=key-cert-sign,crl-sign days-valid=3650
add name=server common-name=vpn.example.com subject-alt-name=DNS:vpn.example.com,IP:192.0.2.1 key-usage=digital-signature,key-encipherment,tls-server key-type=ec key-size=prime256v1 days-valid=825
add name=rw-client common-name=rw-client key-usage=digital-signature,tls-client days-valid=30
sign ca
sign server ca=ca
sign rw-client ca=ca
export-certificate ca
export-certificate server
export-certificate rw-client export-passphrase=secret123
export-certificate rw-client type=pkcs12 export-passphrase=secret123
EOF

# openssl accepts the chain, the usages, the names and the validity
cd "$files" || exit 1
openssl verify -CAfile cert_export_ca.crt cert_export_server.crt cert_export_rw-client.crt \
	> "$dir/verify.log" 2>&1 || fail "openssl verify: $(cat "$dir/verify.log")"
openssl verify -purpose sslserver -CAfile cert_export_ca.crt cert_export_server.crt > /dev/null 2>&1 ||
	fail "server certificate is not good for TLS servers"
openssl verify -purpose sslclient -CAfile cert_export_ca.crt cert_export_rw-client.crt > /dev/null 2>&1 ||
	fail "client certificate is not good for TLS clients"
text=$(openssl x509 -in cert_export_server.crt -noout -text)
for want in "Issuer: CN = Office-CA" "Subject: CN = vpn.example.com" "DNS:vpn.example.com" \
	"IP Address:192.0.2.1" "TLS Web Server Authentication" "Digital Signature, Key Encipherment" \
	"prime256v1"; do
	grep -qF "$want" <<< "$text" || fail "server certificate lacks '$want'"
done
grep -qF "CA:TRUE" <<< "$(openssl x509 -in cert_export_ca.crt -noout -text)" || fail "CA lacks CA:TRUE"
openssl x509 -in cert_export_rw-client.crt -noout -checkend $((29 * 86400)) > /dev/null ||
	fail "client certificate ends before 29 days"
openssl x509 -in cert_export_rw-client.crt -noout -checkend $((31 * 86400)) > /dev/null &&
	fail "client certificate outlives its 30 days"
[ -f cert_export_ca.key ] && fail "a private key was exported without a passphrase"
openssl pkey -in cert_export_rw-client.key -passin pass:secret123 -noout 2> /dev/null ||
	fail "openssl can not open the exported encrypted key"
openssl pkcs12 -in cert_export_rw-client.p12 -passin pass:secret123 -nokeys -info > "$dir/p12.log" 2>&1 ||
	fail "openssl can not open our PKCS#12: $(tail -3 "$dir/p12.log")"

# a PKCS#12 made by openssl imports, and pairs its key with its certificate
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/o.key" -out "$dir/o.crt" -subj /CN=from-openssl \
	-days 10 2> /dev/null
openssl pkcs12 -export -in "$dir/o.crt" -inkey "$dir/o.key" -passout pass:pw12 -out "$files/o.p12"
out=$(rosh -c '/certificate import file-name=o.p12 passphrase=pw12' 2>&1)
grep -q "private-keys-imported: 1" <<< "$out" || fail "openssl PKCS#12 import: $out"
out=$(rosh -c '/certificate print where common-name=from-openssl' 2>&1)
grep -q "^0 K" <<< "$out" || fail "imported PKCS#12 has no key: $out"
out=$(rosh -c '/certificate import file-name=o.p12 passphrase=wrong' 2>&1) && fail "wrong passphrase accepted"

# export-client-configuration: refused until the server asks for client certificates
rosh -c '/interface ovpn-server server add name=srv certificate=server disabled=no' || fail "server add"
j=$(journal)
out=$(rosh -c '/interface ovpn-server server export-client-configuration server=srv server-address=127.0.0.1 ca-certificate=ca client-certificate=rw-client' 2>&1) &&
	fail "export without require-client-certificate"
grep -q "require-client-certificate" <<< "$out" || fail "refusal does not say why: $out"
[ "$(journal)" = "$j" ] || fail "refused export changed the configuration"
rosh -c '/interface ovpn-server server set srv require-client-certificate=yes protocol=udp port=1'
rosh -c '/interface ovpn-server server export-client-configuration server=srv server-address=127.0.0.1 ca-certificate=ca client-certificate=rw-client file-name=laptop' > /dev/null ||
	fail "export-client-configuration"
[ -f laptop.ovpn ] || fail "no laptop.ovpn in the file store"
rosh -c '/file print' | grep -q "laptop.ovpn" || fail "/file print does not list laptop.ovpn"

# stock OpenVPN reads the profile and loads its inline material; the remote is
# a closed port on loopback, so nothing leaves the machine
printf 'client1\n123\n' > "$dir/creds"
chmod 600 "$dir/creds"
timeout 5 openvpn --config laptop.ovpn --verb 4 --dev null --auth-user-pass "$dir/creds" \
	--connect-retry-max 1 > "$dir/openvpn.log" 2>&1
grep -q "Options error" "$dir/openvpn.log" && fail "openvpn: $(grep 'Options error' "$dir/openvpn.log")"
for want in "ca_file = '\[INLINE\]'" "cert_file = '\[INLINE\]'" "priv_key_file = '\[INLINE\]'" \
	"UDPv4 link remote: \[AF_INET\]127.0.0.1:1"; do
	grep -q "$want" "$dir/openvpn.log" || fail "openvpn log lacks $want"
done

# our own export imports on a client, key passphrase and all
rosh -c '/interface ovpn-server server export-client-configuration server=srv server-address=127.0.0.1 ca-certificate=ca client-certificate=rw-client key-passphrase=topsecret file-name=locked' > /dev/null
grep -q "ENCRYPTED PRIVATE KEY" locked.ovpn || fail "key-passphrase did not encrypt the inline key"
out=$(rosh -c '/interface ovpn-client import-ovpn-configuration file-name=locked.ovpn ovpn-user=client1 ovpn-password=123 key-passphrase=topsecret name=home' 2>&1) ||
	fail "import of our own profile: $out"
out=$(rosh -c '/interface ovpn-client print detail where name=home' 2>&1)
for want in "connect-to=127.0.0.1" "port=1 " "protocol=udp" "certificate=" "user=\"client1\"" \
	"verify-server-certificate=yes" "verify-server-name-type=name" "verify-server-usage=tls-server" \
	"server-ca=ca "; do
	grep -qF "$want" <<< "$out" || fail "imported client lacks $want: $out"
done

# every fixture imports and prints
cp "$SRC"/tests/ovpn/*.ovpn "$SRC"/tests/ovpn/files/* "$files/"
# pkcs12-file.ovpn names client.p12: made here from the fixture's own pair
openssl pkcs12 -export -in "$files/client.crt" -inkey "$files/client.key" -certfile "$files/ca.crt" \
	-passout pass:p12pass -out "$files/client.p12" || fail "openssl pkcs12 -export"
for f in "$SRC"/tests/ovpn/*.ovpn; do
	b=$(basename "$f" .ovpn)
	skip=no kp=
	grep -q "ENCRYPTED" "$f" && skip=yes	# fixtures whose key passphrase we do not keep
	[ "$b" = pkcs12-file ] && kp=key-passphrase=p12pass
	# skip-cert-import=yes verifies the server with the profile's CA, which
	# must then be in /certificate already
	if [ $skip = yes ]; then
		sed -n '/^<ca>/,/^<\/ca>/p' "$f" | sed '1d;$d' > "$files/$b-ca.crt"
		rosh -c "/certificate import file-name=$b-ca.crt" > /dev/null || fail "fixture $b: CA import"
	fi
	out=$(rosh -c "/interface ovpn-client import-ovpn-configuration file-name=$b.ovpn ovpn-user=u ovpn-password=p name=fx-$b skip-cert-import=$skip $kp" 2>&1) ||
		fail "fixture $b: $out"
done
listed=$(rosh -c '/interface ovpn-client print terse')
for f in "$SRC"/tests/ovpn/*.ovpn; do
	b=$(basename "$f" .ovpn)
	grep -q "name=fx-$b " <<< "$listed" || fail "fixture $b not listed"
done

# the pkcs12 bundle gave the client its certificate with the key (the same
# pair as other fixtures, so it may carry an earlier fixture's name)
c=$(rosh -c ':put [/interface ovpn-client get fx-pkcs12-file certificate]')
[ "$(rosh -c ":put [/certificate get [find name=\"$c\"] common-name]")" = client1 ] &&
	rosh -c ":put [/certificate get [find name=\"$c\"] private-key]" | grep -q yes ||
	fail "pkcs12-file: certificate '$c' is not client1 with its key"

# malformed profiles are refused with their line, and nothing is created
cp "$SRC"/tests/ovpn/bad/*.ovpn "$files/"
head -c 10485760 /dev/zero | tr '\0' 'x' > "$files/huge.ovpn"
printf 'client\nremote a.example\n\x89PNG\x00\x01binary' > "$files/binary.ovpn"
for f in "$files"/huge.ovpn "$files"/binary.ovpn "$SRC"/tests/ovpn/bad/*.ovpn; do
	b=$(basename "$f")
	j=$(journal)
	n=$(certs)
	out=$(rosh -c "/interface ovpn-client import-ovpn-configuration file-name=$b ovpn-user=u ovpn-password=p name=bad" 2>&1) &&
		{ fail "malformed $b was accepted"; continue; }
	case "$b" in
	huge.ovpn) ;;	# refused for its size, before any line
	*) grep -qE "line [0-9]+" <<< "$out" || fail "refusal of $b names no line: $out" ;;
	esac
	[ "$(journal)" = "$j" ] || fail "refused $b changed the configuration"
	[ "$(certs)" = "$n" ] || fail "refused $b left certificates"
done
out=$(rosh -c '/interface ovpn-client import-ovpn-configuration file-name=../config.db' 2>&1) &&
	fail "a path outside the file store was read"

# signed by a CA, the default key-usage does not make a CA (no A flag, no
# keyCertSign); asked for in so many words it does, and the console says so
out=$(rosh -c '/certificate add name=plain common-name=plain; /certificate sign plain ca=ca' 2>&1)
grep -q note <<< "$out" && fail "a default key-usage was noted as a CA: $out"
[ "$(rosh -c ':put [/certificate get plain authority]')" = no ] ||
	fail "plain, signed by ca with the default key-usage, is a CA"
case "$(rosh -c ':put [/certificate get plain key-usage]')" in
*key-cert-sign*|"") fail "plain's key-usage does not say what was signed" ;;
esac
rosh -c '/certificate export-certificate plain' > /dev/null
openssl x509 -in "$files/cert_export_plain.crt" -noout -text | grep -q 'Certificate Sign' &&
	fail "plain's key usage has Certificate Sign"
out=$(rosh -c '/certificate add name=sub common-name=sub key-usage=key-cert-sign,crl-sign; /certificate sign sub ca=ca' 2>&1)
grep -q "note: sub may sign certificates itself" <<< "$out" || fail "no note for an explicit CA: $out"
[ "$(rosh -c ':put [/certificate get sub authority]')" = yes ] || fail "sub is no CA"

# revocation: revoke issues the CA's CRL again (ca.crl in the file store,
# /certificate crl, the L flag); openssl verifies the CRL with the CA, and
# with it refuses the revoked certificate and accepts another
rosh > "$dir/revoke.log" 2>&1 <<'EOF' || fail "revoking: $(cat "$dir/revoke.log")"
/certificate
add name=gone common-name=gone key-usage=digital-signature,tls-client
add name=gone2 common-name=gone2 key-usage=digital-signature,tls-client
sign gone ca=ca
sign gone2 ca=ca
export-certificate gone
revoke gone
EOF
[ -f "$files/ca.crl" ] || fail "no ca.crl in the file store after revoke"
openssl crl -in "$files/ca.crl" -CAfile "$files/cert_export_ca.crt" -noout > "$dir/crl.log" 2>&1 ||
	fail "openssl does not verify our CRL: $(cat "$dir/crl.log")"
serial=$(rosh -c ':put [/certificate get gone serial-number]')
crltext=$(openssl crl -in "$files/ca.crl" -noout -text)
for want in "Version 2" "Issuer: CN = Office-CA" "Serial Number: $serial" "X509v3 CRL Number:" \
	"Next Update"; do
	grep -qF "$want" <<< "$crltext" || fail "the CRL lacks '$want': $crltext"
done
cat "$files/cert_export_ca.crt" "$files/ca.crl" > "$dir/ca-crl.pem"
openssl verify -crl_check -CAfile "$dir/ca-crl.pem" "$files/cert_export_gone.crt" > /dev/null 2>&1 &&
	fail "openssl -crl_check accepts the revoked certificate"
openssl verify -crl_check -CAfile "$dir/ca-crl.pem" "$files/cert_export_rw-client.crt" > "$dir/v.log" 2>&1 ||
	fail "openssl -crl_check refuses a certificate that is not revoked: $(cat "$dir/v.log")"
list=$(rosh -c '/certificate print')
grep -Eq "^ *[0-9]+ +KLAT +ca " <<< "$list" || fail "the CA has no L flag: $list"
grep -Eq "^ *[0-9]+ +K +IR +gone " <<< "$list" || fail "gone has no R flag: $list"
[ -n "$(rosh -c ':put [/certificate get gone revoked-time]')" ] || fail "gone has no revoked-time"
[ "$(rosh -c ':put [/certificate crl get [find ca=ca] crl-number]')" = 1 ] || fail "first CRL is not number 1"
rosh -c '/certificate revoke gone2' > /dev/null || fail "revoke gone2"
[ "$(rosh -c ':put [/certificate crl get [find ca=ca] crl-number]')" = 2 ] || fail "next CRL is not number 2"
[ "$(rosh -c ':put [/certificate crl get [find ca=ca] revoked-count]')" = 2 ] || fail "the CRL does not list both"
[ "$(rosh -c '/certificate crl print count-only')" = 1 ] || fail "a second CRL item for the same CA"
out=$(rosh -c '/certificate revoke ca' 2>&1) && fail "a self-signed CA was revoked"
grep -q "only certificates issued by a local authority" <<< "$out" || fail "revoke ca: $out"
out=$(rosh -c '/certificate crl add url=http://192.0.2.1/x.crl' 2>&1) && fail "crl add was accepted"
grep -q "not downloaded" <<< "$out" || fail "crl add: $out"

# ca-crl-host: a CRL distribution point in what the CA signs
rosh -c '/certificate add name=dp common-name=dp; /certificate sign dp ca=ca ca-crl-host=192.0.2.80; /certificate export-certificate dp' > /dev/null ||
	fail "sign with ca-crl-host"
grep -qF "URI:http://192.0.2.80/crl/$(rosh -c ':put [/certificate get ca serial-number]').crl" \
	<<< "$(openssl x509 -in "$files/cert_export_dp.crt" -noout -text)" || fail "no CRL distribution point"
rosh -c '/certificate add name=dp2 common-name=dp2; /certificate sign dp2 ca=ca ca-crl-host="a b"' > /dev/null 2>&1 &&
	fail "a blank in ca-crl-host was accepted"

# the CRL imports on another router once its CA is there, and not before
mkdir -p "$dir/other/files"
cp "$files/ca.crl" "$files/cert_export_ca.crt" "$dir/other/files/"
rosh2() { "$ROSH" --db "$dir/other/config.db" "$@"; }
out=$(rosh2 -c '/certificate import file-name=ca.crl' 2>&1) && fail "a CRL without its CA imported"
grep -q "signed by no authority" <<< "$out" || fail "CRL without its CA: $out"
out=$(rosh2 -c '/certificate import file-name=cert_export_ca.crt; /certificate import file-name=ca.crl' 2>&1) ||
	fail "CRL import: $out"
grep -q "crls-imported: 1" <<< "$out" || fail "CRL import says: $out"
[ "$(rosh2 -c ':put [/certificate crl get [find] revoked-count]')" = 2 ] || fail "imported CRL does not list 2"
[ "$(rosh2 -c ':put [/certificate crl get [find] url]')" = ca.crl ] || fail "imported CRL has no url"
grep -Eq "^ *[0-9]+ +LAT" <<< "$(rosh2 -c '/certificate print')" || fail "imported CA has no L flag"

# crl-verify in a profile: a file beside it or an inline block imports the
# CRL; a directory, a file that is no CRL, or a CRL without its CA is refused
o=$dir/other/files
{ printf 'client\nremote 192.0.2.1\n<ca>\n'; cat "$o/cert_export_ca.crt"; printf '</ca>\n<crl-verify>\n'
  cat "$o/ca.crl"; printf '</crl-verify>\n'; } > "$o/inline-crl.ovpn"
printf 'client\nremote 192.0.2.1\nca cert_export_ca.crt\ncrl-verify ca.crl\n' > "$o/file-crl.ovpn"
printf 'client\nremote 192.0.2.1\nca cert_export_ca.crt\ncrl-verify /etc/openvpn/crls dir\n' > "$o/dir-crl.ovpn"
printf 'client\nremote 192.0.2.1\nca cert_export_ca.crt\ncrl-verify cert_export_ca.crt\n' > "$o/not-crl.ovpn"
mkdir -p "$dir/third/files"
cp "$o/inline-crl.ovpn" "$dir/third/files/"
sed '/<ca>/,/<\/ca>/d' "$o/inline-crl.ovpn" > "$dir/third/files/no-ca.ovpn"
out=$(rosh2 -c '/interface ovpn-client import-ovpn-configuration file-name=dir-crl.ovpn' 2>&1) &&
	fail "crl-verify DIR dir imported"
grep -q "line 4: crl-verify /etc/openvpn/crls dir: a directory" <<< "$out" || fail "crl-verify dir: $out"
out=$(rosh2 -c '/interface ovpn-client import-ovpn-configuration file-name=not-crl.ovpn' 2>&1) &&
	fail "crl-verify of a certificate imported"
grep -q "line 4: crl-verify: no certificate revocation list" <<< "$out" || fail "crl-verify not a CRL: $out"
rosh2 -c '/certificate crl remove [find]'
for f in inline-crl file-crl; do
	rosh2 -c "/interface ovpn-client import-ovpn-configuration file-name=$f.ovpn" > /dev/null 2>&1 ||
		fail "$f.ovpn does not import"
	[ "$(rosh2 -c ":put [/certificate crl get [find url=$f.ovpn] revoked-count]")" = 2 ] ||
		fail "$f.ovpn: no CRL in /certificate crl"
done
out=$("$ROSH" --db "$dir/third/config.db" -c '/interface ovpn-client import-ovpn-configuration file-name=no-ca.ovpn' 2>&1) &&
	fail "a profile's CRL without its CA imported"
grep -q "signed by no authority" <<< "$out" || fail "CRL without CA in a profile: $out"

# a password-sealed backup carries the keys back
rosh -c '/system backup save name=all password=pw' > /dev/null || fail "backup save"
rosh -c '/interface ovpn-client remove [find]' > /dev/null || fail "remove clients"
rosh -c '/interface ovpn-server server remove srv; /certificate remove rw-client' > /dev/null || fail "remove before restore"
rosh -c '/system backup load name=all password=pw' > /dev/null || fail "backup load"
out=$(rosh -c '/certificate print where name=rw-client' 2>&1)
grep -q "^0 K" <<< "$out" || fail "restored certificate has no key: $out"

# what rosh writes into the file store (keys, PKCS#12 files, profiles holding
# keys, backups, exports) is the owner's alone; the fixtures copied in by
# this script keep their own modes
rosh -c '/export show-sensitive file=everything' > /dev/null || fail "export file="
for want in cert_export_ca.crt cert_export_rw-client.crt cert_export_rw-client.key \
	cert_export_rw-client.p12 laptop.ovpn all.backup everything.rsc ca.crl; do
	if [ ! -f "$files/$want" ]; then
		fail "no $want in the file store to check the mode of"
	elif [ "$(stat -c %a "$files/$want")" != 600 ]; then
		fail "$want has mode $(stat -c %a "$files/$want"), not 600"
	fi
done
# the database holds the keys too: made the owner's alone
[ "$(stat -c %a "$db")" = 600 ] || fail "the database has mode $(stat -c %a "$db"), not 600"
rosh -c '/ip pool print file=pools' > /dev/null && [ "$(stat -c %a "$files/pools.txt")" = 600 ] ||
	fail "print file= wrote no pools.txt of mode 600"
exit $bad
