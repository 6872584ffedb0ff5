/* rule_match.c: matchers read from a firewall item. The text comes from the
 * admin (ports are free strings): every number and list is bounded here. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_match.h"

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
port_range(const char *s, const char **end, struct nat_range *r)
{
	if (parse_u16(s, end, &r->lo))
		return -1;
	r->hi = r->lo;
	if (**end == '-' && parse_u16(*end + 1, end, &r->hi))
		return -1;
	r->set = 1;
	return r->lo <= r->hi ? 0 : -1;
}

int
rule_parse_port_range(const char *s, struct nat_range *r)
{
	const char *end;

	return port_range(s, &end, r) || *end ? -1 : 0;
}

int
rule_parse_ports(const char *s, struct nat_range *out, int max)
{
	int n = 0;

	for (;;) {
		const char *end;

		if (n == max || port_range(s, &end, &out[n++]))
			return -1;
		if (!*end)
			return n;
		if (*end != ',')
			return -1;
		s = end + 1;
	}
}

int
rule_parse_addr_range(const char *s, struct nat_range *r)
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

int
rule_proto_number(const char *p)
{
	static const struct { const char *name; int num; } t[] = {
		{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { "icmp", IPPROTO_ICMP },
		{ "gre", IPPROTO_GRE }, { "esp", IPPROTO_ESP }, { "ah", IPPROTO_AH },
		{ "ipip", IPPROTO_IPIP }, { "sctp", IPPROTO_SCTP }, { "igmp", IPPROTO_IGMP },
		{ "ospf", 89 }, { "vrrp", 112 }, { "pim", IPPROTO_PIM }, { "l2tp", 115 },
		{ "ipv6-encap", IPPROTO_IPV6 }, { "udp-lite", IPPROTO_UDPLITE },
		{ "etherip", 97 }, { "encap", 98 }, { "rsvp", IPPROTO_RSVP },
	};

	for (size_t i = 0; p && i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(p, t[i].name))
			return t[i].num;
	return 0;
}

const char *(*rule_iface_map)(const char *name);

static const char *
ifname(const char *v, char out[16], const char *why)
{
	if (rule_iface_map)
		v = rule_iface_map(v);
	if (strlen(v) >= 16)
		return why;
	snprintf(out, 16, "%s", v);
	return NULL;
}

int (*rule_iflist_members)(const char *list, char (*out)[16], int max, int *inverse,
			   const char **why);

/* One interface list property: names it must be none of go into not[],
 * names it must be one of into l (the rule is copied for each). */
static const char *
iflist_read(const char *v, const char *fixed, char (*not)[16], struct rule_iflist *l)
{
	char names[RULE_MAX_IFLIST][16];
	const char *why = "interface lists are not known here";
	int neg = *v == '!', inverse = 0, n, all = 0;

	if (fixed[0])
		return "an interface and an interface list can not both be matched in one rule";
	if (!rule_iflist_members ||
	    (n = rule_iflist_members(v + neg, names, RULE_MAX_IFLIST, &inverse, &why)) < 0)
		return why;
	for (int i = 0; i < n; i++)
		all |= !strcmp(names[i], "*");
	if (neg ^ inverse) {
		if (all)
			l->nothing = 1;
		else if (n > NFT_IFNOT_MAX)
			return "a list that is left out may have at most 16 interfaces";
		for (int i = 0; !all && i < n; i++)
			memcpy(not[i], names[i], 16);
	} else if (!all) {
		l->nothing = !n;
		l->n = n;
		memcpy(l->name, names, sizeof(names[0]) * (size_t)n);
	}
	return NULL;
}

static const char *
read_ifaces(const struct cdb_menu *m, const struct cdb_item *it, struct nft_match *x,
	    struct rule_iflist *in, struct rule_iflist *out)
{
	const char *v, *why;

	memset(in, 0, sizeof(*in));
	memset(out, 0, sizeof(*out));
	if ((v = cdb_item_text(m, it, "in-interface")) &&
	    (why = ifname(v, x->iif, "in-interface: Linux interface names have at most 15 characters")))
		return why;
	if ((v = cdb_item_text(m, it, "out-interface")) &&
	    (why = ifname(v, x->oif, "out-interface: Linux interface names have at most 15 characters")))
		return why;
	if ((v = cdb_item_text(m, it, "in-interface-list")) && *v &&
	    (why = iflist_read(v, x->iif, x->iif_not, in)))
		return why;
	if ((v = cdb_item_text(m, it, "out-interface-list")) && *v &&
	    (why = iflist_read(v, x->oif, x->oif_not, out)))
		return why;
	return NULL;
}

const char *
rule_match_read(const struct cdb_menu *m, const struct cdb_item *it, struct nft_match *x,
		struct nat_range *dports, int *ndports, struct rule_iflist *in,
		struct rule_iflist *out)
{
	const char *v, *why;

	x->proto = rule_proto_number(cdb_item_text(m, it, "protocol"));
	if ((v = cdb_item_text(m, it, "src-address")) && rule_parse_addr_range(v, &x->src))
		return "src-address is not an address, prefix or range";
	if ((v = cdb_item_text(m, it, "dst-address")) && rule_parse_addr_range(v, &x->dst))
		return "dst-address is not an address, prefix or range";
	if ((why = read_ifaces(m, it, x, in, out)))
		return why;
	*ndports = 0;
	if ((v = cdb_item_text(m, it, "dst-port")) && *v) {
		if (x->proto != IPPROTO_TCP && x->proto != IPPROTO_UDP && x->proto != IPPROTO_SCTP)
			return "dst-port needs protocol tcp, udp or sctp";
		if ((*ndports = rule_parse_ports(v, dports, RULE_MAX_PORT_ITEMS)) < 0)
			return "dst-port is not a list of ports and port ranges (at most 64)";
	}
	return NULL;
}

const char *
rule_iflist_expand(void **r, int start, int *n, size_t size, size_t moff,
		   const struct rule_iflist *in, const struct rule_iflist *out)
{
	int ni = in->n ? in->n : 1, no = out->n ? out->n : 1, base = *n - start;
	char *all, *src;

	if (in->nothing || out->nothing) {
		*n = start;
		return NULL;
	}
	if (!in->n && !out->n)
		return NULL;
	if (ni * no * base > RULE_MAX_EXPANDED) {
		*n = start;
		return "too many combinations of interfaces and ports (at most 1024 rules per item)";
	}
	if (!(src = malloc(size * (size_t)base)))
		goto oom;
	memcpy(src, (char *)*r + size * (size_t)start, size * (size_t)base);
	if (!(all = realloc(*r, size * (size_t)(start + base * ni * no)))) {
		free(src);
		goto oom;
	}
	*r = all;
	*n = start;
	for (int i = 0; i < ni; i++)
		for (int o = 0; o < no; o++)
			for (int k = 0; k < base; k++) {
				char *dst = all + size * (size_t)(*n)++;
				struct nft_match *mt = (struct nft_match *)(dst + moff);

				memcpy(dst, src + size * (size_t)k, size);
				if (in->n)
					memcpy(mt->iif, in->name[i], 16);
				if (out->n)
					memcpy(mt->oif, out->name[o], 16);
			}
	free(src);
	return NULL;
oom:
	*n = start;
	return "out of memory";
}
