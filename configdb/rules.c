/* rules.c: the rules between the properties of one item, and between items,
 * that the schema declares (nonempty, needs=, unique-with=), checked on add
 * and set so that what commits is what the engine can run: a cipher set
 * that is not empty, ports only with a protocol that has them, IPv6 in a
 * tunnel only with an address to build it from, one listener per port. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_int.h"

/* The value an item has for prop i: its own, else the default. */
static const char *
value_of(const struct cdb_menu *m, char **vals, int i)
{
	return vals[i] ? vals[i] : m->props[i].def ? m->props[i].def : "";
}

/* Whether the value is something other than nothing or the default. */
static int
is_set(const struct cdb_menu *m, char **vals, int i)
{
	const char *v = value_of(m, vals, i);

	return *v && (!m->props[i].def || strcmp(v, m->props[i].def));
}

/* Whether word is one of the comma separated list. */
static int
in_list(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *s = list; s && *s; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL)
		if (!strncmp(s, word, n) && (s[n] == ',' || !s[n]))
			return 1;
	return 0;
}

/* "tcp,udp,sctp" as "tcp, udp or sctp" */
static void
either(const char *list, char *out, size_t len)
{
	const char *last = strrchr(list, ','), *s = list;
	size_t off = 0;

	out[0] = '\0';
	while (last && s < last && off < len) {
		const char *comma = strchr(s, ',');

		off += snprintf(out + off, len - off, "%s%.*s", s == list ? "" : ", ",
				(int)(comma - s), s);
		s = comma + 1;
	}
	if (off < len)
		snprintf(out + off, len - off, "%s%s", last ? " or " : "", s);
}

/* needs="P" (P set to something) or needs="P=a,b" (P one of them). */
static int
check_needs(const struct cdb_menu *m, char **vals, int i, struct cdb_err *e)
{
	const struct cdb_prop *p = &m->props[i];
	char other[64], alts[160];
	const char *eq = strchr(p->needs, '=');
	int k;

	snprintf(other, sizeof(other), "%.*s", eq ? (int)(eq - p->needs) : 63, p->needs);
	if ((k = cdb_prop_index(m, other)) < 0 || !is_set(m, vals, i))
		return 0;
	if (!eq && !is_set(m, vals, k))
		return cdb_errf(e, "failure: %s=%s needs %s to be set", p->name,
				value_of(m, vals, i), other);
	if (eq && !in_list(eq + 1, value_of(m, vals, k))) {
		either(eq + 1, alts, sizeof(alts));
		return cdb_errf(e, "failure: %s needs %s %s", p->name, other, alts);
	}
	return 0;
}

/* Whether item it has the same values as vals for prop i and each of list. */
static int
same(const struct cdb_menu *m, const struct cdb_item *it, char **vals, int i, const char *list)
{
	char **theirs = it->v;

	if (strcmp(value_of(m, theirs, i), value_of(m, vals, i)))
		return 0;
	for (int k = 0; k < m->nprops; k++)
		if (in_list(list, m->props[k].name) &&
		    strcmp(value_of(m, theirs, k), value_of(m, vals, k)))
			return 0;
	return 1;
}

/* "port=1194 protocol=tcp": prop i and those it is unique with. */
static const char *
pairs(const struct cdb_menu *m, char **vals, int i, char out[256])
{
	size_t off = snprintf(out, 256, "%s=%s", m->props[i].name, value_of(m, vals, i));

	for (int k = 0; k < m->nprops && off < 256; k++)
		if (in_list(m->props[i].unique_with, m->props[k].name))
			off += snprintf(out + off, 256 - off, " %s=%s", m->props[k].name,
					value_of(m, vals, k));
	return out;
}

/* unique-with="P,Q": no other enabled item has the same value and the same
 * P and Q (two servers can not listen on one port and protocol). */
static int
check_unique_with(struct cdb *c, const struct cdb_menu *m, char **vals, int i, long long self,
		  struct cdb_err *e)
{
	int dis = cdb_prop_index(m, "disabled"), key = m->key ? cdb_prop_index(m, m->key) : -1;
	struct cdb_item_list l;
	char what[256];
	int rc = 0;

	if (dis >= 0 && !strcmp(value_of(m, vals, dis), "yes"))
		return 0;
	if (cdb_item_list(c, m, &l, e))
		return -1;
	for (int n = 0; n < l.n && !rc; n++) {
		const struct cdb_item *it = &l.items[n];

		if (it->id == self || (dis >= 0 && !strcmp(value_of(m, it->v, dis), "yes")) ||
		    !same(m, it, vals, i, m->props[i].unique_with))
			continue;
		rc = cdb_errf(e, "failure: %s already has %s", key >= 0 ?
			      value_of(m, it->v, key) : "another item", pairs(m, vals, i, what));
	}
	cdb_item_list_free(&l);
	return rc;
}

int
cdb_check_rules(struct cdb *c, const struct cdb_menu *m, char **vals, long long self,
		struct cdb_err *e)
{
	for (int i = 0; i < m->nprops; i++) {
		const struct cdb_prop *p = &m->props[i];

		if ((p->flags & P_NONEMPTY) && !*value_of(m, vals, i))
			return cdb_errf(e, "failure: %s can not be empty", p->name);
		if (p->needs && check_needs(m, vals, i, e))
			return -1;
		if (p->unique_with && check_unique_with(c, m, vals, i, self, e))
			return -1;
	}
	return 0;
}
