# import-ovpn-configuration: what a profile maps to, what it ignores (one
# line each), and what it refuses (placeholders, missing files, checks
# that can not be honoured).
/interface ovpn-client
import-ovpn-configuration file-name=prov/office.ovpn name=office
print detail where name=office
import-ovpn-configuration file-name=prov/office.ovpn name=office2 ovpn-user=override ovpn-password=pw
print proplist=name,user where name=office2
import-ovpn-configuration file-name=sample.ovpn
import-ovpn-configuration file-name=your-ip.ovpn
import-ovpn-configuration file-name=example.ovpn
import-ovpn-configuration file-name=missing-ca.ovpn
import-ovpn-configuration file-name=tls-verify.ovpn
print count-only
