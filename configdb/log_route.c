/* log_route.c: /system logging, which messages go where. A rule takes the
 * messages that have all its topics and none of its !topics, and sends them
 * to its action: a memory action keeps them as /log lines of its buffer
 * (log.c trims each to its memory-lines), a remote one sends them to a
 * syslog server (syslog.c). The rules are read again only when the
 * database changed, since the engine logs often. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db_int.h"

/* Whether topic (len n) is one of the comma separated topics. */
static int
has_topic(const char *topics, const char *topic, size_t n)
{
	for (const char *p = topics; *p;) {
		size_t k = strcspn(p, ",");

		if (k == n && !strncmp(p, topic, n))
			return 1;
		p += k + (p[k] == ',');
	}
	return 0;
}

/* RouterOS's rule: every topic it names, none it names with '!'. */
int
cdb_log_match(const char *rule, const char *topics)
{
	for (const char *p = rule; *p;) {
		size_t k = strcspn(p, ",");
		int not = *p == '!';

		if (k > (size_t)not && has_topic(topics, p + not, k - not) == not)
			return 0;
		p += k + (p[k] == ',');
	}
	return 1;
}

void
cdb_log_conf_free(struct cdb_log_conf *lc)
{
	if (!lc)
		return;
	for (int i = 0; i < lc->nact; i++)
		if (lc->act[i].fd >= 0)
			close(lc->act[i].fd);
	for (int i = 0; i < lc->nrule; i++) {
		free(lc->rule[i].topics);
		free(lc->rule[i].prefix);
	}
	free(lc->act);
	free(lc->rule);
	free(lc);
}

static const char *
text(const struct cdb_menu *m, const struct cdb_item *it, const char *name)
{
	const char *v = cdb_item_text(m, it, name);

	return v ? v : "";
}

/* One /system logging action as the router uses it. */
static void
load_action(const struct cdb_menu *m, const struct cdb_item *it, struct cdb_log_action *a)
{
	const struct cdb_prop *fac = cdb_prop_find(m, "syslog-facility");

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	snprintf(a->name, sizeof(a->name), "%s", text(m, it, "name"));
	a->remote = !strcmp(text(m, it, "target"), "remote");
	a->lines = atoi(text(m, it, "memory-lines"));
	snprintf(a->host, sizeof(a->host), "%s", text(m, it, "remote"));
	snprintf(a->src, sizeof(a->src), "%s", text(m, it, "src-address"));
	a->port = atoi(text(m, it, "remote-port"));
	a->bsd = !strcmp(text(m, it, "bsd-syslog"), "yes");
	a->facility = 3;	/* daemon */
	for (int i = 0; fac && i < fac->nvalues; i++)
		if (!strcmp(fac->values[i], text(m, it, "syslog-facility")))
			a->facility = i;	/* listed in RFC 5424's order */
}

static int
action_index(const struct cdb_log_conf *lc, const char *name)
{
	for (int i = 0; i < lc->nact; i++)
		if (!strcmp(lc->act[i].name, name))
			return i;
	return -1;
}

static void
load_rules(struct cdb *c, struct cdb_log_conf *lc)
{
	const struct cdb_menu *m = cdb_menu_find(c->cat, "/system/logging");
	struct cdb_item_list l = { 0 };

	if (!m || cdb_item_list(c, m, &l, NULL))
		return;
	lc->rule = calloc((size_t)l.n + 1, sizeof(*lc->rule));
	for (int i = 0; i < l.n; i++) {
		struct cdb_log_rule *r = &lc->rule[lc->nrule];
		const char *pre = cdb_item_text(m, &l.items[i], "prefix");

		if (!strcmp(text(m, &l.items[i], "disabled"), "yes"))
			continue;
		if ((r->action = action_index(lc, text(m, &l.items[i], "action"))) < 0)
			continue;
		r->topics = strdup(text(m, &l.items[i], "topics"));
		r->prefix = pre && *pre ? strdup(pre) : NULL;
		lc->nrule++;
	}
	cdb_item_list_free(&l);
}

static struct cdb_log_conf *
load(struct cdb *c)
{
	const struct cdb_menu *am = cdb_menu_find(c->cat, "/system/logging/action");
	const struct cdb_menu *id = cdb_menu_find(c->cat, "/system/identity");
	struct cdb_log_conf *lc = calloc(1, sizeof(*lc));
	struct cdb_item_list l = { 0 };
	struct cdb_item it = { 0 };

	snprintf(lc->host, sizeof(lc->host), "rosh");
	if (id && !cdb_item_get(c, id, 1, &it, NULL)) {
		snprintf(lc->host, sizeof(lc->host), "%s", text(id, &it, "name"));
		cdb_item_clear(&it);
	}
	if (am && !cdb_item_list(c, am, &l, NULL)) {
		lc->act = calloc((size_t)l.n + 1, sizeof(*lc->act));
		for (int i = 0; i < l.n; i++)
			load_action(am, &l.items[i], &lc->act[lc->nact++]);
		cdb_item_list_free(&l);
	}
	load_rules(c, lc);
	return lc;
}

/* The rules as they are now: read again when this connection or another
 * changed the database since they were read. */
struct cdb_log_conf *
cdb_log_conf(struct cdb *c)
{
	struct cdb_log_conf *lc = c->conn->logconf;
	long long dv = cdb_data_version(c);

	if (lc && lc->data_version == dv && lc->seq == c->last_seq && lc->txn == c->txn)
		return lc;
	c->internal++;		/* routing a read-only user's :log reads settings */
	cdb_log_conf_free(lc);
	lc = c->conn->logconf = load(c);
	c->internal--;
	lc->data_version = dv;
	lc->seq = c->last_seq;
	lc->txn = c->txn;
	return lc;
}

/* Mark the actions a message goes to, each once, with the prefix of the
 * first rule that sends it there. How many. */
int
cdb_log_route(struct cdb_log_conf *lc, const char *topics)
{
	int n = 0;

	for (int i = 0; i < lc->nact; i++) {
		lc->act[i].marked = 0;
		lc->act[i].prefix = NULL;
	}
	for (int i = 0; i < lc->nrule; i++) {
		struct cdb_log_action *a = &lc->act[lc->rule[i].action];

		if (a->marked || !cdb_log_match(lc->rule[i].topics, topics))
			continue;
		a->marked = 1;
		a->prefix = lc->rule[i].prefix;
		n++;
	}
	return n;
}
