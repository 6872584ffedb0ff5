/* iface_list.c: /interface list and its members, resolved into kernel
 * interface names when firewall rules are built (rule_iflist_members). The
 * built-in lists need no items: all, none, dynamic (the engine's
 * <ovpn-...> session interfaces) and static (every other one). */
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "ip.h"
#include "rule_match.h"

#define LISTS "/interface/list"
#define MEMBERS "/interface/list/member"
#define MAX_DEPTH 4	/* include and exclude may name lists that name lists */

static struct cdb *db;

struct names {
	char (*v)[16];
	int n, max;
	const char **why;
};

static int
add_name(struct names *s, const char *kernel)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], kernel))
			return 0;
	if (strlen(kernel) >= 16) {
		*s->why = "a member's name is longer than Linux allows (15 characters)";
		return -1;
	}
	if (s->n == s->max) {
		*s->why = "an interface list may have at most 16 members";
		return -1;
	}
	snprintf(s->v[s->n++], 16, "%s", kernel);
	return 0;
}

static void
drop_name(struct names *s, const char *kernel)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], kernel)) {
			memmove(s->v[i], s->v[i + 1], 16 * (size_t)(s->n - i - 1));
			s->n--;
			return;
		}
}

static int builtin(const char *name, struct names *s, int *inverse);
static int collect(const char *list, struct names *s, int depth);

/* The lists a comma separated include or exclude value names, each
 * added to s, or removed from it. */
static int
each_list(const char *v, struct names *s, int depth, int remove)
{
	char one[64];

	while (v && *v && strcmp(v, "none")) {
		size_t k = strcspn(v, ",");
		struct names sub = { NULL, 0, s->max, s->why };
		char buf[RULE_MAX_IFLIST][16];

		snprintf(one, sizeof(one), "%.*s", (int)k, v);
		sub.v = buf;
		if (collect(one, &sub, depth + 1))
			return -1;
		for (int i = 0; i < sub.n; i++)
			if (remove)
				drop_name(s, sub.v[i]);
			else if (add_name(s, sub.v[i]))
				return -1;
		v += k + (v[k] == ',');
	}
	return 0;
}

static int
members(const char *list, struct names *s)
{
	const struct cdb_menu *m = cdb_menu_find(db->cat, MEMBERS);
	struct cdb_item_list items;
	struct cdb_err err;
	int rc = 0;

	if (!m || cdb_item_list(db, m, &items, &err)) {
		*s->why = "can not read /interface list member";
		return -1;
	}
	for (int i = 0; !rc && i < items.n; i++) {
		const struct cdb_item *it = &items.items[i];

		if (!strcmp(cdb_item_text(m, it, "list"), list) &&
		    strcmp(cdb_item_text(m, it, "disabled"), "yes"))
			rc = add_name(s, ether_kernel_name(cdb_item_text(m, it, "interface")));
	}
	cdb_item_list_free(&items);
	return rc;
}

static int
collect(const char *list, struct names *s, int depth)
{
	const struct cdb_menu *m = cdb_menu_find(db->cat, LISTS);
	struct cdb_item it;
	struct cdb_err err;
	long long id;
	int inverse = 0, rc;

	if (!strcmp(list, "dynamic") || !strcmp(list, "static")) {
		*s->why = "include and exclude can not name the built-in lists dynamic and static";
		return -1;
	}
	if ((rc = builtin(list, s, &inverse)))
		return rc < 0 ? -1 : 0;
	if (depth > MAX_DEPTH) {
		*s->why = "interface lists include each other too deep (at most 4 levels)";
		return -1;
	}
	if (!m || (id = cdb_item_by_key(db, m, list)) <= 0 || cdb_item_get(db, m, id, &it, &err)) {
		*s->why = "no such interface list";
		return -1;
	}
	rc = members(list, s) || each_list(cdb_item_text(m, &it, "include"), s, depth, 0) ||
	     each_list(cdb_item_text(m, &it, "exclude"), s, depth, 1);
	cdb_item_clear(&it);
	return rc ? -1 : 0;
}

/* 1 with the names of a built-in list, 0 for any other list, -1 on error */
static int
builtin(const char *name, struct names *s, int *inverse)
{
	if (!strcmp(name, "all"))
		return add_name(s, "*") ? -1 : 1;
	if (!strcmp(name, "none"))
		return 1;
	if (!strcmp(name, "dynamic") || !strcmp(name, "static")) {
		*inverse = name[0] == 's';
		return add_name(s, "<*") ? -1 : 1;
	}
	return 0;
}

static int
resolve(const char *list, char (*out)[16], int max, int *inverse, const char **why)
{
	struct names s = { out, 0, max, why };
	int rc;

	*inverse = 0;
	if ((rc = builtin(list, &s, inverse)))
		return rc < 0 ? -1 : s.n;
	return collect(list, &s, 0) ? -1 : s.n;
}

void
iface_list_init(struct engine *e)
{
	db = e->db;
	rule_iflist_members = resolve;
}
