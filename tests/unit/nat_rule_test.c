/* nat_rule_test.c: /ip firewall nat items as nftables rules: matches,
 * translations, one rule per dst-port element, and every combination the
 * engine refuses (with its reason) or whose port text is malformed; what
 * configdb refuses at commit (bad ports, ports without a protocol) fails
 * there, with its words. */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "configdb.h"
#include "nat_rule.h"

#include "check.h"

static struct cdb *db;

static char refused[512];	/* why the last add_item failed (configdb's words) */

static int
add_item(const char *menu, const struct cdb_kv *kv, int n, long long *id)
{
	const struct cdb_menu *m = cdb_menu_find(db->cat, menu);
	struct cdb_err e;
	int rc;

	cdb_begin(db, &e);
	if ((rc = cdb_item_add(db, m, kv, n, 0, id, &e))) {
		snprintf(refused, sizeof(refused), "%s", e.msg);
		cdb_rollback(db);
	} else
		cdb_commit(db, &e);
	return rc;
}

/* Add a NAT item from "k=v" words (NULL ended) and expand it; the reason
 * it is refused, or NULL with the rules in *r, *n. */
static const char *
expand(struct nat_rule **r, int *n, ...)
{
	const struct cdb_menu *m = cdb_menu_find(db->cat, "/ip/firewall/nat");
	struct cdb_kv kv[16];
	char words[16][768];
	struct cdb_item it;
	struct cdb_err e;
	const char *why, *w;
	long long id = 0;
	int nkv = 0;
	va_list ap;

	va_start(ap, n);
	while ((w = va_arg(ap, const char *)) && nkv < 16) {
		char *eq;

		snprintf(words[nkv], sizeof(words[nkv]), "%s", w);
		eq = strchr(words[nkv], '=');
		*eq = '\0';
		kv[nkv].name = words[nkv];
		kv[nkv].value = eq + 1;
		nkv++;
	}
	va_end(ap);
	*r = NULL;
	*n = 0;
	if (add_item("/ip/firewall/nat", kv, nkv, &id))
		return refused;	/* refused at commit: that is the reason */
	if (cdb_item_get(db, m, id, &it, &e))
		return "item not stored";
	why = nat_rule_expand(m, &it, r, n);
	cdb_item_clear(&it);
	return why;
}

static void
matches_and_translations(void)
{
	struct nat_rule *r;
	int n;
	const char *why;

	why = expand(&r, &n, "chain=srcnat", "action=masquerade", "out-interface=uplink",
		     "src-address=192.168.88.0/24", NULL);
	CHECK(!why && n == 1, "masquerade: %s, %d rules", why ? why : "ok", n);
	CHECK(n == 1 && r[0].chain == NAT_SRCNAT && r[0].action == NAT_MASQUERADE &&
	      !strcmp(r[0].m.oif, "uplink") && !r[0].m.iif[0] && r[0].m.src.set &&
	      r[0].m.src.lo == 0xc0a85800 && r[0].m.src.hi == 0xc0a858ff && !r[0].m.dst.set,
	      "masquerade rule fields");
	free(r);

	why = expand(&r, &n, "chain=dstnat", "action=dst-nat", "protocol=tcp",
		     "dst-port=80,443,8000-8080", "to-addresses=10.0.0.5-10.0.0.6", "to-ports=8080",
		     "in-interface=uplink", NULL);
	CHECK(!why && n == 3, "dst-nat with 3 port elements: %s, %d rules", why ? why : "ok", n);
	CHECK(n == 3 && r[0].m.dport.lo == 80 && r[0].m.dport.hi == 80 && r[1].m.dport.lo == 443 &&
	      r[2].m.dport.lo == 8000 && r[2].m.dport.hi == 8080, "port elements in order");
	CHECK(n == 3 && r[2].m.proto == IPPROTO_TCP && r[2].to_addr.lo == 0x0a000005 &&
	      r[2].to_addr.hi == 0x0a000006 && r[2].to_port.lo == 8080 && r[2].to_port.hi == 8080 &&
	      !strcmp(r[2].m.iif, "uplink"), "each element keeps the rest of the rule");
	free(r);

	why = expand(&r, &n, "chain=srcnat", "action=src-nat", "protocol=udp",
		     "to-addresses=203.0.113.5", "to-ports=40000-40100", NULL);
	CHECK(!why && n == 1 && r[0].to_port.lo == 40000 && r[0].to_port.hi == 40100 &&
	      r[0].to_addr.lo == r[0].to_addr.hi, "src-nat with a port range");
	free(r);

	why = expand(&r, &n, "chain=dstnat", "action=redirect", "protocol=udp", "dst-port=53",
		     "to-ports=5353", NULL);
	CHECK(!why && n == 1 && r[0].action == NAT_REDIRECT, "redirect");
	free(r);

	why = expand(&r, &n, "chain=dstnat", "action=dst-nat", "protocol=tcp", "to-ports=2222",
		     NULL);
	CHECK(!why && n == 1 && !r[0].to_addr.set, "dst-nat with to-ports only");
	free(r);

	why = expand(&r, &n, "chain=srcnat", "action=passthrough",
		     "dst-address=10.1.1.1-10.1.1.9", NULL);
	CHECK(!why && n == 1 && r[0].action == NAT_PASSTHROUGH && r[0].m.dst.lo == 0x0a010101 &&
	      r[0].m.dst.hi == 0x0a010109, "passthrough with an address range");
	free(r);

	why = expand(&r, &n, "chain=dstnat", NULL);
	CHECK(!why && n == 1 && r[0].action == NAT_ACCEPT, "accept is the default action");
	free(r);

	/* chains of the admin's own: checked against the base chain that
	 * jumps to them later, by nat.c */
	why = expand(&r, &n, "chain=dstnat", "action=jump", "jump-target=DNAT", NULL);
	CHECK(!why && n == 1 && r[0].action == NAT_JUMP && !strcmp(r[0].jump, "DNAT") &&
	      !strcmp(r[0].chain_name, "dstnat"), "jump: %s", why ? why : "ok");
	free(r);
	why = expand(&r, &n, "chain=DNAT", "action=dst-nat", "protocol=tcp", "dst-port=2222",
		     "to-addresses=192.168.1.200", "to-ports=22", NULL);
	CHECK(!why && n == 1 && r[0].chain == NAT_CUSTOM && !strcmp(r[0].chain_name, "DNAT") &&
	      !nat_rule_check_in(&r[0], NAT_DSTNAT) && nat_rule_check_in(&r[0], NAT_SRCNAT),
	      "dst-nat in a chain of our own: %s", why ? why : "ok");
	free(r);
}

/* expect_refusal WANT WORDS...: the item is refused with WANT, no rule made */
#define REFUSED(want, ...) do { \
	struct nat_rule *r_; int n_; \
	const char *why_ = expand(&r_, &n_, __VA_ARGS__, NULL); \
	CHECK(why_ && strstr(why_, want) && n_ == 0, "want \"%s\", got \"%s\" (%d rules)", \
	      want, why_ ? why_ : "accepted", n_); \
	free(r_); \
} while (0)

static void
refusals(void)
{
	REFUSED("to-ports needs protocol tcp or udp", "chain=srcnat", "action=masquerade",
		"to-ports=1000");
	REFUSED("to-ports needs protocol tcp or udp", "chain=dstnat", "action=dst-nat",
		"protocol=icmp", "to-addresses=10.0.0.1", "to-ports=80");
	REFUSED("dst-nat needs to-addresses or to-ports", "chain=dstnat", "action=dst-nat");
	REFUSED("src-nat needs to-addresses", "chain=srcnat", "action=src-nat");
	REFUSED("only for chain srcnat", "chain=dstnat", "action=masquerade");
	REFUSED("only for chain dstnat", "chain=srcnat", "action=redirect");
	REFUSED("to-addresses is only for src-nat and dst-nat", "chain=srcnat",
		"action=masquerade", "to-addresses=10.0.0.1");
	REFUSED("to-ports is only for", "chain=srcnat", "action=accept", "protocol=tcp",
		"to-ports=80");
	REFUSED("dst-port needs protocol", "chain=dstnat", "dst-port=80");
	REFUSED("needs jump-target", "chain=srcnat", "action=jump");
	REFUSED("only for action=jump", "chain=srcnat", "jump-target=x");
	REFUSED("built-in chain", "chain=srcnat", "action=jump", "jump-target=dstnat");
	REFUSED("out-interface can not be matched in dstnat", "chain=dstnat",
		"out-interface=uplink");
	REFUSED("at most 15 characters", "chain=srcnat", "action=masquerade",
		"out-interface=a-very-long-uplink-name");
}

static void
malformed_ports(void)
{
	static const char *bad_dst[] = { "http", "80-", "-80", "80,,81", "80,", "65536",
					 "90-80", "1 2", "99999999999999999999", "+80" };
	static const char *bad_to[] = { "80,81", "x", "70000", "10-5" };
	char list[700];	/* fits words[] of expand() */

	for (size_t i = 0; i < sizeof(bad_dst) / sizeof(bad_dst[0]); i++) {
		char arg[64];

		snprintf(arg, sizeof(arg), "dst-port=%s", bad_dst[i]);
		REFUSED("invalid value for argument dst-port", "chain=dstnat", "protocol=tcp", arg);
	}
	for (size_t i = 0; i < sizeof(bad_to) / sizeof(bad_to[0]); i++) {
		char arg[64];

		snprintf(arg, sizeof(arg), "to-ports=%s", bad_to[i]);
		REFUSED("invalid value for argument to-ports", "chain=dstnat", "action=redirect",
			"protocol=tcp", arg);
	}
	/* 65 elements: one more than a rule may expand to (and within len=255) */
	list[0] = '\0';
	for (int i = 1; i <= 65; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%d", i > 1 ? "," : "",
			 i);
	{
		char arg[720];

		snprintf(arg, sizeof(arg), "dst-port=%s", list);
		REFUSED("at most 64", "chain=dstnat", "protocol=tcp", arg);
	}
}

int
main(void)
{
	char dir[] = "/tmp/nat_rule_test.XXXXXX", path[64], cmd[96];
	struct cdb_kv up[] = { { "name", "uplink" }, { "connect-to", "192.0.2.1" } };
	struct cdb_kv longname[] = { { "name", "a-very-long-uplink-name" },
				     { "connect-to", "192.0.2.2" } };
	struct cdb_err e;
	long long id;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/config.db", dir);
	if (cdb_open(path, &db, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	add_item("/interface/ovpn-client", up, 2, &id);
	add_item("/interface/ovpn-client", longname, 2, &id);
	matches_and_translations();
	refusals();
	malformed_ports();
	cdb_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	printf("nat_rule_test: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
