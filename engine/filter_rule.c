/* filter_rule.c: a /ip firewall filter item checked and turned into
 * nftables rules: one per port element (src-port times dst-port, or port
 * as either), so port lists need no set. The matchers NAT has too are read
 * in rule_match.c; what only filter rules have is read here. Anything the
 * table can not express is refused with the reason. */
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/nf_tables.h>

#include "filter_rule.h"
#include "filter_time.h"
#include "rule_match.h"

#define MAX_EXPANDED 64		/* nftables rules of one item */

int
filter_list_index(struct filter_lists *l, const char *name)
{
	char (*more)[64];
	unsigned char *dyn;

	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->names[i], name))
			return i;
	if (strlen(name) >= sizeof(l->names[0]) ||
	    !(dyn = realloc(l->dynamic, (size_t)(l->n + 1))))
		return -1;
	l->dynamic = dyn;
	dyn[l->n] = 0;
	if (!(more = realloc(l->names, sizeof(*more) * (size_t)(l->n + 1))))
		return -1;
	l->names = more;
	snprintf(l->names[l->n], sizeof(l->names[0]), "%s", name);
	return l->n++;
}

void
filter_list_set_name(int index, char out[NFT_SET_NAME])
{
	snprintf(out, NFT_SET_NAME, "al%d", index);
}

void
filter_list_dset_name(int index, char out[NFT_SET_NAME])
{
	snprintf(out, NFT_SET_NAME, "ad%d", index);
}

static int
action_of(const char *a, const char **why)
{
	static const char *names[] = { "accept", "drop", "reject", "jump", "return", "log",
				       "passthrough" };

	*why = NULL;
	for (int i = 0; i < 7; i++)
		if (!strcmp(a, names[i]))
			return i;
	/* RouterOS's fast path skips the firewall for an established
	 * connection; here the packet is simply accepted */
	if (!strcmp(a, "fasttrack-connection"))
		return FILTER_ACCEPT;
	if (!strcmp(a, "add-src-to-address-list"))
		return FILTER_ADD_SRC;
	if (!strcmp(a, "add-dst-to-address-list"))
		return FILTER_ADD_DST;
	*why = "action tarpit is not supported";
	return -1;
}

static const char *
reject_with(const char *w, struct filter_rule *x)
{
	static const struct { const char *name; int code; } t[] = {
		{ "icmp-network-unreachable", 0 }, { "icmp-host-unreachable", 1 },
		{ "icmp-protocol-unreachable", 2 }, { "icmp-port-unreachable", 3 },
		{ "icmp-network-prohibited", 9 }, { "icmp-host-prohibited", 10 },
		{ "icmp-admin-prohibited", 13 },
	};

	x->reject_type = NFT_REJECT_ICMP_UNREACH;
	if (!strcmp(w, "tcp-reset")) {
		x->reject_type = NFT_REJECT_TCP_RST;
		return x->m.proto == IPPROTO_TCP ? NULL : "reject-with=tcp-reset needs protocol tcp";
	}
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(w, t[i].name))
			x->reject_code = t[i].code;
	return NULL;
}

/* A list name with RouterOS's leading "!" for "not in it". */
static const char *
address_list(const char *v, struct filter_lists *l, char set[NFT_SET_NAME], int *not)
{
	int i;

	if ((*not = v[0] == '!'))
		v++;
	if (!*v)
		return "an address list needs a name";
	if ((i = filter_list_index(l, v)) < 0)
		return "address list name too long";
	filter_list_set_name(i, set);
	return NULL;
}

static uint32_t
mask_of(const char *list, const char *const *names, const uint32_t *bits, int n)
{
	uint32_t mask = 0;

	for (int i = 0; i < n; i++) {
		size_t len = strlen(names[i]);
		const char *p = list;

		while (p && *p) {
			if (!strncmp(p, names[i], len) && (p[len] == ',' || !p[len]))
				mask |= bits[i];
			p = strchr(p, ',');
			p = p ? p + 1 : NULL;
		}
	}
	return mask;
}

/* connection-state and connection-nat-state as conntrack bits */
static void
conntrack(const struct cdb_menu *m, const struct cdb_item *it, struct filter_rule *x)
{
	static const char *const states[] = { "invalid", "established", "related", "new",
					      "untracked" };
	static const uint32_t sbits[] = { 1, 2, 4, 8, 64 };	/* NF_CT_STATE_* */
	static const char *const nat[] = { "srcnat", "dstnat" }, *const notnat[] = { "!srcnat",
										     "!dstnat" };
	static const uint32_t nbits[] = { 1u << 4, 1u << 5 };	/* IPS_SRC_NAT, IPS_DST_NAT */

	x->ct_state = mask_of(cdb_item_text(m, it, "connection-state"), states, sbits, 5);
	x->ct_status = mask_of(cdb_item_text(m, it, "connection-nat-state"), nat, nbits, 2);
	x->ct_status_not = mask_of(cdb_item_text(m, it, "connection-nat-state"), notnat, nbits, 2);
}

/* connection-mark: Rosh has no /ip firewall mangle, so no connection ever
 * carries a mark of a name: no-mark is mark 0, a name never matches (*never
 * set) and !name always does. */
static void
connection_mark(const struct cdb_menu *m, const struct cdb_item *it, struct filter_rule *x,
		int *never)
{
	const char *v = cdb_item_text(m, it, "connection-mark");
	int not;

	if (!v || !*v)
		return;
	not = *v == '!';
	if (!strcmp(v + not, "no-mark"))
		x->ct_mark = not ? -1 : 1;
	else if (!not)
		*never = 1;
}

/* src-address-type and dst-address-type: unicast, local, broadcast,
 * multicast, each may be !negated; packet-size: N or N-M, may be !N-M */
static const char *
address_types(const struct cdb_menu *m, const struct cdb_item *it, struct filter_rule *x)
{
	static const char *const names[] = { "unicast", "local", "broadcast", "multicast" };
	static const int rtn[] = { 1, 2, 3, 5 };	/* RTN_UNICAST ... RTN_MULTICAST */
	const char *v;

	for (int d = 0; d < 2; d++) {
		int *type = d ? &x->dst_type : &x->src_type, *not = d ? &x->dst_type_not : &x->src_type_not;

		if (!(v = cdb_item_text(m, it, d ? "dst-address-type" : "src-address-type")) || !*v)
			continue;
		*not = *v == '!';
		for (int i = 0; i < 4; i++)
			if (!strcmp(v + *not, names[i]))
				*type = rtn[i];
	}
	if (!(v = cdb_item_text(m, it, "packet-size")) || !*v)
		return NULL;
	x->len_not = *v == '!';
	if (rule_parse_port_range(v + x->len_not, &x->len))
		return "packet-size is not a size or a range of sizes (0-65535)";
	return NULL;
}

/* "8" or "8:0", or RouterOS's "8:0-255" for any code */
static const char *
icmp_options(const char *v, struct filter_rule *x)
{
	char *end;
	long t = strtol(v, &end, 10), c = -1;

	if (x->m.proto != IPPROTO_ICMP)
		return "icmp-options needs protocol icmp";
	if (end == v || t < 0 || t > 255)
		return "icmp-options is not type or type:code";
	if (*end == ':') {
		const char *s = end + 1;

		c = strtol(s, &end, 10);
		if (end == s || c < 0 || c > 255)
			return "icmp-options is not type or type:code";
		if (c == 0 && !strcmp(end, "-255"))
			c = -1, end += 4;
	}
	if (*end)
		return "icmp-options is not type or type:code";
	x->icmp_type = (int)t;
	x->icmp_code = (int)c;
	return NULL;
}

static const char *
tcp_flags(const char *v, struct filter_rule *x)
{
	static const char *const names[] = { "fin", "syn", "rst", "psh", "ack", "urg", "ece",
					     "cwr" };

	if (x->m.proto != IPPROTO_TCP)
		return "tcp-flags needs protocol tcp";
	while (*v) {
		int not = *v == '!', found = 0;
		size_t len;

		v += not;
		len = strcspn(v, ",");
		for (int i = 0; i < 8; i++)
			if (strlen(names[i]) == len && !strncmp(v, names[i], len)) {
				x->tcp_mask |= (uint8_t)(1u << i);
				x->tcp_bits |= not ? 0 : (uint8_t)(1u << i);
				found = 1;
			}
		if (!found)
			return "tcp-flags: flags are fin, syn, rst, psh, ack, urg, ece, cwr";
		v += len + (v[len] == ',');
	}
	return NULL;
}

/* count[/time],burst[:packet]; time 1s, 1m, 1h, 1d or a number of seconds */
static const char *
limit(const char *v, struct filter_rule *x)
{
	static const char bad[] = "limit is count[/time],burst[:packet] (bytes are not supported)";
	unsigned long long count, unit = 1, burst;
	char *end;

	count = strtoull(v, &end, 10);
	if (end == v || !count || count > 1000000)
		return bad;
	if (*end == '/') {
		v = end + 1;
		unit = strtoull(v, &end, 10);
		if (end == v)
			unit = 1;
		if (*end == 's' || *end == 'm' || *end == 'h' || *end == 'd')
			unit *= *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 : 86400, end++;
		if (!unit || unit > 86400 * 7)
			return bad;
	}
	if (*end != ',')
		return bad;
	v = end + 1;
	burst = strtoull(v, &end, 10);
	if (end == v || burst > 1000000 || (*end && strcmp(end, ":packet")))
		return bad;
	x->limit_rate = count;
	x->limit_unit = unit;
	x->limit_burst = (uint32_t)burst;
	return NULL;
}

static const char *
chain_names(const struct cdb_menu *m, const struct cdb_item *it, struct filter_rule *x)
{
	const char *v = cdb_item_text(m, it, "chain");

	if (!v || !*v || strlen(v) >= sizeof(x->chain))
		return "chain needs a name of at most 63 characters";
	snprintf(x->chain, sizeof(x->chain), "%s", v);
	v = cdb_item_text(m, it, "jump-target");
	if (x->action == FILTER_JUMP && (!v || !*v))
		return "action=jump needs jump-target";
	if (x->action != FILTER_JUMP && v && *v)
		return "jump-target is only for action=jump";
	if (v && (!strcmp(v, "input") || !strcmp(v, "forward") || !strcmp(v, "output")))
		return "jump-target can not be a built-in chain";
	if (v)
		snprintf(x->jump, sizeof(x->jump), "%s", v);
	return NULL;
}

/* address-list and address-list-timeout of the add-*-to-address-list
 * actions: the list gets a dynamic set the rule adds to. */
static const char *
add_target(const struct cdb_menu *m, const struct cdb_item *it, struct filter_rule *x,
	   struct filter_lists *lists)
{
	const char *v = cdb_item_text(m, it, "address-list");
	const char *t = cdb_item_text(m, it, "address-list-timeout");
	long long secs = 0;
	int i;

	if (x->action != FILTER_ADD_SRC && x->action != FILTER_ADD_DST)
		return v && *v ? "address-list is only for actions add-src-to-address-list and "
				 "add-dst-to-address-list" : NULL;
	if (!v || !*v)
		return "the action needs address-list, the list to add to";
	if ((i = filter_list_index(lists, v)) < 0)
		return "address list name too long";
	if (t && strcmp(t, "none-dynamic") && (cdb_parse_time(t, &secs) || secs < 0))
		return "address-list-timeout is a time or none-dynamic";
	if (secs > 365LL * 86400)
		return "address-list-timeout is at most 365d";
	lists->dynamic[i] = 1;
	filter_list_dset_name(i, x->add_set);
	x->add_timeout_ms = (uint64_t)secs * 1000;
	return NULL;
}

/* What only filter rules match, and the action's own properties. */
static const char *
filter_only(const struct cdb_menu *m, const struct cdb_item *it, struct filter_rule *x,
	    struct filter_lists *lists)
{
	const char *v, *why;

	int in = x->m.iif[0] || cdb_item_text(m, it, "in-interface-list");
	int out = x->m.oif[0] || cdb_item_text(m, it, "out-interface-list");

	if (in && !strcmp(x->chain, "output"))
		return "in-interface can not be matched in chain output";
	if (out && !strcmp(x->chain, "input"))
		return "out-interface can not be matched in chain input";
	if ((v = cdb_item_text(m, it, "src-address-list")) &&
	    (why = address_list(v, lists, x->m.src_set, &x->m.src_set_not)))
		return why;
	if ((v = cdb_item_text(m, it, "dst-address-list")) &&
	    (why = address_list(v, lists, x->m.dst_set, &x->m.dst_set_not)))
		return why;
	conntrack(m, it, x);
	if ((why = address_types(m, it, x)))
		return why;
	if ((v = cdb_item_text(m, it, "icmp-options")) && *v && (why = icmp_options(v, x)))
		return why;
	if ((v = cdb_item_text(m, it, "tcp-flags")) && *v && (why = tcp_flags(v, x)))
		return why;
	if ((v = cdb_item_text(m, it, "limit")) && *v && (why = limit(v, x)))
		return why;
	if ((why = add_target(m, it, x, lists)))
		return why;
	x->log = !strcmp(cdb_item_text(m, it, "log"), "yes");
	if ((v = cdb_item_text(m, it, "log-prefix")))
		snprintf(x->log_prefix, sizeof(x->log_prefix), "%s", v);
	if (x->action == FILTER_REJECT)
		return reject_with(cdb_item_text(m, it, "reject-with"), x);
	return NULL;
}

/* src-port and port, beside the dst-port rule_match_read read */
static const char *
ports(const struct cdb_menu *m, const struct cdb_item *it, const struct filter_rule *x,
      struct nat_range *sp, int *ns, struct nat_range *any, int *nany, int nd)
{
	const char *s = cdb_item_text(m, it, "src-port"), *p = cdb_item_text(m, it, "port");
	int l4 = x->m.proto == IPPROTO_TCP || x->m.proto == IPPROTO_UDP ||
		 x->m.proto == IPPROTO_SCTP;

	*ns = *nany = 0;
	if ((s && *s) || (p && *p)) {
		if (!l4)
			return "src-port and port need protocol tcp, udp or sctp";
		if (p && *p && ((s && *s) || nd))
			return "port can not go with src-port or dst-port";
	}
	if (s && *s && (*ns = rule_parse_ports(s, sp, RULE_MAX_PORT_ITEMS)) < 0)
		return "src-port is not a list of ports and port ranges (at most 64)";
	if (p && *p && (*nany = rule_parse_ports(p, any, RULE_MAX_PORT_ITEMS)) < 0)
		return "port is not a list of ports and port ranges (at most 64)";
	if ((*ns ? *ns : 1) * (nd ? nd : 1) > MAX_EXPANDED || *nany * 2 > MAX_EXPANDED)
		return "too many port combinations (at most 64 per rule)";
	return NULL;
}

static int
append(struct filter_rule **r, int *n, const struct filter_rule *x)
{
	struct filter_rule *more = realloc(*r, sizeof(**r) * (size_t)(*n + 1));

	if (!more)
		return -1;
	*r = more;
	more[(*n)++] = *x;
	return 0;
}

/* time=: the rules (*r)[start..*n) copied for each piece of the week the
 * kernel matches (filter_time.c). */
static const char *
time_expand(const char *v, struct filter_rule **r, int start, int *n)
{
	struct filter_time_piece p[FILTER_TIME_PIECES];
	struct filter_time t;
	struct filter_rule *all;
	int base = *n - start, np;
	const char *why;

	if (!v || !*v)
		return NULL;
	if ((why = filter_time_parse(v, &t))) {
		*n = start;
		return why;
	}
	np = filter_time_pieces(&t, p, FILTER_TIME_PIECES);
	if (np * base > RULE_MAX_EXPANDED || !(all = malloc(sizeof(*all) * (size_t)(np * base + 1)))) {
		*n = start;
		return "too many combinations of times, interfaces and ports (at most 1024 rules per item)";
	}
	for (int k = 0; k < np; k++)
		for (int i = 0; i < base; i++) {
			struct filter_rule *y = &all[k * base + i];

			*y = (*r)[start + i];
			y->time_set = 1;
			y->day_lo = (uint8_t)p[k].day_lo;
			y->day_hi = (uint8_t)p[k].day_hi;
			y->sec_lo = (uint32_t)p[k].sec_lo;
			y->sec_hi = (uint32_t)p[k].sec_hi;
		}
	*n = start;
	for (int i = 0; i < np * base; i++)
		if (append(r, n, &all[i])) {
			*n = start;
			free(all);
			return "out of memory";
		}
	free(all);
	return NULL;
}

/* The list index of a set name al<N>, or -1. */
static int
list_of(const char *set)
{
	return set[0] == 'a' && set[1] == 'l' ? atoi(set + 2) : -1;
}

/* One side (src or dst) of a rule: does it need a second copy? */
static int
side(const struct filter_lists *l, const char *set, int not, char dset[NFT_SET_NAME])
{
	int i = set[0] ? list_of(set) : -1;

	if (i < 0 || i >= l->n || !l->dynamic[i])
		return 0;
	filter_list_dset_name(i, dset);
	return !not;
}

const char *
filter_rules_dynamic(const struct filter_lists *lists, struct filter_rule **r, int *n)
{
	struct filter_rule *out = NULL;
	int m = 0;

	for (int i = 0; i < *n; i++) {
		struct filter_rule x = (*r)[i];
		int s = side(lists, x.m.src_set, x.m.src_set_not, x.m.src_dset);
		int d = side(lists, x.m.dst_set, x.m.dst_set_not, x.m.dst_dset);

		for (int k = 0; k < 4; k++) {
			struct filter_rule y = x;

			if (((k & 1) && !s) || ((k & 2) && !d))
				continue;
			y.m.src_in_dset = k & 1;
			y.m.dst_in_dset = (k & 2) != 0;
			if (append(&out, &m, &y)) {
				free(out);
				return "out of memory";
			}
		}
	}
	free(*r);
	*r = out;
	*n = m;
	return NULL;
}

const char *
filter_rule_expand(const struct cdb_menu *m, const struct cdb_item *it,
		   struct filter_lists *lists, struct filter_rule **r, int *n)
{
	struct nat_range dp[RULE_MAX_PORT_ITEMS], sp[RULE_MAX_PORT_ITEMS], any[RULE_MAX_PORT_ITEMS];
	struct rule_iflist inl, outl;
	struct filter_rule x;
	const char *why;
	int nd, ns, nany, start = *n, never = 0;

	memset(&x, 0, sizeof(x));
	x.icmp_type = x.icmp_code = -1;
	x.item = it->id;
	if ((int)(x.action = (enum filter_action)action_of(cdb_item_text(m, it, "action"), &why)) < 0)
		return why;
	if ((why = chain_names(m, it, &x)) || (why = rule_match_read(m, it, &x.m, dp, &nd, &inl, &outl)) ||
	    (why = filter_only(m, it, &x, lists)) ||
	    (why = ports(m, it, &x, sp, &ns, any, &nany, nd)))
		return why;
	connection_mark(m, it, &x, &never);
	if (never)
		inl.nothing = 1;	/* the rule is left out: nothing can match */
	for (int i = 0; i < nany * 2; i++) {
		struct filter_rule y = x;

		*(i & 1 ? &y.m.dport : &y.m.sport) = any[i / 2];
		if (append(r, n, &y))
			goto oom;
	}
	for (int s = 0; !nany && s < (ns ? ns : 1); s++)
		for (int d = 0; d < (nd ? nd : 1); d++) {
			struct filter_rule y = x;

			if (ns)
				y.m.sport = sp[s];
			if (nd)
				y.m.dport = dp[d];
			if (append(r, n, &y))
				goto oom;
		}
	if ((why = rule_iflist_expand((void **)r, start, n, sizeof(**r),
				      offsetof(struct filter_rule, m), &inl, &outl)))
		return why;
	return time_expand(cdb_item_text(m, it, "time"), r, start, n);
oom:
	*n = start;
	return "out of memory";
}
