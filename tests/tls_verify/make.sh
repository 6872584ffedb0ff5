#!/bin/sh
# make.sh: how the certificates of tests/unit/tls_verify_test.c were made
# (run once; the test reads the committed files, openssl is not needed then).
set -e
key() { openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:prime256v1 -out "$1.key" 2> /dev/null; }
# self_signed NAME SUBJECT EXT-LINES...
self_signed() {
	n=$1 subj=$2
	shift 2
	key "$n"
	printf '%s\n' "$@" > "$n.ext"
	openssl req -new -key "$n.key" -utf8 -multivalue-rdn -subj "$subj" -out "$n.csr"
	openssl x509 -req -in "$n.csr" -key "$n.key" -days 36500 -extfile "$n.ext" -out "$n.crt" 2> /dev/null
	rm -f "$n.csr" "$n.ext" "$n.key"
}
self_signed multi "/C=NL/ST=Noord-Holland/O=Example VPN+OU=Ops/CN=first.example/CN=nl-ams-001.vpn.example/emailAddress=ops@example.org" \
	"keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth,clientAuth"
self_signed utf8 "/O=Café VPN/CN=zürich.vpn.example" "keyUsage=digitalSignature" "extendedKeyUsage=serverAuth"
self_signed ns-only "/CN=old.vpn.example" "nsCertType=server"
self_signed ns-client "/CN=old-client.vpn.example" "nsCertType=client"
self_signed ku-certsign "/CN=signer.vpn.example" "keyUsage=keyCertSign" "extendedKeyUsage=serverAuth"
self_signed bare "/CN=bare.vpn.example" "subjectKeyIdentifier=hash"
self_signed eku-client "/CN=client.vpn.example" "keyUsage=digitalSignature" "extendedKeyUsage=clientAuth"
for c in *.crt; do
	printf '%s\t%s\t%s\n' "$c" "$(openssl x509 -in "$c" -noout -subject -nameopt sep_comma_plus_space,sname,utf8,esc_ctrl | sed 's/^subject=//')" \
		"$(openssl x509 -in "$c" -noout -fingerprint -sha256 | cut -d= -f2)"
done > expected.txt
