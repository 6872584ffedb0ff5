/* items.c: turn what the admin typed into item ids: print numbers (from the
 * session's last print of that menu), names, *HEX ids, lists and ranges of
 * them, and the ids a [find] returned. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "items.h"

static struct numbering *
numbers_of(struct sh *sh, const struct cdb_menu *m)
{
	for (int i = 0; i < sh->nnums; i++)
		if (sh->nums[i].menu == m)
			return &sh->nums[i];
	return NULL;
}

void
sh_set_numbers(struct sh *sh, const struct cdb_menu *m, const long long *ids, int n)
{
	struct numbering *nb = numbers_of(sh, m);

	if (!nb) {
		sh->nums = realloc(sh->nums, sizeof(*sh->nums) * (sh->nnums + 1));
		nb = &sh->nums[sh->nnums++];
		nb->menu = m;
		nb->ids = NULL;
	}
	free(nb->ids);
	nb->ids = malloc(sizeof(*ids) * (n ? n : 1));
	memcpy(nb->ids, ids, sizeof(*ids) * n);
	nb->n = n;
}

void
sh_free_numbers(struct sh *sh)
{
	for (int i = 0; i < sh->nnums; i++)
		free(sh->nums[i].ids);
	free(sh->nums);
	sh->nums = NULL;
	sh->nnums = 0;
}

/* Without an earlier print, numbers follow the order print would show. */
static int
number_to_id(struct sh *sh, const struct cdb_menu *m, long long k, long long *id)
{
	struct numbering *nb = numbers_of(sh, m);
	struct cdb_item_list l;
	struct cdb_err e;
	int ok = 0;

	if (nb) {
		if (k < 0 || k >= nb->n)
			return -1;
		*id = nb->ids[k];
		return 0;
	}
	if (sh_list(sh, m, &l, &e))
		return -1;
	if (k >= 0 && k < l.n) {
		*id = l.items[k].id;
		ok = 1;
	}
	cdb_item_list_free(&l);
	return ok ? 0 : -1;
}

/* The id of the item whose key is name (0 when none). */
static long long
by_key(struct sh *sh, const struct cdb_menu *m, const char *name, long long id)
{
	struct cdb_item_list l;
	struct cdb_err e;
	int k = m->key ? cdb_prop_index(m, m->key) : -1;
	long long found = 0;

	if (m->kind != M_FILES && !id)
		return cdb_item_by_key(sh->db, m, name);
	if (sh_list(sh, m, &l, &e))
		return 0;
	for (int i = 0; i < l.n && !found; i++)
		if (id ? l.items[i].id == id : k >= 0 && l.items[i].v[k] &&
						 !strcmp(l.items[i].v[k], name))
			found = l.items[i].id;
	cdb_item_list_free(&l);
	return found;
}

static int
all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

static void
push(long long **ids, int *n, long long id)
{
	for (int i = 0; i < *n; i++)
		if ((*ids)[i] == id)
			return;
	*ids = realloc(*ids, sizeof(**ids) * (*n + 1));
	(*ids)[(*n)++] = id;
}

/* RouterOS's own ids of built-in items, which its exports use
 * ("/ppp profile set *FFFFFFFE ..."): the name of the item, or NULL. */
static const char *
routeros_builtin(const struct cdb_menu *m, long long id)
{
	static const struct { const char *menu; long long id; const char *name; } ids[] = {
		{ "/ppp/profile", 0, "default" },
		{ "/ppp/profile", 0xFFFFFFFE, "default-encryption" },
	};

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (ids[i].id == id && !strcmp(ids[i].menu, m->path))
			return ids[i].name;
	return NULL;
}

/* One element: N, N-M, *HEX or a name. */
static int
one_ref(struct sh *sh, size_t pos, const struct cdb_menu *m, const char *w,
	long long **ids, int *n)
{
	const char *dash = strchr(w, '-');
	long long id;

	if (w[0] == '*' && w[1] && strlen(w) < 18 &&
	    strspn(w + 1, "0123456789abcdefABCDEF") == strlen(w + 1)) {
		const char *builtin = routeros_builtin(m, strtoll(w + 1, NULL, 16));

		id = builtin ? by_key(sh, m, builtin, 0) : strtoll(w + 1, NULL, 16);
		if (id <= 0 || by_key(sh, m, NULL, id) != id)
			return sh_fail(sh, pos, "no such item");
		push(ids, n, id);
		return 0;
	}
	if (all_digits(w)) {
		/* a number from an old print may name an item removed since */
		if (strlen(w) > 9 || number_to_id(sh, m, atoll(w), &id) ||
		    by_key(sh, m, NULL, id) != id)
			return sh_fail(sh, pos, "no such item");
		push(ids, n, id);
		return 0;
	}
	if (dash && dash > w && strlen(w) < 20) {
		char a[20];

		snprintf(a, sizeof(a), "%.*s", (int)(dash - w), w);
		if (all_digits(a) && all_digits(dash + 1)) {
			long long from = atoll(a), to = atoll(dash + 1);

			if (to < from || to - from > 100000)
				return sh_fail(sh, pos, "no such item");
			for (long long k = from; k <= to; k++) {
				if (number_to_id(sh, m, k, &id) || by_key(sh, m, NULL, id) != id)
					return sh_fail(sh, pos, "no such item");
				push(ids, n, id);
			}
			return 0;
		}
	}
	if ((id = by_key(sh, m, w, 0)) <= 0)
		return sh_fail(sh, pos, "no such item");
	push(ids, n, id);
	return 0;
}

int
sh_items(struct sh *sh, size_t pos, const struct cdb_menu *m, struct val *ref,
	 long long **ids, int *n)
{
	char *copy, *save = NULL, *w;
	int rc = 0;

	*ids = NULL;
	*n = 0;
	if (!m->table && m->kind != M_FILES)
		return sh_fail(sh, pos, "no such item");
	if (ref->t == V_IDS) {
		for (int i = 0; i < ref->nids; i++)
			push(ids, n, ref->ids[i]);
		return 0;
	}
	copy = strdup(val_text(ref));
	for (w = strtok_r(copy, ",;", &save); w && !rc; w = strtok_r(NULL, ",;", &save))
		rc = one_ref(sh, pos, m, w, ids, n);
	free(copy);
	if (rc) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return rc;
}
