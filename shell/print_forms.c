/* print_forms.c: the print forms beyond one look: from= (only the items
 * named, in that order), value-list (a line per property, the items side
 * by side), file= (into the file store as NAME.txt), interval= (the print
 * again every interval) and follow, follow-only (the items, then each new
 * or changed one as it happens). The repeating forms wait as :delay and the
 * pager do: the line lets go of the database first (sh_before_wait), so
 * they hold no lock between looks, and each look reads the newest commit.
 * They end at Ctrl-C, at end of input on a terminal, or when killed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "files.h"
#include "items.h"
#include "print.h"
#include "print_style.h"

#define FOLLOW_POLL_MS 500	/* how often follow looks for changes */

int
print_form_word(struct cmdctx *c, struct arg *a, struct popts *o)
{
	const char *v = val_text(&a->v);

	if (!a->name && a->bare && (!strcmp(v, "follow") || !strcmp(v, "follow-only"))) {
		o->follow = v[6] ? 2 : 1;
		return 1;
	}
	if (!a->name && a->bare && !strcmp(v, "value-list")) {
		o->style = P_VLIST;
		return 1;
	}
	if (!a->name)
		return 0;
	if (!strcmp(a->name, "interval")) {
		if (cdb_parse_time(v, &o->interval) || o->interval < 1 || o->interval > 86400)
			return sh_fail(c->sh, a->pos, "invalid value for argument interval "
				       "(a time from 1s to 1d)");
		return 1;
	}
	if (!strcmp(a->name, "file")) {
		o->file = a;
		return 1;
	}
	if (!strcmp(a->name, "from")) {
		o->from = a;
		return 1;
	}
	return 0;
}

int
print_form_check(struct cmdctx *c, const struct popts *o)
{
	const char *clash = NULL;

	if ((o->follow || o->interval) && c->sh->subst)
		clash = o->follow ? "follow" : "interval";
	else if (o->follow && o->interval)
		clash = "interval";
	else if ((o->follow || o->interval) && o->file)
		clash = "file";
	else if (o->follow && (o->style == P_COUNT || o->style == P_VALUE || o->style == P_VLIST))
		clash = o->style == P_COUNT ? "count-only" :
			o->style == P_VALUE ? "as-value" : "value-list";
	else if (o->file && o->style == P_VALUE && c->sh->subst)
		clash = "as-value";
	if (!clash)
		return 0;
	if (c->sh->subst && (o->follow || o->interval))
		return sh_fail(c->sh, c->cmdpos, "failure: %s prints until stopped: not inside [ ]",
			       clash);
	return sh_fail(c->sh, c->cmdpos, "failure: %s can not be combined with %s", clash,
		       o->follow ? (o->follow == 1 ? "follow" : "follow-only") :
		       o->interval ? "interval" : "file");
}

/* from=1,3 or from=[find ...]: those items, in that order, each once. */
static int
keep_from(struct cmdctx *c, struct arg *from, struct cdb_item_list *l)
{
	struct cdb_item *kept;
	long long *ids;
	int n, k = 0;

	if (sh_items(c->sh, from->pos, c->m, &from->v, &ids, &n))
		return -1;
	kept = calloc(n + 1, sizeof(*kept));
	for (int i = 0; i < n; i++)
		for (int j = 0; j < l->n; j++)
			if (l->items[j].v && l->items[j].id == ids[i]) {
				kept[k++] = l->items[j];
				memset(&l->items[j], 0, sizeof(l->items[j]));
			}
	free(ids);
	cdb_item_list_free(l);
	l->items = kept;
	l->n = k;
	return 0;
}

int
print_list(struct cmdctx *c, const struct popts *o, struct cdb_item_list *l)
{
	if (sh_filter_items(c, l))
		return -1;
	if (o->from && keep_from(c, o->from, l)) {
		cdb_item_list_free(l);
		return -1;
	}
	return 0;
}

/* value-list: "name: value value" with the names right-aligned and each
 * item's values in a column of their own. */
void
print_value_list(struct sh *sh, const struct cdb_menu *m, struct cdb_item_list *l,
		 const struct popts *o)
{
	int nw = 0, *w = calloc(l->n + 1, sizeof(int));

	for (int c = 0; c < o->ncols; c++) {
		if ((int)strlen(m->props[o->cols[c]].name) > nw)
			nw = (int)strlen(m->props[o->cols[c]].name);
		for (int i = 0; i < l->n; i++) {
			const char *v = print_shown(o, m, &l->items[i], o->cols[c]);

			if (v && (int)strlen(v) > w[i])
				w[i] = (int)strlen(v);
		}
	}
	for (int c = 0; c < o->ncols; c++) {
		struct cdb_buf b = { 0 };

		cdb_buf_printf(&b, "%*s:", nw + 1, m->props[o->cols[c]].name);
		for (int i = 0; i < l->n; i++) {
			const char *v = print_shown(o, m, &l->items[i], o->cols[c]);

			cdb_buf_printf(&b, " %-*s", w[i], v ? v : "");
		}
		while (b.len && b.s[b.len - 1] == ' ')
			b.s[--b.len] = '\0';
		fprintf(sh->out, "%s\n", b.s);
		free(b.s);
	}
	free(w);
}

/* file=NAME: what print would show, into the file store as NAME.txt (as
 * RouterOS names it), never paged and never coloured. */
int
print_to_file(struct cmdctx *c, const struct popts *o, struct cdb_item_list *l,
	      const char *flags)
{
	const char *name = val_text(&o->file->v);
	size_t n = strlen(name), len = 0;
	FILE *saved = c->sh->out;
	int color = c->sh->color, rc;
	char *text = NULL, *full;

	if (asprintf(&full, "%s%s", name, n > 4 && !strcmp(name + n - 4, ".txt") ? "" : ".txt") < 0)
		return sh_fail(c->sh, o->file->pos, "failure: out of memory");
	if (!(c->sh->out = open_memstream(&text, &len))) {
		c->sh->out = saved;
		free(full);
		return sh_fail(c->sh, o->file->pos, "failure: out of memory");
	}
	c->sh->color = 0;
	print_rows(c, o, l, flags);
	fclose(c->sh->out);
	c->sh->out = saved;
	c->sh->color = color;
	rc = files_write(c->sh, o->file->pos, full, text, len);
	free(text);
	free(full);
	return rc;
}

static void
set_numbers(struct cmdctx *c, const struct cdb_item_list *l)
{
	long long *ids = malloc(sizeof(*ids) * (l->n + 1));

	for (int i = 0; i < l->n; i++)
		ids[i] = l->items[i].id;
	sh_set_numbers(c->sh, c->m, ids, l->n);
	free(ids);
}

/* An item as follow compares it: its flags and every value shown. */
static char *
fingerprint(const struct popts *o, const struct cdb_menu *m, const struct cdb_item *it)
{
	struct cdb_buf b = { 0 };

	cdb_buf_printf(&b, "%d%d%d|", it->dynamic, it->running, it->builtin);
	for (int i = 0; i < m->nprops; i++) {
		const char *v = print_shown(o, m, it, i);

		cdb_buf_printf(&b, "%s\x1f", v ? v : "\x1e");
	}
	return b.s ? b.s : strdup("");
}

struct seen {
	long long id;
	char *print;
};

static void
seen_free(struct seen *s, int n)
{
	for (int i = 0; i < n; i++)
		free(s[i].print);
	free(s);
}

static const struct seen *
seen_find(const struct seen *s, int n, long long id)
{
	for (int i = 0; i < n; i++)
		if (s[i].id == id)
			return &s[i];
	return NULL;
}

/* The items of l that are new or changed since *was (all of them the first
 * time, unless follow-only), each with its number; *was becomes l. */
static void
follow_step(struct cmdctx *c, struct popts *o, struct cdb_item_list *l, struct seen **was,
	    int *nwas, int first, const char *flags)
{
	struct seen *now = calloc(l->n + 1, sizeof(*now));
	struct cdb_item_list sub = { calloc(l->n + 1, sizeof(struct cdb_item)), 0 };
	int *nums = calloc(l->n + 1, sizeof(int));

	for (int i = 0; i < l->n; i++) {
		const struct seen *s = seen_find(*was, *nwas, l->items[i].id);

		now[i].id = l->items[i].id;
		now[i].print = fingerprint(o, c->m, &l->items[i]);
		if (first ? o->follow == 1 : !s || strcmp(s->print, now[i].print)) {
			nums[sub.n] = i;
			sub.items[sub.n++] = l->items[i];	/* borrowed, not freed */
		}
	}
	o->nums = nums;
	o->no_header = !first;
	if (sub.n || first)
		print_rows(c, o, &sub, flags);
	o->nums = NULL;
	free(nums);
	free(sub.items);
	seen_free(*was, *nwas);
	*was = now;
	*nwas = l->n;
}

/* One look: the items as they are now; -1 when they can not be read. */
static int
look(struct cmdctx *c, struct popts *o, int first, struct seen **was, int *nwas)
{
	struct cdb_item_list l;
	char flags[16];

	if (print_list(c, o, &l))
		return -1;
	print_flag_set(c->m, flags);
	if (o->follow)
		follow_step(c, o, &l, was, nwas, first, flags);
	else {
		if (isatty(fileno(c->sh->out)))
			fputs("\033[H\033[J", c->sh->out);	/* redraw from the top */
		print_rows(c, o, &l, flags);
	}
	set_numbers(c, &l);
	cdb_item_list_free(&l);
	fflush(c->sh->out);
	return 0;
}

int
print_repeat(struct cmdctx *c, struct popts *o)
{
	struct seen *was = NULL;
	int nwas = 0, rc = 0, ms = o->follow ? FOLLOW_POLL_MS : (int)o->interval * 1000;

	if (o->style == P_TABLE && c->m->kind != M_SINGLE)
		o->widths = calloc(o->ncols + 1, sizeof(int));
	sh_stop_catch();
	for (int first = 1;; first = 0) {
		if (look(c, o, first, &was, &nwas) || sh_before_wait(c->sh, c->cmdpos)) {
			rc = -1;
			break;
		}
		if (sh_wait_or_stop(ms))
			break;
	}
	sh_stop_release();
	seen_free(was, nwas);
	free(o->widths);
	o->widths = NULL;
	return rc;
}
