/* nat_rule.c: a /ip firewall nat item checked and turned into nftables
 * rules: one per dst-port element, so "80,443,8000-8080" needs no set. The
 * text comes from the admin (dst-port, to-ports are free strings): every
 * number and list is bounded here. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nat_rule.h"

static int
parse_u16(const char *s, const char **end, uint32_t *v)
{
	char *e;
	unsigned long n;

	if (*s < '0' || *s > '9')
		return -1;
	n = strtoul(s, &e, 10);
	if (n > 65535)
		return -1;
	*v = (uint32_t)n;
	*end = e;
	return 0;
}

/* "80" or "1000-2000" */
static int
parse_port_range(const char *s, const char **end, struct nat_range *r)
{
	if (parse_u16(s, end, &r->lo))
		return -1;
	r->hi = r->lo;
	if (**end == '-' && parse_u16(*end + 1, end, &r->hi))
		return -1;
	r->set = 1;
	return r->lo <= r->hi ? 0 : -1;
}

/* "80,443,1000-2000" into at most max ranges; the count or -1. */
static int
parse_ports(const char *s, struct nat_range *out, int max)
{
	int n = 0;

	for (;;) {
		const char *end;

		if (n == max || parse_port_range(s, &end, &out[n++]))
			return -1;
		if (!*end)
			return n;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

/* ip4-range canonical text: "a", "a-b" or "a/len". */
static int
parse_addr_range(const char *s, struct nat_range *r)
{
	char a[32];
	const char *sep = strpbrk(s, "-/");
	size_t n = sep ? (size_t)(sep - s) : strlen(s);

	if (n >= sizeof(a))
		return -1;
	memcpy(a, s, n);
	a[n] = '\0';
	if (cdb_parse_ip4(a, &r->lo))
		return -1;
	r->hi = r->lo;
	if (sep && *sep == '-' && cdb_parse_ip4(sep + 1, &r->hi))
		return -1;
	if (sep && *sep == '/') {
		int len = atoi(sep + 1);
		uint32_t mask = len <= 0 ? 0 : len >= 32 ? 0xffffffffu : 0xffffffffu << (32 - len);

		r->lo &= mask;
		r->hi = r->lo | ~mask;
	}
	r->set = 1;
	return r->lo <= r->hi ? 0 : -1;
}

static int
proto_number(const char *p)
{
	static const struct { const char *name; int num; } t[] = {
		{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { "icmp", IPPROTO_ICMP },
		{ "gre", IPPROTO_GRE }, { "esp", IPPROTO_ESP }, { "ah", IPPROTO_AH },
		{ "ipip", IPPROTO_IPIP }, { "sctp", IPPROTO_SCTP },
	};

	for (size_t i = 0; p && i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(p, t[i].name))
			return t[i].num;
	return 0;
}

static int
action_of(const char *a)
{
	static const char *names[] = { "accept", "return", "passthrough", "masquerade",
				       "src-nat", "dst-nat", "redirect" };

	for (int i = 0; i < 7; i++)
		if (!strcmp(a, names[i]))
			return i;
	return -1;
}

/* Properties that go with the action and the chain; NULL or why not. */
static const char *
check_action(const struct nat_rule *x, int to_ports, int to_addr)
{
	int tcpudp = x->proto == IPPROTO_TCP || x->proto == IPPROTO_UDP;
	int nats = x->action >= NAT_MASQUERADE;

	if ((x->action == NAT_MASQUERADE || x->action == NAT_SRC_NAT) && x->chain != NAT_SRCNAT)
		return "masquerade and src-nat are only for chain srcnat";
	if ((x->action == NAT_DST_NAT || x->action == NAT_REDIRECT) && x->chain != NAT_DSTNAT)
		return "dst-nat and redirect are only for chain dstnat";
	if (to_ports && !nats)
		return "to-ports is only for masquerade, src-nat, dst-nat and redirect";
	if (to_ports && !tcpudp)
		return "to-ports needs protocol tcp or udp";
	if (to_addr && x->action != NAT_SRC_NAT && x->action != NAT_DST_NAT)
		return "to-addresses is only for src-nat and dst-nat";
	if (x->action == NAT_SRC_NAT && !to_addr)
		return "src-nat needs to-addresses";
	if (x->action == NAT_DST_NAT && !to_addr && !to_ports)
		return "dst-nat needs to-addresses or to-ports";
	if (x->oif[0] && x->chain == NAT_DSTNAT)
		return "out-interface can not be matched in dstnat: the packet is not routed yet";
	return NULL;
}

/* The item as a rule (ports apart); NULL, or why it can not be applied. */
static const char *
convert(const struct cdb_menu *m, const struct cdb_item *it, struct nat_rule *x,
	struct nat_range *ports, int *nports)
{
	const char *v;
	const char *end;

	x->chain = !strcmp(cdb_item_text(m, it, "chain"), "dstnat") ? NAT_DSTNAT : NAT_SRCNAT;
	x->action = (enum nat_action)action_of(cdb_item_text(m, it, "action"));
	x->proto = proto_number(cdb_item_text(m, it, "protocol"));
	if ((v = cdb_item_text(m, it, "src-address")) && parse_addr_range(v, &x->src))
		return "src-address is not an address, prefix or range";
	if ((v = cdb_item_text(m, it, "dst-address")) && parse_addr_range(v, &x->dst))
		return "dst-address is not an address, prefix or range";
	if ((v = cdb_item_text(m, it, "in-interface")) && strlen(v) >= sizeof(x->iif))
		return "in-interface: Linux interface names have at most 15 characters";
	if ((v = cdb_item_text(m, it, "out-interface")) && strlen(v) >= sizeof(x->oif))
		return "out-interface: Linux interface names have at most 15 characters";
	if ((v = cdb_item_text(m, it, "in-interface")))
		snprintf(x->iif, sizeof(x->iif), "%s", v);
	if ((v = cdb_item_text(m, it, "out-interface")))
		snprintf(x->oif, sizeof(x->oif), "%s", v);
	*nports = 0;
	if ((v = cdb_item_text(m, it, "dst-port")) && *v) {
		if (x->proto != IPPROTO_TCP && x->proto != IPPROTO_UDP && x->proto != IPPROTO_SCTP)
			return "dst-port needs protocol tcp, udp or sctp";
		if ((*nports = parse_ports(v, ports, NAT_MAX_PORT_ITEMS)) < 0)
			return "dst-port is not a list of ports and port ranges (at most 64)";
	}
	if ((v = cdb_item_text(m, it, "to-addresses")) && parse_addr_range(v, &x->to_addr))
		return "to-addresses is not an address, prefix or range";
	v = cdb_item_text(m, it, "to-ports");
	if (v && *v && (parse_port_range(v, &end, &x->to_port) || *end))
		return "to-ports is not a port or a port range";
	return check_action(x, x->to_port.set, x->to_addr.set);
}

const char *
nat_rule_expand(const struct cdb_menu *m, const struct cdb_item *it, struct nat_rule **r, int *n)
{
	struct nat_range ports[NAT_MAX_PORT_ITEMS];
	struct nat_rule x;
	struct nat_rule *more;
	const char *why;
	int np;

	memset(&x, 0, sizeof(x));
	if ((why = convert(m, it, &x, ports, &np)))
		return why;
	if (!(more = realloc(*r, sizeof(**r) * (size_t)(*n + (np ? np : 1)))))
		return "out of memory";
	*r = more;
	for (int i = 0; i < (np ? np : 1); i++) {
		more[*n] = x;
		if (np)
			more[*n].dport = ports[i];
		(*n)++;
	}
	return NULL;
}

