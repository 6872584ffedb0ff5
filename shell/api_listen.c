/* api_listen.c: listen and print follow: a menu's items are printed again
 * at each poll and compared with what the client saw last; a new or changed
 * item goes out as !re, a removed one as !re =.id=*X =.dead=yes. Comparing
 * prints (not reading the journal) also catches the engine's runtime values
 * and the session's own changes. An item that stops matching the print's
 * query leaves the listen as a removed one does. */
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "script.h"

#define MAX_LISTENS 32

struct snap {
	char *id;			/* .id as text, "" for a single menu */
	char *text;			/* its values, "k=v\n" each */
};

struct listen {
	char *tag;
	const struct cdb_menu *m;
	char *proplist;
	char *where;			/* the print's query, as a where expression */
	struct snap *s;
	int n;
};

struct api_listens {
	struct listen v[MAX_LISTENS];
	int n;
	long long seen_version;		/* the database's data version at the last poll */
	int touched;			/* this session ran a command since */
};

struct api_listens *
api_listens_new(void)
{
	return calloc(1, sizeof(struct api_listens));
}

static void
snap_free(struct snap *s, int n)
{
	for (int i = 0; i < n; i++) {
		free(s[i].id);
		free(s[i].text);
	}
	free(s);
}

static void
listen_free(struct listen *l)
{
	free(l->tag);
	free(l->proplist);
	free(l->where);
	snap_free(l->s, l->n);
}

void
api_listens_free(struct api_listens *l)
{
	if (!l)
		return;
	for (int i = 0; i < l->n; i++)
		listen_free(&l->v[i]);
	free(l);
}

int
api_listen_count(const struct api_listens *l)
{
	return l->n;
}

void
api_listens_touch(struct api_listens *l)
{
	l->touched = 1;
}

/* The menu now: 0 with *out (n items), or -1. */
static int
take(struct sh *sh, const struct listen *l, struct val *rows, struct snap **out, int *n)
{
	if (api_print_rows(sh, l->m, l->where, rows) || rows->t != V_ARRAY) {
		val_free(rows);
		return -1;
	}
	*out = calloc(rows->nel + 1, sizeof(**out));
	*n = rows->nel;
	for (int i = 0; i < rows->nel; i++) {
		struct cdb_buf b = { 0 };
		const struct val *r = &rows->el[i];

		(*out)[i].id = strdup("");
		for (int k = 0; r->t == V_ARRAY && r->keys && k < r->nel; k++) {
			const char *v = val_text((struct val *)&r->el[k]);

			if (!strcmp(r->keys[k], ".id")) {
				free((*out)[i].id);
				(*out)[i].id = strdup(v);
			}
			cdb_buf_printf(&b, "%s=%s\n", r->keys[k], v);
		}
		(*out)[i].text = b.s ? b.s : strdup("");
	}
	return 0;
}

void
api_listen_start(struct api_listens *ls, struct sh *sh, const struct cdb_menu *m,
		 const char *tag, const char *proplist, const char *where, int initial,
		 struct api_out *o)
{
	struct listen *l;
	struct val rows;

	if (ls->n == MAX_LISTENS) {
		api_reply_trap(o, tag, "too many listens on this connection");
		return;
	}
	l = &ls->v[ls->n];
	*l = (struct listen){ .m = m, .where = where ? strdup(where) : NULL };
	if (take(sh, l, &rows, &l->s, &l->n)) {
		free(l->where);
		api_reply_trap(o, tag, api_err(sh));
		return;
	}
	for (int i = 0; initial && i < rows.nel; i++)
		api_reply_row(o, tag, sh, m, &rows.el[i], proplist);
	val_free(&rows);
	l->tag = tag ? strdup(tag) : NULL;
	l->proplist = proplist ? strdup(proplist) : NULL;
	ls->n++;
}

int
api_listen_cancel(struct api_listens *ls, const char *tag, struct api_out *o)
{
	for (int i = 0; i < ls->n; i++) {
		struct listen *l = &ls->v[i];

		if (!l->tag || strcmp(l->tag, tag))
			continue;
		api_out_str(o, "!trap");
		api_out_attr(o, "category", "2");
		api_out_attr(o, "message", "interrupted");
		api_reply_end(o, l->tag);
		api_reply_done(o, l->tag, NULL);
		listen_free(l);
		ls->v[i] = ls->v[--ls->n];
		return 1;
	}
	return 0;
}

static const struct snap *
find(const struct snap *s, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(s[i].id, id))
			return &s[i];
	return NULL;
}

static void
poll_one(struct listen *l, struct sh *sh, struct api_out *o)
{
	struct snap *now;
	struct val rows;
	int n;

	if (take(sh, l, &rows, &now, &n))
		return;		/* busy or gone: the next poll tries again */
	for (int i = 0; i < n; i++) {
		const struct snap *was = find(l->s, l->n, now[i].id);

		if (!was || strcmp(was->text, now[i].text))
			api_reply_row(o, l->tag, sh, l->m, &rows.el[i], l->proplist);
	}
	for (int i = 0; i < l->n; i++) {
		if (find(now, n, l->s[i].id))
			continue;
		api_out_str(o, "!re");
		api_out_attr(o, ".id", l->s[i].id);
		api_out_attr(o, ".dead", "yes");
		api_reply_end(o, l->tag);
	}
	val_free(&rows);
	snap_free(l->s, l->n);
	l->s = now;
	l->n = n;
}

void
api_listen_poll(struct api_listens *ls, struct sh *sh, struct api_out *o)
{
	/* another connection's commit changes the data version; this
	 * session's own commands touch; otherwise there is nothing to compare */
	long long v = cdb_data_version(sh->db);

	if (v == ls->seen_version && v != -1 && !ls->touched)
		return;
	ls->seen_version = v;
	ls->touched = 0;
	for (int i = 0; i < ls->n; i++)
		poll_one(&ls->v[i], sh, o);
}
