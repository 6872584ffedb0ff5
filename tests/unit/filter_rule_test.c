/* filter_rule_test.c: /ip firewall filter items as nftables rules: what a
 * VPN guide writes, the expansion of port lists, the filter-only matchers
 * (connection state, address lists, icmp, tcp flags, limit), interface
 * lists as iface_list.c resolves them, actions that add to address lists
 * (dynamic sets), time= in several time zones, and every combination the
 * engine refuses, with its reason. */
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/netfilter/nf_tables.h>

#include "configdb.h"
#include "engine.h"
#include "filter_rule.h"
#include "filter_time.h"
#include "ip.h"

#include "check.h"

static struct cdb *db;
static struct filter_lists lists;

/* /interface ethernet aliases are the engine's: here every name is the kernel's */
const char *
ether_kernel_name(const char *name)
{
	return name;
}

/* Items from "k=v" words in one transaction; 0 or -1. */
static int
add_items(const char *menu, const char *const *words)
{
	const struct cdb_menu *m = cdb_menu_find(db->cat, menu);
	struct cdb_err e;
	long long id;
	int rc = 0;

	cdb_begin(db, &e);
	for (int i = 0; !rc && words[i]; i++) {
		struct cdb_kv *kv;
		char *buf;
		int n = cdb_seed_parse(words[i], &kv, &buf);

		rc = cdb_item_add(db, m, kv, n, 0, &id, &e);
		free(kv);
		free(buf);
	}
	if (rc) {
		fprintf(stderr, "%s\n", e.msg);
		cdb_rollback(db);
		return -1;
	}
	return cdb_commit(db, &e);
}

/* Add a filter item from "k=v" words (NULL ended) and expand it; the
 * reason it is refused, or NULL with the rules in *r, *n. */
static const char *
expand(struct filter_rule **r, int *n, ...)
{
	const struct cdb_menu *m = cdb_menu_find(db->cat, "/ip/firewall/filter");
	struct cdb_kv kv[16];
	char words[16][256];
	struct cdb_item it;
	struct cdb_err e;
	const char *why, *w;
	long long id = 0;
	int nkv = 0, rc;
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
	cdb_begin(db, &e);
	if ((rc = cdb_item_add(db, m, kv, nkv, 0, &id, &e)))
		cdb_rollback(db);
	else
		cdb_commit(db, &e);
	if (rc) {	/* refused at commit (configdb's rules): that is the reason */
		static char refused[sizeof(e.msg)];

		snprintf(refused, sizeof(refused), "%s", e.msg);
		return refused;
	}
	if (cdb_item_get(db, m, id, &it, &e))
		return "item not stored";
	why = filter_rule_expand(m, &it, &lists, r, n);
	cdb_item_clear(&it);
	return why;
}

#define OK(...) do { \
	free(keep); \
	why = expand(&r, &n, __VA_ARGS__, NULL); \
	keep = r; \
} while (0)

static void
guides(void)
{
	struct filter_rule *r, *keep = NULL;
	const char *why;
	int n;

	OK("chain=input", "protocol=udp", "dst-port=1194", "action=accept", "comment=allow ovpn");
	CHECK(!why && n == 1 && !strcmp(r[0].chain, "input") && r[0].action == FILTER_ACCEPT &&
	      r[0].m.proto == IPPROTO_UDP && r[0].m.dport.lo == 1194 && !r[0].m.sport.set,
	      "udp 1194: %s", why ? why : "ok");
	OK("chain=input", "connection-state=established,related", "action=accept");
	CHECK(!why && n == 1 && r[0].ct_state == (2 | 4), "established,related: %s %u",
	      why ? why : "ok", n ? r[0].ct_state : 0);
	OK("chain=input", "action=drop", "in-interface=ether1");
	CHECK(!why && n == 1 && r[0].action == FILTER_DROP && !strcmp(r[0].m.iif, "ether1"),
	      "drop on ether1: %s", why ? why : "ok");
	OK("chain=forward", "action=fasttrack-connection", "connection-state=established");
	CHECK(!why && n == 1 && r[0].action == FILTER_ACCEPT, "fasttrack is accept");
	OK("chain=input", "protocol=tcp", "src-port=1-2,5", "dst-port=80,443");
	CHECK(!why && n == 4 && r[1].m.sport.lo == 1 && r[1].m.dport.lo == 443 &&
	      r[2].m.sport.lo == 5 && r[2].m.dport.lo == 80, "src x dst ports: %d rules", n);
	OK("chain=input", "protocol=tcp", "port=22,80");
	CHECK(!why && n == 4 && r[0].m.sport.lo == 22 && !r[0].m.dport.set &&
	      r[1].m.dport.lo == 22 && !r[1].m.sport.set && r[3].m.dport.lo == 80,
	      "port as either: %d rules", n);
	OK("chain=input", "src-address-list=!trusted", "dst-address-list=servers");
	CHECK(!why && n == 1 && r[0].m.src_set_not && !r[0].m.dst_set_not && r[0].m.src_set[0] &&
	      strcmp(r[0].m.src_set, r[0].m.dst_set), "address lists: %s", why ? why : "ok");
	OK("chain=input", "protocol=icmp", "icmp-options=8:0", "limit=10/1m,5:packet");
	CHECK(!why && n == 1 && r[0].icmp_type == 8 && r[0].icmp_code == 0 &&
	      r[0].limit_rate == 10 && r[0].limit_unit == 60 && r[0].limit_burst == 5,
	      "icmp and limit: %s", why ? why : "ok");
	OK("chain=input", "protocol=tcp", "tcp-flags=syn,!ack");
	CHECK(!why && n == 1 && r[0].tcp_mask == 0x12 && r[0].tcp_bits == 0x02, "syn,!ack");
	OK("chain=input", "protocol=tcp", "action=reject", "reject-with=tcp-reset");
	CHECK(!why && n == 1 && r[0].reject_type == NFT_REJECT_TCP_RST, "tcp-reset");
	OK("chain=input", "action=reject");
	CHECK(!why && n == 1 && r[0].reject_type == NFT_REJECT_ICMP_UNREACH && !r[0].reject_code,
	      "reject defaults to network unreachable");
	OK("chain=input", "action=jump", "jump-target=vpn");
	CHECK(!why && n == 1 && !strcmp(r[0].jump, "vpn"), "jump");
	OK("chain=input", "action=log", "log-prefix=IN", "connection-nat-state=dstnat");
	CHECK(!why && n == 1 && !strcmp(r[0].log_prefix, "IN") && r[0].ct_status == 1u << 5,
	      "log, dstnat");
	OK("chain=forward", "action=drop", "connection-state=new", "connection-nat-state=!dstnat");
	CHECK(!why && n == 1 && r[0].ct_state == 8 && !r[0].ct_status &&
	      r[0].ct_status_not == 1u << 5, "defconf's !dstnat: %s", why ? why : "ok");
	OK("chain=input", "dst-address-type=broadcast", "src-address-type=!local", "packet-size=!0-1500");
	CHECK(!why && n == 1 && r[0].dst_type == 3 && !r[0].dst_type_not && r[0].src_type == 2 &&
	      r[0].src_type_not && r[0].len.set && r[0].len.lo == 0 && r[0].len.hi == 1500 &&
	      r[0].len_not, "address types and packet-size: %s", why ? why : "ok");
	OK("chain=forward", "action=fasttrack-connection", "connection-mark=!notFastTrack");
	CHECK(!why && n == 1 && !r[0].ct_mark, "!name: always true, no mark is ever set");
	OK("chain=forward", "connection-mark=no-mark");
	CHECK(!why && n == 1 && r[0].ct_mark == 1, "no-mark: mark 0");
	OK("chain=forward", "connection-mark=vpn");
	CHECK(!why && n == 0, "a named mark matches nothing: %d rules", n);
	free(keep);
}

/* in-interface-list=LAN is a rule per member; !LAN one rule that excludes
 * each; the built-in lists need no members. */
static void
interface_lists(void)
{
	static const char *const lists_[] = { "name=LAN", "name=WAN", "name=OUT",
					      "name=BOTH include=LAN,WAN exclude=OUT", "name=EMPTY", NULL };
	static const char *const members_[] = { "list=LAN interface=bridge1", "list=LAN interface=ether2",
						"list=WAN interface=ether1", "list=OUT interface=ether2",
						"list=WAN interface=ether5 disabled=yes", NULL };
	struct filter_rule *r, *keep = NULL;
	const char *why;
	int n;

	CHECK(!add_items("/interface/list", lists_) && !add_items("/interface/list/member", members_),
	      "lists stored");
	OK("chain=input", "in-interface-list=LAN", "protocol=tcp", "dst-port=22,80");
	CHECK(!why && n == 4 && !strcmp(r[0].m.iif, "bridge1") && r[0].m.dport.lo == 22 &&
	      !strcmp(r[3].m.iif, "ether2") && r[3].m.dport.lo == 80, "LAN x ports: %s %d",
	      why ? why : "ok", n);
	OK("chain=input", "in-interface-list=!LAN", "action=drop");
	CHECK(!why && n == 1 && !r[0].m.iif[0] && !strcmp(r[0].m.iif_not[0], "bridge1") &&
	      !strcmp(r[0].m.iif_not[1], "ether2") && !r[0].m.iif_not[2][0], "!LAN: %s",
	      why ? why : "ok");
	OK("chain=forward", "in-interface-list=LAN", "out-interface-list=WAN");
	CHECK(!why && n == 2 && !strcmp(r[1].m.iif, "ether2") && !strcmp(r[1].m.oif, "ether1"),
	      "LAN to WAN (the disabled member left out): %d", n);
	OK("chain=input", "in-interface-list=BOTH");
	CHECK(!why && n == 2 && !strcmp(r[0].m.iif, "bridge1") && !strcmp(r[1].m.iif, "ether1"),
	      "include and exclude: %d", n);
	OK("chain=input", "in-interface-list=EMPTY");
	CHECK(!why && n == 0, "an empty list matches nothing: %d", n);
	OK("chain=input", "in-interface-list=!EMPTY");
	CHECK(!why && n == 1 && !r[0].m.iif[0] && !r[0].m.iif_not[0][0], "!EMPTY matches all");
	OK("chain=input", "in-interface-list=all");
	CHECK(!why && n == 1 && !r[0].m.iif[0] && !r[0].m.iif_not[0][0], "all");
	OK("chain=input", "in-interface-list=!all");
	CHECK(!why && n == 0, "!all matches nothing");
	OK("chain=input", "in-interface-list=dynamic");
	CHECK(!why && n == 1 && !strcmp(r[0].m.iif, "<*"), "dynamic: a prefix");
	OK("chain=input", "in-interface-list=static");
	CHECK(!why && n == 1 && !r[0].m.iif[0] && !strcmp(r[0].m.iif_not[0], "<*"),
	      "static: not the prefix");
	free(keep);
}

#define REFUSED(text, ...) do { \
	struct filter_rule *r_; \
	int n_; \
	const char *w_ = expand(&r_, &n_, __VA_ARGS__, NULL); \
	CHECK(w_ && strstr(w_, text) && !n_, "want \"%s\", got \"%s\"", text, w_ ? w_ : "ok"); \
	free(r_); \
} while (0)

static void
refusals(void)
{
	REFUSED("tarpit is not supported", "chain=input", "action=tarpit");
	REFUSED("needs address-list", "chain=input", "action=add-src-to-address-list");
	REFUSED("only for actions add-src", "chain=input", "action=accept", "address-list=x");
	REFUSED("none-static is not supported", "chain=input", "action=add-src-to-address-list",
		"address-list=x", "address-list-timeout=none-static");
	REFUSED("the start must come before the end", "chain=input", "time=22h-6h,mon");
	REFUSED("days are sun", "chain=input", "time=8h-17h,monday");
	REFUSED("time of day is 0s .. 1d", "chain=input", "time=8h-2d");
	REFUSED("a start and an end", "chain=input", "time=8h");
	REFUSED("packet-size is not", "chain=input", "packet-size=big");
	REFUSED("no such interface list", "chain=input", "in-interface-list=NOPE");
	REFUSED("in chain output", "chain=output", "in-interface-list=LAN");
	REFUSED("can not both", "chain=input", "in-interface=ether1", "in-interface-list=LAN");
	REFUSED("needs protocol tcp", "chain=input", "action=reject", "reject-with=tcp-reset");
	REFUSED("needs jump-target", "chain=input", "action=jump");
	REFUSED("only for action=jump", "chain=input", "jump-target=x");
	REFUSED("built-in chain", "chain=input", "action=jump", "jump-target=forward");
	REFUSED("needs protocol icmp", "chain=input", "icmp-options=8");
	REFUSED("not type or type:code", "chain=input", "protocol=icmp", "icmp-options=8:x");
	REFUSED("needs protocol tcp", "chain=input", "tcp-flags=syn");
	REFUSED("flags are fin", "chain=input", "protocol=tcp", "tcp-flags=syn,foo");
	REFUSED("bytes are not supported", "chain=input", "limit=10,5:bytes");
	REFUSED("limit is", "chain=input", "limit=fast");
	/* refused at commit now: configdb's words */
	REFUSED("src-port needs protocol tcp, udp or sctp", "chain=input", "src-port=5");
	REFUSED("port can not go with", "chain=input", "protocol=tcp", "port=5", "dst-port=6");
	REFUSED("too many port combinations", "chain=input", "protocol=tcp",
		"src-port=1,2,3,4,5,6,7,8,9", "dst-port=1,2,3,4,5,6,7,8");
	REFUSED("in chain output", "chain=output", "in-interface=ether1");
	REFUSED("in chain input", "chain=input", "out-interface=ether1");
	REFUSED("dst-port needs protocol", "chain=input", "dst-port=80");
}

/* add-src-to-address-list, and the rules that match its list written
 * twice (in the list's set, or not in it but in its dynamic set) */
static void
dynamic_lists(void)
{
	struct filter_rule *r, *keep = NULL;
	const char *why;
	int n, i;

	OK("chain=input", "protocol=tcp", "dst-port=22", "action=add-src-to-address-list",
	   "address-list=knock", "address-list-timeout=1w3d");
	i = filter_list_index(&lists, "knock");
	CHECK(!why && n == 1 && r[0].action == FILTER_ADD_SRC && i >= 0 && lists.dynamic[i] &&
	      r[0].add_timeout_ms == 864000000ull && !strncmp(r[0].add_set, "ad", 2),
	      "add-src: %s %llu %s", why ? why : "ok", n ? (unsigned long long)r[0].add_timeout_ms : 0,
	      n ? r[0].add_set : "");
	OK("chain=input", "action=add-dst-to-address-list", "address-list=seen");
	CHECK(!why && n == 1 && r[0].action == FILTER_ADD_DST && !r[0].add_timeout_ms,
	      "add-dst, no timeout: %s", why ? why : "ok");
	OK("chain=input", "src-address-list=knock", "dst-address-list=knock", "action=accept");
	CHECK(!why && n == 1 && !filter_rules_dynamic(&lists, &r, &n) && n == 4 &&
	      r[0].m.src_dset[0] && !r[0].m.src_in_dset && !r[0].m.dst_in_dset &&
	      r[3].m.src_in_dset && r[3].m.dst_in_dset, "in a dynamic list, both sides: %d rules", n);
	keep = r;
	OK("chain=input", "src-address-list=!knock", "action=drop");
	CHECK(!why && !filter_rules_dynamic(&lists, &r, &n) && n == 1 && r[0].m.src_dset[0] &&
	      r[0].m.src_set_not && !r[0].m.src_in_dset, "not in a dynamic list: one rule");
	keep = r;
	OK("chain=input", "src-address-list=plain", "action=drop");
	CHECK(!why && !filter_rules_dynamic(&lists, &r, &n) && n == 1 && !r[0].m.src_dset[0],
	      "a list no rule adds to: one rule, no dynamic set");
	free(r);
}

/* time=: pieces of the kernel's days and UTC seconds */
static void
times(void)
{
	struct filter_rule *r, *keep = NULL;
	const char *why;
	int n;

	filter_time_set_offsets(0, 0);
	OK("chain=forward", "action=drop", "time=8h-17h,mon,tue,wed,thu,fri");
	CHECK(!why && n == 1 && r[0].time_set && r[0].day_lo == 1 && r[0].day_hi == 5 &&
	      r[0].sec_lo == 28800 && r[0].sec_hi == 61200, "office hours in UTC: %s %d",
	      why ? why : "ok", n);
	filter_time_set_offsets(-36000, 0);	/* UTC-10: 9h-18h Monday is 19h Monday to 4h Tuesday UTC */
	OK("chain=forward", "action=drop", "time=9h-18h,mon");
	CHECK(!why && n == 2 && r[0].day_lo == 2 && r[0].day_hi == 2 && r[0].sec_lo == 0 &&
	      r[0].sec_hi == 14400 && r[1].day_lo == 1 && r[1].sec_lo == 68400 && r[1].sec_hi == 86399,
	      "UTC-10 across midnight: %s %d", why ? why : "ok", n);
	filter_time_set_offsets(10800, 0);	/* UTC+3: all of Sunday starts Saturday 21h UTC */
	OK("chain=forward", "action=drop", "time=0s-1d,sun");
	CHECK(!why && n == 2 && r[0].day_lo == 0 && r[0].sec_lo == 0 && r[0].sec_hi == 75599 &&
	      r[1].day_lo == 6 && r[1].sec_lo == 75600 && r[1].sec_hi == 86399,
	      "UTC+3, a whole day: %s %d", why ? why : "ok", n);
	filter_time_set_offsets(0, 3600);	/* the kernel's day begins at 23h UTC */
	OK("chain=forward", "action=drop", "time=22h-1d,wed");
	CHECK(!why && n == 2 && r[0].day_lo == 3 && r[0].sec_lo == 79200 && r[0].sec_hi == 82799 &&
	      r[1].day_lo == 4 && r[1].sec_lo == 82800 && r[1].sec_hi == 86399,
	      "the kernel's own zone: %s %d", why ? why : "ok", n);
	filter_time_set_offsets(0, 0);
	OK("chain=forward", "action=drop", "time=0s-1d");
	CHECK(!why && n == 1 && r[0].day_lo == 0 && r[0].day_hi == 6 && r[0].sec_hi == 86399,
	      "every day, all day: one rule %d", n);
	free(r);
}

int
main(void)
{
	char dir[] = "/tmp/filter_rule_test.XXXXXX", path[64], cmd[96];
	struct cdb_err e;
	long long id;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/config.db", dir);
	if (cdb_open(path, &db, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	/* an interface for in-interface to name (it is checked when set) */
	cdb_begin(db, &e);
	if (cdb_item_add(db, cdb_menu_find(db->cat, "/interface/ovpn-client"),
			 (struct cdb_kv[]){ { "name", "ether1" }, { "connect-to", "192.0.2.1" } }, 2, 0,
			 &id, &e) || cdb_commit(db, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	iface_list_init(&(struct engine){ .db = db });
	guides();
	interface_lists();
	refusals();
	dynamic_lists();
	times();
	free(lists.names);
	free(lists.dynamic);
	cdb_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd))
		fprintf(stderr, "could not remove %s\n", dir);
	printf("filter_rule_test: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
