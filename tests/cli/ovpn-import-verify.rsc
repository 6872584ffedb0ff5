# import-ovpn-configuration keeps every check a profile asks of its server:
# ca (the chain, to that CA only), verify-x509-name in its three forms (no
# type means subject), remote-cert-tls and ns-cert-type server,
# peer-fingerprint, tls-version-min. A profile with neither ca nor
# peer-fingerprint is refused, as stock OpenVPN refuses it.
/interface ovpn-client
import-ovpn-configuration file-name=name.ovpn ovpn-user=u ovpn-password=p name=by-name
import-ovpn-configuration file-name=prefix.ovpn ovpn-user=u ovpn-password=p name=by-prefix
import-ovpn-configuration file-name=subject.ovpn ovpn-user=u ovpn-password=p name=by-subject
import-ovpn-configuration file-name=chain-only.ovpn ovpn-user=u ovpn-password=p name=chain-only
import-ovpn-configuration file-name=pinned.ovpn ovpn-user=u ovpn-password=p name=pinned
import-ovpn-configuration file-name=nothing.ovpn ovpn-user=u ovpn-password=p name=nothing
# skip-cert-import=yes keeps the checks: the profile's CA must be there already
import-ovpn-configuration file-name=other.ovpn ovpn-user=u ovpn-password=p name=other skip-cert-import=yes
/certificate import file-name=other-ca.crt name=other-ca
/interface ovpn-client
import-ovpn-configuration file-name=other.ovpn ovpn-user=u ovpn-password=p name=other skip-cert-import=yes
print detail proplist=name,connect-to,verify-server-certificate,verify-server-name,verify-server-name-type,verify-server-usage,server-fingerprint,server-ca,tls-version
/certificate print proplist=name,common-name,trusted
# the new properties take only their values
/interface ovpn-client
set pinned verify-server-name-type=exact
set pinned verify-server-usage=tls-client
set pinned tls-version=only-1.1
set pinned server-ca=no-such-ca
set pinned verify-server-usage=tls-server,ns-server server-ca=other-ca tls-version=only-1.3
export
