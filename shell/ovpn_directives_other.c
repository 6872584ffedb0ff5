/* ovpn_directives_other.c: the directives of OpenVPN 2.6 that a client
 * profile may hold and that have no effect here (they steer the stock
 * client's own process, logging, scripts, Windows adapter or retries): the
 * import accepts them and lists each as "line N: DIRECTIVE (why)"; and
 * those refused, with why (they cannot be honoured safely, or belong to a
 * server). The mapped ones are in ovpn_directives.c and
 * ovpn_directives_net.c; rosh-ovpn(7) has the whole table. */
#include <stddef.h>

#include "ovpn_read.h"

#define I(n, why)	{ n, ANY, IGN, NULL, why }
#define IC(n, why)	{ n, ANY, IGN | CONN, NULL, why }
#define R(n, why)	{ n, ANY, 0, NULL, why }
#define RC(n, why)	{ n, ANY, CONN, NULL, why }

#define LOG "logging of the stock client; /log has Rosh's"
#define PROC "steers the stock client's own process"
#define SCRIPT "scripts named by a profile are not run; pushed DNS is applied " \
	"with use-peer-dns"
#define WIN "Windows only"
#define RETRY "Rosh retries on its own, backing off up to 60 s"
#define SOCK "socket tuning of the stock client"
#define PUSHED "the server's pushed value is used"
#define KEPT "the tunnel, its address and routes are kept across reconnects anyway"
#define NOTCLIENT "this is a server's configuration, not a client profile"
#define CHECKS "a script or plugin that checks the server can not be run, and " \
	"skipping it would accept servers it refuses"
#define NOSTORE "keys in a token or system store can not be reached: put the " \
	"certificate and key in the profile"

const struct directive prof_other_directives[] = {
	/* logging and the process */
	I("verb", LOG), I("mute", LOG), I("mute-replay-warnings", LOG), I("log", LOG),
	I("log-append", LOG), I("syslog", LOG), I("status", LOG), I("status-version", LOG),
	I("suppress-timestamps", LOG), I("machine-readable-output", LOG),
	I("errors-to-stderr", LOG), I("echo", LOG), I("writepid", PROC), I("daemon", PROC),
	I("user", PROC), I("group", PROC), I("chroot", PROC), I("cd", PROC), I("setcon", PROC),
	I("mlock", PROC), I("nice", PROC), I("remap-usr1", PROC),
	/* persistence, retries and timers of the stock client */
	I("persist-key", KEPT), I("persist-tun", KEPT), I("persist-local-ip", KEPT),
	I("persist-remote-ip", KEPT),
	I("resolv-retry", "names are resolved again on every attempt"),
	IC("connect-retry", RETRY), IC("connect-retry-max", RETRY), IC("connect-timeout", RETRY),
	I("server-poll-timeout", RETRY), I("auth-retry", "a refused login waits 60 s and "
	  "tries again"), I("hand-window", "handshakes have 60 s"), I("tls-timeout", RETRY),
	I("tran-window", "old keys are dropped on Rosh's own schedule"),
	I("ping-timer-rem", "pings run whether or not the server is known"),
	I("ping-exit", "the client reconnects rather than stopping"),
	I("inactive", "the tunnel stays up while idle"),
	I("session-timeout", "the tunnel stays up until it is disabled"),
	I("single-session", PROC), I("tls-exit", PROC),
	I("reneg-bytes", "keys are renegotiated by time (reneg-sec)"),
	I("reneg-pkts", "keys are renegotiated by time (reneg-sec)"),
	/* sockets and sizes */
	IC("nobind", "the client always uses a random local port"),
	IC("lport", "the client always uses a random local port"),
	IC("bind", "the client always uses a random local port"),
	IC("local", "the local address is chosen by the routing table"),
	IC("float", "packets are taken from the server connected to"),
	I("sndbuf", SOCK), I("rcvbuf", SOCK), I("txqueuelen", SOCK), I("fast-io", SOCK),
	I("tcp-nodelay", SOCK), I("socket-flags", SOCK), I("mark", SOCK), I("bind-dev", SOCK),
	I("passtos", SOCK), I("tcp-queue-limit", SOCK), I("replay-window", SOCK),
	IC("mtu-disc", SOCK), I("mtu-test", SOCK), IC("link-mtu", "sizes follow tun-mtu"),
	IC("tun-mtu-extra", "sizes follow tun-mtu"), I("tun-mtu-max", "sizes follow tun-mtu"),
	I("max-packet-size", "sizes follow tun-mtu"),
	I("disable-dco", "there is no kernel data channel offload here"),
	/* scripts */
	I("script-security", SCRIPT), I("up", SCRIPT), I("down", SCRIPT), I("down-pre", SCRIPT),
	I("up-delay", SCRIPT), I("up-restart", SCRIPT), I("route-up", SCRIPT),
	I("route-pre-down", SCRIPT), I("ipchange", SCRIPT), I("setenv-safe", SCRIPT),
	I("tls-export-cert", SCRIPT), I("x509-track", SCRIPT),
	/* what the push or the interface decides */
	I("pull", "implied by client"), I("push-peer-info", "peer info is always sent"),
	I("topology", PUSHED), I("ifconfig", PUSHED), I("ifconfig-ipv6", PUSHED),
	I("route-gateway", "routes go through the tunnel interface"),
	I("route-metric", "routes take the main table's default metric"),
	I("route-delay", "routes are set as soon as the push arrives"),
	I("route-method", WIN), I("max-routes", "no limit below the engine's own"),
	I("route-ipv6-gateway", "IPv6 routes go through the tunnel interface"),
	I("redirect-private", "routes come from route lines and the push"),
	I("tun-ipv6", "IPv6 is on when the server pushes it"),
	I("dev-node", "the interface is named after the client"),
	I("lladdr", "set mac-address on the client"), I("iproute", PROC),
	I("ifconfig-nowarn", LOG), I("allow-pull-fqdn", PUSHED),
	I("allow-recursive-routing", "the route to the server is kept anyway"),
	I("remote-random-hostname", "names are resolved as they are"),
	I("proto-force", "every remote is tried with its own protocol"),
	I("shaper", "use the PPP profile's rate-limit"),
	I("peer-id", PUSHED), I("auth-token", PUSHED), I("auth-token-user", PUSHED),
	I("auth-nocache", "credentials are kept in the configuration"),
	I("askpass", "give the key's passphrase as key-passphrase="),
	I("key-method", "key method 2 is the only one"),
	I("ncp-disable", "removed in OpenVPN 2.6: data-ciphers decides"),
	I("engine", "wolfSSL does the cryptography"), I("providers", "wolfSSL does the "
	  "cryptography"), I("keying-material-exporter", SCRIPT),
	I("compat-mode", "Rosh speaks OpenVPN 2.6 and reads older peers anyway"),
	I("disable-occ", "option mismatches are only logged"),
	I("no-replay", "replay protection stays on"), I("replay-persist", SOCK),
	I("keysize", "removed in OpenVPN 2.6: the cipher's own key size is used"),
	IC("http-proxy-option", "no custom headers are sent to the proxy"),
	I("http-proxy-retry", RETRY), I("http-proxy-timeout", RETRY),
	/* Windows */
	I("block-outside-dns", WIN), I("register-dns", WIN), I("ip-win32", WIN),
	I("tap-sleep", WIN), I("dhcp-renew", WIN), I("dhcp-release", WIN),
	I("dhcp-pre-release", WIN), I("win-sys", WIN), I("show-net-up", WIN),
	I("pause-exit", WIN), I("service", WIN), I("allow-nonadmin", WIN),
	I("windows-driver", WIN), I("msg-channel", WIN),

	/* refused: no safe way to honour them */
	R("management-external-key", "the key is held by a management client; put the "
	  "key in the profile"),
	R("management-external-cert", "the certificate is held by a management client; "
	  "put the certificate in the profile"),
	I("management*", "there is no management interface"),
	RC("socks-proxy", "SOCKS proxies are not supported (http-proxy is)"),
	R("secret", "static-key mode is refused: its one key never changes, so whoever "
	  "takes it reads every session ever sent (no forward secrecy), and OpenVPN 2.6 "
	  "deprecates it; use TLS mode (ca with cert and key, or auth-user-pass)"),
	R("tls-remote", "removed in OpenVPN 2.4, and OpenVPN 2.6 refuses it too: write "
	  "verify-x509-name NAME name"),
	R("tls-verify", CHECKS), R("plugin", CHECKS),
	R("verify-hash", "not supported: the server's CA is checked by ca"),
	R("tls-cert-profile", "certificate profiles are not enforced here, so a "
	  "stricter profile can not be honoured"),
	R("static-challenge", "the challenge asks the user for a response at every "
	  "connection, which a router can not give"),
	R("client-nat", "not supported: addresses are not translated in the tunnel"),
	R("ifconfig-noexec", "the interface is always configured from the push; a "
	  "profile that configures it itself can not be honoured"),
	R("route-noexec", "routes are always installed; a profile that installs "
	  "them itself can not be honoured"),
	R("block-ipv6", "IPv6 is not blocked here, so the profile's protection "
	  "against IPv6 leaks can not be honoured"),
	R("capath", "CAs are not read from a directory: put the CA in the profile"),
	R("cryptoapicert", NOSTORE), R("pkcs11-*", NOSTORE),
	R("config", "includes are not followed: paste the included lines into the "
	  "profile"),
	R("test-crypto", "a self-test, not a tunnel"), R("inetd", NOTCLIENT),
	R("server", NOTCLIENT), R("server-ipv6", NOTCLIENT), R("server-bridge", NOTCLIENT),
	R("tls-server", NOTCLIENT), R("dh", NOTCLIENT), R("push", NOTCLIENT),
	R("push-reset", NOTCLIENT), R("push-remove", NOTCLIENT),
	R("client-config-dir", NOTCLIENT), R("ccd-exclusive", NOTCLIENT),
	R("ifconfig-pool*", NOTCLIENT), R("ifconfig-ipv6-pool", NOTCLIENT),
	R("client-to-client", NOTCLIENT), R("duplicate-cn", NOTCLIENT),
	R("iroute", NOTCLIENT), R("iroute-ipv6", NOTCLIENT), R("max-clients", NOTCLIENT),
	R("max-routes-per-client", NOTCLIENT), R("auth-user-pass-verify", NOTCLIENT),
	R("client-connect", NOTCLIENT), R("client-disconnect", NOTCLIENT),
	R("client-crresponse", NOTCLIENT), R("learn-address", NOTCLIENT),
	R("auth-gen-token*", NOTCLIENT), R("verify-client-cert", NOTCLIENT),
	R("username-as-common-name", NOTCLIENT), R("connect-freq*", NOTCLIENT),
	R("port-share", NOTCLIENT), R("stale-routes-check", NOTCLIENT),
	R("opt-verify", NOTCLIENT), R("vlan-*", NOTCLIENT), R("tls-crypt-v2-verify", NOTCLIENT),
	R("tls-crypt-v2-max-age", NOTCLIENT), R("x509-username-field", NOTCLIENT),
	R("hash-size", NOTCLIENT), R("bcast-buffers", NOTCLIENT), R("multihome", NOTCLIENT),
	{ NULL, 0, 0, 0, NULL, NULL }
};
