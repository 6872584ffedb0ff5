/* rest_req.c: a REST request as console statements. The path names a menu
 * (and an item or a command), the method the verb, the JSON body the
 * arguments. Menu and command words are checked against the catalog, names
 * against the letters names are made of, and every value is quoted, so
 * nothing a client sends can run as code. The console's value comes back
 * as RouterOS's JSON: objects whose values are all strings. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "menu.h"
#include "print.h"
#include "rest.h"

#define REST_MAXSEGS	16		/* words of a path */
#define REST_MAXQUERY	64		/* values on a .query stack */
#define REST_MAXEXPR	65536		/* bytes of the where it becomes */

struct rreq {
	struct sh *sh;
	const struct cdb_menu *m;
	const char *extra;		/* the word after the menu: an item or a command */
	struct val body;		/* the JSON body: a keyed array, maybe empty */
	const struct val *args;		/* the URL's arguments, keyed; may be NULL */
	int status;
	char detail[640];
	char *copy;			/* the path's words */
	char *out;			/* what the commands printed */
	size_t outlen;
};

static const char *
status_text(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 503: return "Service Unavailable";
	default: return "Internal Server Error";
	}
}

char *
rest_error(int status, const char *detail)
{
	struct cdb_buf b = { 0 };

	cdb_buf_printf(&b, "{\"error\":%d,\"message\":", status);
	json_put_string(&b, status_text(status));
	if (detail && *detail) {
		cdb_buf_printf(&b, ",\"detail\":");
		json_put_string(&b, detail);
	}
	cdb_buf_printf(&b, "}");
	return b.s;
}

static int
fail(struct rreq *r, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	r->status = status;
	return -1;
}

/* A property or argument name goes into the statement as a word, so it may
 * hold only what names are made of. */
static int
name_ok(const char *n)
{
	size_t len = strlen(n);

	if (!len || len > 63 || !isalpha((unsigned char)*n))
		return 0;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && *n != '-' && *n != '_')
			return 0;
	return 1;
}

/* One console line; its failure becomes the HTTP status RouterOS gives. */
static int
run(struct rreq *r, const char *text, struct val *out)
{
	struct sh *sh = r->sh;
	FILE *saved = sh->out, *f;
	int rc;

	free(r->out);
	r->out = NULL;
	if (!(f = open_memstream(&r->out, &r->outlen)))
		return fail(r, 500, "out of memory");
	sh->out = f;
	sh->quit = 0;
	rc = sh_eval(sh, text, strlen(text), out);
	sh->out = saved;
	fclose(f);
	if (!rc)
		return 0;
	if (strstr(sh->err, "no such item"))
		return fail(r, 404, "%s", sh->err);
	if (strstr(sh->err, "not enough permissions"))
		return fail(r, 403, "%s", sh->err);
	return fail(r, 400, "%s", sh->err);
}

/* name="value" (or "value" alone for no name): a list (JSON array) is its
 * elements joined by commas. */
static int
put_arg(struct rreq *r, struct cdb_buf *b, const char *name, struct val *v)
{
	struct cdb_buf list = { 0 };
	const char *t = "";
	char *q;

	if (v->t == V_ARRAY && v->keys)
		return fail(r, 400, "%s: an object is not a value", name ? name : ".id");
	if (v->t == V_ARRAY) {
		for (int i = 0; i < val_count(v); i++) {
			struct val e = { 0 };

			val_elem(v, i, &e);
			if (e.t == V_ARRAY) {
				val_free(&e);
				free(list.s);
				return fail(r, 400, "%s: a list of lists is not a value",
					    name ? name : ".id");
			}
			cdb_buf_printf(&list, "%s%s", i ? "," : "", val_text(&e));
			val_free(&e);
		}
		t = list.s ? list.s : "";
	} else if (v->t != V_NIL && v->t != V_NOTHING)
		t = val_text(v);
	q = quote_value(t, 1);
	cdb_buf_printf(b, " %s%s%s", name ? name : "", name ? "=" : "", q);
	free(q);
	free(list.s);
	return 0;
}

/* The body's members as arguments; with_id, .id names the item the
 * command acts on (its first unnamed argument, as typed at the console). */
static int
put_args(struct rreq *r, struct cdb_buf *b, int with_id)
{
	struct val key = { 0 }, id = { 0 };
	int rc = 0;

	val_str(&key, ".id");
	val_index(&r->body, &key, &id);
	if (with_id && id.t != V_NOTHING)
		rc = put_arg(r, b, NULL, &id);
	val_free(&key), val_free(&id);
	for (int i = 0; !rc && i < val_count(&r->body); i++) {
		const char *name = val_key(&r->body, i);
		struct val e = { 0 };

		if (!strcmp(name, ".id"))
			continue;
		if (!name_ok(name))
			return fail(r, 400, "unknown parameter %s", name);
		val_elem(&r->body, i, &e);
		rc = put_arg(r, b, name, &e);
		val_free(&e);
	}
	return rc;
}

/* " where ..." naming the item by .id (*HEX) or by the menu's key. */
static int
item_where(struct rreq *r, struct cdb_buf *b, const char *item)
{
	char *end, *q;
	long long id;

	if (item[0] == '*') {
		id = strtoll(item + 1, &end, 16);
		if (!isxdigit((unsigned char)item[1]) || *end || id <= 0)
			return fail(r, 404, "no such item");
		cdb_buf_printf(b, " where .id=*%llX", id);
		return 0;
	}
	if (!r->m->key)
		return fail(r, 404, "no such item");
	q = quote_value(item, 1);
	cdb_buf_printf(b, " where %s=%s", r->m->key, q);
	free(q);
	return 0;
}

/* A row without the password hashes that print as-value gives scripts:
 * they are never readable from outside. */
static void
hide_hashes(const struct cdb_menu *m, struct val *row)
{
	struct val kept = { 0 };
	int any = 0;

	if (row->t != V_ARRAY || !row->keys)
		return;
	for (int i = 0; i < val_count(row) && !any; i++) {
		const struct cdb_prop *p = cdb_prop_find(m, val_key(row, i));

		any = p && p->types[0] == T_PASSWORD;
	}
	if (!any)
		return;
	val_array(&kept);
	for (int i = 0; i < val_count(row); i++) {
		const struct cdb_prop *p = cdb_prop_find(m, val_key(row, i));
		struct val e = { 0 };

		if (p && p->types[0] == T_PASSWORD)
			continue;
		val_elem(row, i, &e);
		val_push(&kept, val_key(row, i), &e);
	}
	val_free(row);
	*row = kept;
}

static int proplist(struct rreq *r, struct val *p, struct cdb_buf *b);

/* The rows of print as-value; one: the first row alone (404 when none). */
static char *
rows(struct rreq *r, struct val *v, int one)
{
	struct cdb_buf b = { 0 };
	struct val e = { 0 };

	if (v->t != V_ARRAY) {
		val_free(v);
		val_array(v);
	}
	for (int i = 0; i < v->nel; i++)
		hide_hashes(r->m, &v->el[i]);
	if (!one) {
		json_put_value(&b, v, 1);
		return b.s ? b.s : strdup("[]");
	}
	if (!val_count(v)) {
		fail(r, 404, "no such item");
		return NULL;
	}
	val_elem(v, 0, &e);
	json_put_value(&b, &e, 1);
	val_free(&e);
	return b.s;
}

/* GET's URL arguments: ?.proplist=a,b (words written first), then each
 * name=value as an equality that must hold (filters). */
static int
url_args(struct rreq *r, struct cdb_buf *b, int filters)
{
	int first = 1;

	for (int i = 0; r->args && i < val_count(r->args); i++) {
		const char *k = val_key(r->args, i);
		struct val e = { 0 };
		char *q;
		int rc = 0;

		if (!k || (!strcmp(k, ".proplist")) == filters)
			continue;
		val_elem(r->args, i, &e);
		if (!filters)
			rc = proplist(r, &e, b);
		else if (strcmp(k, ".id") && !name_ok(k))
			rc = fail(r, 400, "unknown parameter %s", k);
		else {
			q = quote_value(val_text(&e), 1);
			cdb_buf_printf(b, "%s%s=%s", first ? " where " : " and ", k, q);
			first = 0;
			free(q);
		}
		val_free(&e);
		if (rc)
			return -1;
	}
	return 0;
}

/* GET: every item (narrowed by the URL's arguments), the one item, or a
 * single menu's settings. */
static char *
get(struct rreq *r, const char *item)
{
	struct cdb_buf st = { 0 };
	struct val v = { 0 };
	char *json = NULL;
	int rc;

	cdb_buf_printf(&st, "%s/print as-value", r->m->path);
	rc = url_args(r, &st, 0);
	if (!rc)
		rc = item ? item_where(r, &st, item) : url_args(r, &st, 1);
	if (!rc && !run(r, st.s, &v))
		json = rows(r, &v, item || r->m->kind == M_SINGLE);
	val_free(&v);
	free(st.s);
	return json;
}

/* The .id of the item the path names (its key may change with a set). */
static char *
item_id(struct rreq *r, const char *item)
{
	struct cdb_buf st = { 0 };
	struct val v = { 0 }, row = { 0 }, id = { 0 }, key = { 0 };
	char *out = NULL;

	cdb_buf_printf(&st, "%s/print as-value", r->m->path);
	if (!item_where(r, &st, item) && !run(r, st.s, &v)) {
		if (v.t != V_ARRAY || !val_count(&v))
			fail(r, 404, "no such item");
		else {
			val_elem(&v, 0, &row);
			val_str(&key, ".id");
			val_index(&row, &key, &id);
			if (id.t != V_NOTHING)
				out = strdup(val_text(&id));
		}
	}
	if (!out && !r->status)
		fail(r, 404, "no such item");
	val_free(&v), val_free(&row), val_free(&id), val_free(&key);
	free(st.s);
	return out;
}

/* PUT: add; the answer is the new item. */
static char *
put(struct rreq *r)
{
	struct cdb_buf st = { 0 };
	struct val v = { 0 };
	char *json = NULL;

	if (r->m->kind != M_LIST)
		fail(r, 400, "no such command");
	else {
		cdb_buf_printf(&st, "%s/add", r->m->path);
		if (!put_args(r, &st, 0) && !run(r, st.s, &v)) {
			if (v.t == V_ID)
				json = get(r, val_text(&v));
			else
				fail(r, 500, "add gave no id");
		}
	}
	val_free(&v);
	free(st.s);
	return json;
}

/* PATCH: set; the answer is the item as it is now. */
static char *
patch(struct rreq *r)
{
	struct cdb_buf st = { 0 };
	struct val v = { 0 };
	char *id = NULL, *json = NULL, *q;

	if (r->m->kind == M_LIST && r->extra && !(id = item_id(r, r->extra)))
		return NULL;
	if ((r->m->kind == M_LIST && !r->extra) || (r->m->kind != M_LIST &&
	    (r->extra || r->m->kind != M_SINGLE))) {
		fail(r, r->extra ? 404 : 400, r->extra ? "no such item" : "no such command");
		return NULL;
	}
	cdb_buf_printf(&st, "%s/set", r->m->path);
	if (id) {
		q = quote_value(id, 1);
		cdb_buf_printf(&st, " numbers=%s", q);
		free(q);
	}
	if (!put_args(r, &st, 0) && !run(r, st.s, &v))
		json = get(r, id);
	val_free(&v);
	free(st.s);
	free(id);
	return json;
}

/* DELETE: remove; no content. */
static char *
delete(struct rreq *r)
{
	struct cdb_buf st = { 0 };
	struct val v = { 0 };
	char *id, *json = NULL, *q;

	if ((r->m->kind != M_LIST && r->m->kind != M_FILES) || !r->extra) {
		fail(r, 400, r->extra ? "no such command" : "no item named");
		return NULL;
	}
	if (!(id = item_id(r, r->extra)))
		return NULL;
	q = quote_value(id, 1);
	cdb_buf_printf(&st, "%s/remove %s", r->m->path, q);
	if (!run(r, st.s, &v)) {
		r->status = 204;
		json = strdup("");
	}
	free(q);
	val_free(&v);
	free(st.s);
	free(id);
	return json;
}

/* One .query word as a where test: name=v, name (has a value), -name (has
 * none), <name=v, >name=v. NULL when it is none of them. */
static char *
query_test(const char *w)
{
	char name[64], op = '=', *q, *t = NULL;
	const char *eq;
	size_t n;

	if (*w == '-' || *w == '<' || *w == '>')
		op = *w++;
	eq = strchr(w, '=');
	n = eq ? (size_t)(eq - w) : strlen(w);
	if (!n || n >= sizeof(name))
		return NULL;
	memcpy(name, w, n);
	name[n] = '\0';
	if (strcmp(name, ".id") && !name_ok(name))
		return NULL;
	if (op == '-' && !eq && asprintf(&t, "%s=\"\"", name) < 0)
		return NULL;
	if (op == '=' && !eq && asprintf(&t, "%s!=\"\"", name) < 0)
		return NULL;
	if (eq && op != '-') {
		q = quote_value(eq + 1, 1);
		if (asprintf(&t, "%s%c%s", name, op, q) < 0)
			t = NULL;
		free(q);
	}
	return t;
}

/* #ops on the stack: | and & join the top two, ! negates the top, . copies
 * it, a digit copies the value at that depth from the bottom. */
static int
query_ops(struct rreq *r, const char *ops, char **st, int *n)
{
	for (; *ops; ops++) {
		char *t = NULL;
		int two = *ops == '|' || *ops == '&', at = *n - 1;

		if (isdigit((unsigned char)*ops))
			at = *ops - '0';
		if (at < 0 || at >= *n || (two && *n < 2) ||
		    (!two && *ops != '!' && *n >= REST_MAXQUERY))
			return fail(r, 400, "bad query: stack has too few or too many values");
		if (two && asprintf(&t, "(%s %s %s)", st[*n - 2], *ops == '|' ? "or" : "and",
				    st[*n - 1]) >= 0) {
			free(st[--*n]);
			free(st[*n - 1]);
			st[*n - 1] = t;
		} else if (*ops == '!' && asprintf(&t, "(not %s)", st[at]) >= 0) {
			free(st[at]);
			st[at] = t;
		} else if ((*ops == '.' || isdigit((unsigned char)*ops)) && (t = strdup(st[at])))
			st[(*n)++] = t;
		else
			return fail(r, 400, "bad query operation %c", *ops);
		if (strlen(t) > REST_MAXEXPR)
			return fail(r, 400, "bad query: too long");
	}
	return 0;
}

/* .query: the API's query words evaluated as a stack; what is left on it
 * is joined by and. */
static int
query(struct rreq *r, struct val *q, struct cdb_buf *b)
{
	char *st[REST_MAXQUERY];
	int n = 0, rc = 0;

	if (q->t != V_ARRAY || q->keys)
		return fail(r, 400, ".query: expected a list of words");
	for (int i = 0; !rc && i < val_count(q); i++) {
		struct val e = { 0 };
		const char *w;

		val_elem(q, i, &e);
		w = e.t == V_ARRAY ? NULL : val_text(&e);
		if (w && *w == '?')
			w++;
		if (!w || !*w)
			rc = fail(r, 400, ".query: expected a list of words");
		else if (*w == '#')
			rc = query_ops(r, w + 1, st, &n);
		else if (n >= REST_MAXQUERY)
			rc = fail(r, 400, "bad query: too many words");
		else if (!(st[n] = query_test(w)))
			rc = fail(r, 400, "bad query word %s", w);
		else
			n++;
		val_free(&e);
	}
	for (int i = 0; i < n; i++) {
		if (!rc)
			cdb_buf_printf(b, "%s%s", i ? " and " : " where ", st[i]);
		free(st[i]);
	}
	return rc;
}

/* .proplist as a list or as "a,b": .id comes anyway. */
static int
proplist(struct rreq *r, struct val *p, struct cdb_buf *b)
{
	char *copy, *save = NULL, *w;
	int first = 1, rc = 0;

	if (p->t == V_ARRAY && p->keys)
		return fail(r, 400, ".proplist: expected a list of names");
	copy = strdup(p->t == V_ARRAY ? "" : val_text(p));
	for (int i = 0; copy && p->t == V_ARRAY && i < val_count(p); i++) {
		struct val e = { 0 };

		val_elem(p, i, &e);
		w = copy;
		if (asprintf(&copy, "%s,%s", w, val_text(&e)) < 0)
			copy = NULL;
		free(w);
		val_free(&e);
	}
	for (w = strtok_r(copy, ",", &save); !rc && w; w = strtok_r(NULL, ",", &save)) {
		if (!strcmp(w, ".id"))
			continue;
		if (!name_ok(w))
			rc = fail(r, 400, "bad property name %s", w);
		cdb_buf_printf(b, "%s%s", first ? " proplist=" : ",", w);
		first = 0;
	}
	free(copy);
	return rc;
}

/* POST .../print {".proplist": [...], ".query": [...]} */
static char *
print(struct rreq *r)
{
	static const char *const known[] = { ".proplist", ".query", NULL };
	struct cdb_buf st = { 0 };
	struct val v = { 0 }, key = { 0 }, p = { 0 }, q = { 0 };
	char *json = NULL;
	int rc = 0;

	for (int i = 0; !rc && i < val_count(&r->body); i++) {
		const char *k = val_key(&r->body, i);

		if (strcmp(k, known[0]) && strcmp(k, known[1]))
			rc = fail(r, 400, "unknown parameter %s", k);
	}
	cdb_buf_printf(&st, "%s/print as-value", r->m->path);
	val_str(&key, ".proplist");
	val_index(&r->body, &key, &p);
	val_str(&key, ".query");
	val_index(&r->body, &key, &q);
	if (!rc && p.t != V_NOTHING)
		rc = proplist(r, &p, &st);
	if (!rc && q.t != V_NOTHING)
		rc = query(r, &q, &st);
	if (!rc && !run(r, st.s, &v))
		json = rows(r, &v, r->m->kind == M_SINGLE);
	val_free(&v), val_free(&key), val_free(&p), val_free(&q);
	free(st.s);
	return json;
}

/* What a command gave: rows or an array as they are, a value as
 * {"ret": ...}, nothing as [] (or what it printed, as ret). */
static char *
command_answer(struct rreq *r, struct val *v)
{
	struct cdb_buf b = { 0 };
	const char *t = NULL;

	if (v->t == V_ARRAY || v->t == V_IDS)
		json_put_value(&b, v, 1);
	else {
		if (v->t != V_NIL && v->t != V_NOTHING && *val_text(v))
			t = val_text(v);
		else if (r->out && r->outlen)
			t = r->out;
		if (!t)
			return strdup("[]");
		cdb_buf_printf(&b, "{\"ret\":");
		json_put_string(&b, t);
		cdb_buf_printf(&b, "}");
	}
	return b.s;
}

/* POST .../<command>: the menu's own commands and its kind's, the body's
 * members as arguments. quit and edit have no meaning here. */
static char *
command(struct rreq *r)
{
	const char *const *cmds;
	struct cdb_buf st = { 0 };
	struct val v = { 0 };
	char *json = NULL;
	int n, found = 0;

	if (!strcmp(r->extra, "print"))
		return print(r);
	cmds = menu_commands(r->m, &n);
	for (int i = 0; i < n; i++)
		found |= !strcmp(cmds[i], r->extra);
	if (!found || !strcmp(r->extra, "quit") || !strcmp(r->extra, "edit")) {
		fail(r, r->m->parent ? 400 : 404, r->m->parent ? "no such command" :
		     "no such command or directory");
		return NULL;
	}
	cdb_buf_printf(&st, "%s/%s", r->m->parent ? r->m->path : "", r->extra);
	if (!put_args(r, &st, 1) && !run(r, st.s, &v))
		json = command_answer(r, &v);
	val_free(&v);
	free(st.s);
	return json;
}

/* /rest/ip/pool/p1: the longest menu the words name, and the word after
 * (the root menu when the first word is none). */
static int
resolve(struct rreq *r, const char *path)
{
	const struct cdb_catalog *cat = r->sh->db->cat;
	char *save = NULL, *w, *words[REST_MAXSEGS];
	struct cdb_buf mp = { 0 };
	int n = 0, used = 0, rc = 0;

	if (strncmp(path, "/rest", 5) || (path[5] && path[5] != '/'))
		return fail(r, 404, "no such command or directory");
	r->copy = strdup(path + 5);
	r->m = cdb_menu_find(cat, "/");
	for (w = strtok_r(r->copy, "/", &save); w; w = strtok_r(NULL, "/", &save))
		if (n < REST_MAXSEGS)
			words[n++] = w;
		else
			rc = fail(r, 404, "no such command or directory");
	for (; !rc && used < n; used++) {
		size_t len = mp.len;

		cdb_buf_printf(&mp, "/%s", words[used]);
		if (!cdb_menu_find(cat, mp.s)) {
			mp.s[len] = '\0';
			mp.len = len;
			break;
		}
		r->m = cdb_menu_find(cat, mp.s);
	}
	if (!rc && (!r->m || n - used > 1))
		rc = fail(r, 404, "no such command or directory");
	if (!rc && used < n)
		r->extra = words[used];
	free(mp.s);
	return rc;
}

/* The body: a JSON object (or nothing). */
static int
body(struct rreq *r, const char *text, size_t len)
{
	char err[160];

	val_array(&r->body);
	while (len && strchr(" \t\r\n", text[len - 1]))
		len--;
	if (!len)
		return 0;
	val_free(&r->body);
	if (json_parse(text, len, 1, &r->body, err, sizeof(err)))
		return fail(r, 400, "%s", err);
	if (r->body.t != V_ARRAY || (!r->body.keys && val_count(&r->body)))
		return fail(r, 400, "expected a JSON object");
	return 0;
}

char *
rest_handle(struct sh *sh, const char *method, const char *path, const struct val *args,
	    const char *text, size_t len, int *status)
{
	struct rreq r = { .sh = sh, .args = args };
	char *json = NULL;

	if (!resolve(&r, path) && !body(&r, text ? text : "", text ? len : 0)) {
		if (r.m->kind == M_DIR && strcmp(method, "POST"))
			fail(&r, 404, "no such command or directory");
		else if (!strcmp(method, "GET"))
			json = get(&r, r.extra);
		else if (!strcmp(method, "PUT") && !r.extra)
			json = put(&r);
		else if (!strcmp(method, "PATCH"))
			json = patch(&r);
		else if (!strcmp(method, "DELETE"))
			json = delete(&r);
		else if (!strcmp(method, "POST") && r.extra)
			json = command(&r);
		else
			fail(&r, 400, "no such command");
	}
	val_free(&r.body);
	free(r.out);
	free(r.copy);
	if (!json) {
		if (!r.status)
			fail(&r, 500, "internal error");
		json = rest_error(r.status, r.detail);
	}
	*status = r.status ? r.status : 200;
	return json;
}
