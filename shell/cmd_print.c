/* cmd_print.c: print as a numbered table with a flags column and legend, or
 * detail, terse, as-value, count-only; proplist and where narrow it. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "args.h"
#include "menu.h"
#include "items.h"
#include "print.h"
#include "print_style.h"

/* Lines are built here and written without trailing blanks. */
static void
out_line(struct sh *sh, char *line)
{
	size_t n = strlen(line);

	while (n > 0 && line[n - 1] == ' ')
		line[--n] = '\0';
	fprintf(sh->out, "%s\n", line);
}

/* Quote a value for export, terse and detail: only when it needs it, or
 * always (detail shows strings quoted). Bytes outside ASCII become \XX so
 * that what is printed reads back as the same bytes. */
char *
quote_value(const char *v, int always)
{
	int need = always || !*v;
	size_t len = 0, cap = strlen(v) * 4 + 3;
	char *o = malloc(cap);

	for (const char *p = v; *p && !need; p++)
		need = !isalnum((unsigned char)*p) && !strchr("-._,:/@*+", *p);
	if (!need) {
		free(o);
		return strdup(v);
	}
	o[len++] = '"';
	for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
		if (*p == '"' || *p == '\\' || *p == '$' || *p == '?')
			len += sprintf(o + len, "\\%c", *p);
		else if (*p == '\n')
			len += sprintf(o + len, "\\n");
		else if (*p == '\t')
			len += sprintf(o + len, "\\t");
		else if (*p == '\r')
			len += sprintf(o + len, "\\r");
		else if (*p < ' ' || *p >= 0x7f)
			len += sprintf(o + len, "\\%02X", *p);
		else
			o[len++] = (char)*p;
	}
	o[len++] = '"';
	o[len] = '\0';
	return o;
}

static int
flag_set(const struct cdb_menu *m, char *flags)
{
	int n = 0;

	if (m->flags & M_DISABLE)
		flags[n++] = 'X';
	if (m->flags & M_COMPUTED) {
		/* facts of the machine: nothing is dynamic or running */
	} else if ((m->flags & M_RUNTIME) || m->kind == M_VIEW) {
		flags[n++] = 'D';
		flags[n++] = 'R';
	} else if (m->flags & M_DYNAMIC) {
		flags[n++] = 'D';
	}
	if (m->nseeds)
		flags[n++] = '*';
	for (int i = 0; m->flagdefs && m->flagdefs[i] && n < 15; i++)
		flags[n++] = m->flagdefs[i];
	flags[n] = '\0';
	return n;
}

/* What a flag letter stands for in this menu. */
static const char *
flag_name(const struct cdb_menu *m, char f)
{
	static const char *fixed[] = { "X", "disabled", "D", "dynamic", "R", "running",
				       "*", "default" };

	for (int i = 0; m->flagdefs && m->flagdefs[i]; i++)
		if (m->flagdefs[i] == f)
			return m->flagprops[i];
	for (int i = 0; i < 8; i += 2)
		if (f == fixed[i][0])
			return fixed[i + 1];
	return "?";
}

static void
legend(struct sh *sh, const struct cdb_menu *m, const char *flags)
{
	if (!*flags)
		return;
	fprintf(sh->out, "Flags: ");
	for (const char *f = flags; *f; f++)
		fprintf(sh->out, "%s%c - %s", f == flags ? "" : "; ", *f, flag_name(m, *f));
	fprintf(sh->out, "\n");
}

/* The flags of one item, each in its fixed place. */
static void
item_flags(const struct cdb_menu *m, const struct cdb_item *it, const char *set, char *out)
{
	const char *dv = cdb_item_text(m, it, "disabled");
	int i;

	for (i = 0; set[i]; i++) {
		int on = (set[i] == 'X' && dv && !strcmp(dv, "yes")) ||
			 (set[i] == 'D' && it->dynamic) || (set[i] == 'R' && it->running) ||
			 (set[i] == '*' && it->builtin);

		for (int k = 0; m->flagdefs && m->flagdefs[k]; k++) {
			const char *v = cdb_item_text(m, it, m->flagprops[k]);

			if (m->flagdefs[k] == set[i])
				on = v && !strcmp(v, "yes");
		}

		out[i] = on ? set[i] : ' ';
	}
	out[i] = '\0';
}

static const char *
shown(const struct popts *o, const struct cdb_menu *m, const struct cdb_item *it, int i)
{
	if (((m->props[i].flags & P_SENSITIVE) && !o->sensitive) ||
	    (m->props[i].flags & P_HIDDEN) || m->props[i].types[0] == T_PASSWORD)
		return NULL;
	return cdb_item_value(m, it, i);
}

static void
print_comment(struct sh *sh, const struct cdb_menu *m, const struct cdb_item *it, int indent)
{
	const char *v = cdb_item_text(m, it, "comment");

	if (v && *v)
		fprintf(sh->out, "%*s;;; %s\n", indent, "", v);
}

static void
upper(struct cdb_buf *b, const char *s)
{
	for (; *s; s++) {
		char ch = (char)toupper((unsigned char)*s);

		cdb_buf_add(b, &ch, 1);
	}
}

static void
table_header(struct sh *sh, const struct cdb_menu *m, const struct popts *o, const int *w,
	     int nw, int fw)
{
	struct cdb_buf b = { 0 };

	cdb_buf_add(&b, "Columns: ", 9);
	for (int c = 0; c < o->ncols; c++) {
		cdb_buf_add(&b, ", ", c ? 2 : 0);
		upper(&b, m->props[o->cols[c]].name);
	}
	out_line(sh, b.s);
	b.len = 0;
	cdb_buf_printf(&b, "%-*s %*s", nw, "#", fw, "");
	for (int c = 0; c < o->ncols; c++) {
		size_t at = b.len;

		cdb_buf_add(&b, "  ", 2);
		upper(&b, m->props[o->cols[c]].name);
		cdb_buf_printf(&b, "%*s", w[c] - (int)(b.len - at - 2), "");
	}
	out_line(sh, b.s);
	free(b.s);
}

static void
print_table(struct sh *sh, const struct cdb_menu *m, struct cdb_item_list *l,
	    const struct popts *o, const char *flags)
{
	int nw = 1, fw = (int)strlen(flags), *w = o->widths ? o->widths :
						    calloc(o->ncols + 1, sizeof(int));
	struct cdb_buf b = { 0 };
	char f[16], painted[160];

	for (int n = l->n - 1; n >= 10; n /= 10)
		nw++;
	for (int c = 0; c < o->ncols; c++) {
		if (w[c] < (int)strlen(m->props[o->cols[c]].name))
			w[c] = (int)strlen(m->props[o->cols[c]].name);
		for (int i = 0; i < l->n; i++) {
			const char *v = shown(o, m, &l->items[i], o->cols[c]);

			if (v && (int)strlen(v) > w[c])
				w[c] = (int)strlen(v);
		}
	}
	if (o->widths && nw < 2)
		nw = 2;		/* follow adds items: room for their numbers */
	if (!o->no_header)
		table_header(sh, m, o, w, nw, fw);
	for (int i = 0; i < l->n; i++) {
		print_comment(sh, m, &l->items[i], nw + fw + 3);
		item_flags(m, &l->items[i], flags, f);
		b.len = 0;
		cdb_buf_printf(&b, "%-*d %s", nw, o->nums ? o->nums[i] : i,
			       sh_paint_flags(sh, f, painted, sizeof(painted)));
		for (int c = 0; c < o->ncols; c++) {
			const char *v = shown(o, m, &l->items[i], o->cols[c]);

			cdb_buf_printf(&b, "  %-*s", w[c], v ? v : "");
		}
		out_line(sh, b.s);
	}
	free(b.s);
	if (w != o->widths)
		free(w);
}

/* detail wraps at 79 columns under its number; terse is one line. */
static void
print_long(struct sh *sh, const struct cdb_menu *m, struct cdb_item_list *l,
	   const struct popts *o, const char *flags)
{
	int indent = (int)strlen(flags) + 4;
	struct cdb_buf b = { 0 };

	for (int i = 0; i < l->n; i++) {
		const struct cdb_item *it = &l->items[i];
		size_t linestart = 0;
		char f[16], painted[160];

		if (o->style == P_DETAIL)
			print_comment(sh, m, it, indent);
		item_flags(m, it, flags, f);
		b.len = 0;
		cdb_buf_printf(&b, "%2d %s ", o->nums ? o->nums[i] : i,
			       sh_paint_flags(sh, f, painted, sizeof(painted)));
		for (int c = 0; c < o->ncols; c++) {
			const struct cdb_prop *p = &m->props[o->cols[c]];
			const char *v = shown(o, m, it, o->cols[c]);
			char *q;
			size_t len;

			if (!v || (o->style == P_DETAIL && !strcmp(p->name, "comment")))
				continue;
			/* text-like values are quoted in detail, as RouterOS does */
			q = quote_value(v, o->style == P_DETAIL && p->ntypes == 1 &&
					       (p->types[0] == T_STRING || p->types[0] == T_RATE ||
						p->types[0] == T_ROUTES));
			len = strlen(p->name) + strlen(q) + 2;
			if (o->style == P_DETAIL && b.len - linestart > (size_t)indent &&
			    b.len - linestart + len > 79) {
				while (b.len && b.s[b.len - 1] == ' ')
					b.len--;
				cdb_buf_printf(&b, "\n%*s", indent, "");
				linestart = b.len - indent;
			}
			cdb_buf_printf(&b, "%s=%s ", p->name, q);
			free(q);
		}
		out_line(sh, b.s);
		if (o->style == P_DETAIL)
			fputc('\n', sh->out);
	}
	free(b.s);
}

/* A settings menu prints as aligned "name: value" lines. */
static void
print_single(struct sh *sh, const struct cdb_menu *m, struct cdb_item_list *l,
	     const struct popts *o)
{
	int w = 0;

	for (int c = 0; c < o->ncols; c++)
		if ((int)strlen(m->props[o->cols[c]].name) > w)
			w = (int)strlen(m->props[o->cols[c]].name);
	for (int c = 0; c < o->ncols && l->n; c++) {
		const char *v = shown(o, m, &l->items[0], o->cols[c]);

		if (v)
			fprintf(sh->out, "%*s: %s\n", w + 2, m->props[o->cols[c]].name, v);
	}
}

static void
print_values(struct sh *sh, const struct cdb_menu *m, struct cdb_item_list *l,
	     const struct popts *o)
{
	for (int i = 0; i < l->n; i++) {
		int first = m->kind == M_SINGLE;

		if (!first)
			fprintf(sh->out, ".id=*%llX", l->items[i].id);
		for (int c = 0; c < o->ncols; c++) {
			const char *v = shown(o, m, &l->items[i], o->cols[c]);

			char *q;

			if (!v)
				continue;
			q = quote_value(v, 0);
			fprintf(sh->out, "%s%s=%s", first ? "" : ";", m->props[o->cols[c]].name, q);
			first = 0;
			free(q);
		}
		fputc('\n', sh->out);
	}
}

/* Secrets leave the columns before any style sees them (as-value too):
 * passwords always, sensitive values unless show-sensitive. */
static void
drop_secret_cols(const struct cdb_menu *m, struct popts *o)
{
	int k = 0;

	for (int i = 0; i < o->ncols; i++) {
		const struct cdb_prop *p = &m->props[o->cols[i]];

		if (p->types[0] != T_PASSWORD && (!(p->flags & P_SENSITIVE) || o->sensitive))
			o->cols[k++] = o->cols[i];
	}
	o->ncols = k;
}

/* proplist=a,b or the menu's columns (table) or every property (others). */
static int
choose_cols(struct cmdctx *c, struct popts *o)
{
	struct arg *pl = arg_find(c, "proplist");
	const struct cdb_menu *m = c->m;

	o->cols = calloc(m->nprops + 1, sizeof(int));
	if (pl) {
		char *copy = strdup(val_text(&pl->v)), *save = NULL, *w;
		const struct cdb_prop *p;

		for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			if (match_prop(c->sh, pl->pos, m, w, &p) || o->ncols == m->nprops) {
				free(copy);
				return -1;
			}
			o->cols[o->ncols++] = (int)(p - m->props);
		}
		free(copy);
	} else if (o->style == P_TABLE && o->stats && cdb_prop_find(m, "bytes")) {
		for (int i = 0; i < m->ncolumns && i < 2; i++)
			o->cols[o->ncols++] = cdb_prop_index(m, m->columns[i]);
		o->cols[o->ncols++] = cdb_prop_index(m, "bytes");
		if (cdb_prop_find(m, "packets"))
			o->cols[o->ncols++] = cdb_prop_index(m, "packets");
	} else if (o->style == P_TABLE && m->ncolumns) {
		for (int i = 0; i < m->ncolumns; i++)
			o->cols[o->ncols++] = cdb_prop_index(m, m->columns[i]);
	} else {
		for (int i = 0; i < m->nprops; i++)
			if (!(m->props[i].flags & P_HIDDEN))
				o->cols[o->ncols++] = i;
	}
	drop_secret_cols(m, o);
	return 0;
}

static int
print_options(struct cmdctx *c, struct popts *o)
{
	static const char *const words[] = { "detail", "terse", "brief", "as-value",
					     "count-only", "without-paging", "show-sensitive", "stats" };

	for (int i = 0; i < c->nargs; i++) {
		struct arg *a = &c->args[i];
		int k, n = (int)(sizeof(words) / sizeof(words[0]));

		if (a->name && !strcmp(a->name, "proplist"))
			continue;
		if ((k = print_form_word(c, a, o)) < 0)
			return -1;
		if (k)
			continue;
		if (a->name || !a->bare)
			return sh_fail(c->sh, a->pos, a->name ? "bad argument name %s" :
				       "expected end of command", a->name);
		if (sh_match(c->sh, a->pos, "argument", val_text(&a->v), words, n, &k))
			return -1;
		if (k == 0)
			o->style = P_DETAIL;
		else if (k == 1)
			o->style = P_TERSE;
		else if (k == 3)
			o->style = P_VALUE;
		else if (k == 4)
			o->style = P_COUNT;
		else if (k == 5)
			o->without_paging = 1;
		else if (k == 6 && !cdb_may(c->sh->db, "sensitive"))
			return sh_fail(c->sh, a->pos, "not enough permissions (9)");
		else if (k == 6)
			o->sensitive = 1;
		else if (k == 7)
			o->stats = 1;
	}
	return 0;
}

/* One print of the items l in the style o asks for. */
void
print_rows(struct cmdctx *c, const struct popts *o, struct cdb_item_list *l, const char *flags)
{
	if (o->style == P_COUNT) {
		if (c->sh->subst == 0)
			fprintf(c->sh->out, "%d\n", l->n);
		c->ret->t = V_NUM;
		c->ret->n = l->n;
	} else if (o->style == P_VALUE && c->sh->subst)
		val_print_rows(c->ret, c->m, l, o->cols, o->ncols);	/* for scripts */
	else if (o->style == P_VALUE)
		print_values(c->sh, c->m, l, o);
	else if (o->style == P_VLIST)
		print_value_list(c->sh, c->m, l, o);
	else if (c->m->kind == M_SINGLE)
		print_single(c->sh, c->m, l, o);
	else {
		if (!o->no_header)
			legend(c->sh, c->m, o->style == P_TERSE ? "" : flags);
		if (o->style == P_TABLE)
			print_table(c->sh, c->m, l, o, flags);
		else
			print_long(c->sh, c->m, l, o, flags);
	}
}

int
print_flag_set(const struct cdb_menu *m, char *flags)
{
	return flag_set(m, flags);
}

void
print_legend(struct sh *sh, const struct cdb_menu *m, const char *flags)
{
	legend(sh, m, flags);
}

const char *
print_shown(const struct popts *o, const struct cdb_menu *m, const struct cdb_item *it, int i)
{
	return shown(o, m, it, i);
}

int
cmd_print(struct cmdctx *c)
{
	struct popts o = { 0 };
	struct cdb_item_list l;
	char flags[16];
	long long *ids;
	int rc = -1;

	if (!c->m->table && c->m->kind != M_FILES)
		return sh_fail(c->sh, c->cmdpos, "bad command name print");
	if (print_options(c, &o) || choose_cols(c, &o) || print_form_check(c, &o))
		goto out;
	if (o.follow || o.interval) {
		rc = print_repeat(c, &o);
		goto out;
	}
	c->sh->db->stale_hidden = 0;
	if (print_list(c, &o, &l))
		goto out;
	flag_set(c->m, flags);
	if (o.file) {
		rc = print_to_file(c, &o, &l, flags);
		cdb_item_list_free(&l);
		goto out;
	}
	if (c->sh->db->stale_hidden && !c->sh->subst && o.style != P_COUNT)
		fprintf(c->sh->out, "the engine (roshd) is not running: %d of its sessions, "
			"interfaces and running flags, left from when it ran, are not shown\n",
			c->sh->db->stale_hidden);
	sh_page_begin(c->sh, o.without_paging);
	print_rows(c, &o, &l, flags);
	if (sh_page_end(c->sh, c->cmdpos)) {
		cdb_item_list_free(&l);
		goto out;
	}
	ids = malloc(sizeof(*ids) * (l.n + 1));
	for (int i = 0; i < l.n; i++)
		ids[i] = l.items[i].id;
	sh_set_numbers(c->sh, c->m, ids, l.n);
	free(ids);
	cdb_item_list_free(&l);
	rc = 0;
out:
	free(o.cols);
	return rc;
}
