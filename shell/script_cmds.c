/* script_cmds.c: the colon commands that hold variables and steer the flow:
 * :local :global :set :if :while :do :for :foreach :return, and
 * /system script run. The others are in script_builtins.c. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"
#include "args.h"
#include "items.h"

void
sc_free_args(struct sargs *args)
{
	for (int i = 0; i < args->n; i++)
		free(args->a[i].name);
	args->n = 0;
}

/* The arguments up to the end of the command, each skipped, not run. */
int
sc_read_args(struct sh *sh, struct src *s, struct sargs *args)
{
	while (!src_at_end_of_cmd(s)) {
		struct sarg *a;
		size_t pos = s->pos;

		if (args->n == (int)(sizeof(args->a) / sizeof(args->a[0])))
			return sh_fail(sh, pos, "too many arguments");
		a = &args->a[args->n++];
		memset(a, 0, sizeof(*a));
		a->pos = pos;
		while (s->pos < s->len && (isalnum((unsigned char)s->text[s->pos]) ||
					   s->text[s->pos] == '-' || s->text[s->pos] == '_'))
			s->pos++;
		if (s->pos > pos && src_peek(s) == '=') {
			a->name = strndup(s->text + pos, s->pos - pos);
			s->pos++;
		} else
			s->pos = pos;
		a->vpos = s->pos;
		if (sc_skip_value(sh, s))
			return -1;
		a->vend = s->pos;
		if (!a->name && a->vend == a->vpos)
			return sh_fail(sh, pos, "unexpected %c", src_peek(s));
	}
	return 0;
}

const struct sarg *
sc_named(const struct sargs *args, const char *name)
{
	for (int i = 0; i < args->n; i++)
		if (args->a[i].name && !strcmp(args->a[i].name, name))
			return &args->a[i];
	return NULL;
}

const struct sarg *
sc_positional(const struct sargs *args, int nth)
{
	for (int i = 0; i < args->n; i++)
		if (!args->a[i].name && nth-- == 0)
			return &args->a[i];
	return NULL;
}

/* Only these names, and at most max positional arguments. */
int
sc_only(struct sh *sh, const struct sargs *args, const char *const *names, int max)
{
	int npos = 0;

	for (int i = 0; i < args->n; i++) {
		const struct sarg *a = &args->a[i];
		int ok = 0;

		if (!a->name) {
			if (++npos > max)
				return sh_fail(sh, a->pos, "expected end of command");
			continue;
		}
		for (int k = 0; names[k]; k++)
			ok |= !strcmp(names[k], a->name);
		if (!ok)
			return sh_fail(sh, a->pos, "bad argument name %s", a->name);
	}
	return 0;
}

/* The value of an argument, read from where it was skipped. */
int
sc_eval(struct sh *sh, struct src *s, const struct sarg *a, struct val *out)
{
	size_t saved = s->pos;
	int rc;

	s->pos = a->vpos;
	val_free(out);
	if (a->vend == a->vpos) {
		val_str(out, "");
		return 0;
	}
	rc = sc_value(sh, s, out);
	if (!rc && s->pos != a->vend)
		rc = sh_fail(sh, s->pos, "syntax error");
	if (rc)
		val_free(out);
	s->pos = saved;
	return rc;
}

static int
condition(struct sh *sh, struct src *s, const struct sarg *a, int *yes)
{
	struct val v = { 0 };
	int rc = sc_eval(sh, s, a, &v);

	if (!rc && val_truth(&v, yes))
		rc = sh_fail(sh, a->vpos, "expected a true or false value, got %s",
			     val_type_name(&v));
	val_free(&v);
	return rc;
}

/* A variable name as written after :local, :set, :for, :foreach. */
static int
var_name(struct sh *sh, struct src *s, const struct sarg *a, char *buf, size_t len)
{
	size_t n = a->vend - a->vpos, from = a->vpos;

	if (n && s->text[from] == '$') {
		from++;
		n--;
	}
	if (n && s->text[from] == '"' && n >= 2 && s->text[from + n - 1] == '"') {
		from++;
		n -= 2;
	}
	if (!n || n >= len)
		return sh_fail(sh, a->vpos, "bad variable name");
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s->text[from + i];

		if (!isalnum(c) && c != '_' && c != '-' && c != ',')
			return sh_fail(sh, a->vpos, "bad variable name");
	}
	snprintf(buf, len, "%.*s", (int)n, s->text + from);
	return 0;
}

static int
sc_local(struct sh *sh, struct src *s, const struct sargs *args, int global)
{
	const struct sarg *n = sc_positional(args, 0), *v = sc_positional(args, 1),
			  *code = sc_named(args, "do");
	struct val val = { 0 };
	char name[128];

	if (sc_only(sh, args, (const char *const[]){ "do", NULL }, code ? 1 : 2))
		return -1;
	if (!n)
		return sh_fail(sh, s->pos, "expected a variable name");
	if (var_name(sh, s, n, name, sizeof(name)))
		return -1;
	if (code ? sc_code_arg(sh, s, code, &val) : v && sc_eval(sh, s, v, &val))
		return -1;
	return sc_define(sh, n->vpos, name, global, &val);
}

/* :set NAME [VALUE], :set ($NAME->KEY) VALUE */
static int
set_element(struct sh *sh, struct src *s, const struct sarg *n, struct val *val)
{
	struct src e = { s->text, n->vend, n->vpos + 1, s->name };
	struct val key = { 0 };
	struct val *slot;
	size_t from, at;
	char *name;
	int rc;

	src_skip_space(&e);
	at = e.pos;
	if (src_peek(&e) != '$')
		return sh_fail(sh, at, "expected $variable->key");
	from = ++e.pos;
	while (e.pos < e.len && (isalnum((unsigned char)e.text[e.pos]) || e.text[e.pos] == '_'))
		e.pos++;
	name = strndup(e.text + from, e.pos - from);
	slot = sc_lookup(sh, name);
	free(name);
	if (!slot)
		return sh_fail(sh, at, "no such variable");
	if (e.pos + 2 > e.len || strncmp(e.text + e.pos, "->", 2))
		return sh_fail(sh, e.pos, "expected ->");
	e.pos += 2;
	if (sc_value(sh, &e, &key))
		return -1;
	src_skip_space(&e);
	if (src_peek(&e) != ')') {
		val_free(&key);
		return sh_fail(sh, e.pos, "expected )");
	}
	if (slot->t != V_ARRAY) {
		struct val arr = { 0 };

		val_array(&arr);
		for (int i = 0; slot->t == V_IDS && i < slot->nids; i++) {
			struct val id = { 0 };

			val_id(&id, slot->ids[i]);
			val_push(&arr, NULL, &id);
		}
		rc = sc_assign(sh, n->vpos, slot, &arr);
		if (rc) {
			val_free(&key);
			return -1;
		}
	}
	/* in place: a loop filling an array must not copy it each turn */
	{
		long long before = val_weight(slot);

		if (!slot->keys && !val_as(&key, V_NUM) && key.n >= 0 && key.n < slot->nel) {
			slot->n += val_weight(val) - val_weight(&slot->el[key.n]);
			val_move(&slot->el[key.n], val);
			free(slot->s);
			slot->s = NULL;
			rc = 0;
		} else if (!slot->keys && key.t == V_NUM && key.n == slot->nel)
			rc = val_push(slot, NULL, val) ? sh_fail(sh, n->vpos, "array too big") : 0;
		else if (!slot->keys && slot->nel && key.t == V_NUM)
			rc = sh_fail(sh, n->vpos, "index out of range");
		else
			rc = val_push(slot, val_text(&key), val) ? sh_fail(sh, n->vpos, "array too big") : 0;
		if (!rc)
			rc = sc_account(sh, n->vpos, val_weight(slot) - before);
	}
	val_free(&key);
	return rc;
}

static int
sc_set(struct sh *sh, struct src *s, const struct sargs *args)
{
	const struct sarg *n = sc_positional(args, 0), *v = sc_positional(args, 1);
	struct val val = { 0 }, *slot;
	char name[128];
	int rc;

	if (sc_only(sh, args, (const char *const[]){ NULL }, 2))
		return -1;
	if (!n)
		return sh_fail(sh, s->pos, "expected a variable name");
	if (v && sc_eval(sh, s, v, &val))
		return -1;
	if (!v)
		val_nothing(&val);
	if (s->text[n->vpos] == '(') {
		rc = set_element(sh, s, n, &val);
		val_free(&val);
		return rc;
	}
	if (var_name(sh, s, n, name, sizeof(name))) {
		val_free(&val);
		return -1;
	}
	if (!(slot = sc_lookup(sh, name))) {
		val_free(&val);
		return sh_fail(sh, n->vpos, "no such variable %s", name);
	}
	return sc_assign(sh, n->vpos, slot, &val);
}

static int
sc_if(struct sh *sh, struct src *s, const struct sargs *args)
{
	const struct sarg *c = sc_positional(args, 0), *d = sc_named(args, "do"),
			  *e = sc_named(args, "else");
	int yes;

	if (sc_only(sh, args, (const char *const[]){ "do", "else", NULL }, 1))
		return -1;
	if (!c || !d)
		return sh_fail(sh, s->pos, c ? "missing do={ }" : "missing condition");
	if (condition(sh, s, c, &yes))
		return -1;
	if (yes)
		return sc_block(sh, s, d->vpos);
	return e ? sc_block(sh, s, e->vpos) : 0;
}

static int
sc_while(struct sh *sh, struct src *s, const struct sargs *args, size_t pos)
{
	const struct sarg *c = sc_positional(args, 0), *d = sc_named(args, "do");
	int yes;

	if (sc_only(sh, args, (const char *const[]){ "do", NULL }, 1))
		return -1;
	if (!c || !d)
		return sh_fail(sh, pos, c ? "missing do={ }" : "missing condition");
	for (;;) {
		if (sc_step(sh, pos) || condition(sh, s, c, &yes))
			return -1;
		if (!yes)
			return 0;
		if (sc_block(sh, s, d->vpos))
			return -1;
		if (sc_returning(sh))
			return 0;
	}
}

/* Run the block at body as one savepoint: 0 when it worked, 1 when it failed
 * and was undone (its message in msg, the failure cleared), -1 when a bound
 * stopped the script or the savepoint itself failed. */
int
sc_try(struct sh *sh, struct src *s, size_t body, char *msg, size_t msglen)
{
	struct cdb_err e;

	if (cdb_begin(sh->db, &e))
		return sh_fail(sh, body, "%s", e.msg);
	if (!sc_block(sh, s, body))
		return cdb_commit(sh->db, &e) ? sh_fail(sh, body, "%s", e.msg) : 0;
	cdb_rollback(sh->db);
	if (sc_fatal(sh))
		return -1;
	if (msg)
		snprintf(msg, msglen, "%s", sh->err);
	sh->failed = 0;
	sh->err_placed = 0;
	sh->err[0] = '\0';
	return 1;
}

/* The body, and on failure (unless a bound stopped the script) undo what it
 * did and run on-error. */
static int
guarded(struct sh *sh, struct src *s, size_t body, const struct sarg *on_error)
{
	int rc;

	if (!on_error)
		return sc_block(sh, s, body);
	rc = sc_try(sh, s, body, NULL, 0);
	if (rc <= 0)
		return rc;
	return sc_block(sh, s, on_error->vpos);
}

/* :onerror NAME in={ } do={ }: like :do on-error, with the message in NAME;
 * true when in= failed. */
static int
sc_onerror(struct sh *sh, struct src *s, const struct sargs *args, size_t pos, struct val *ret)
{
	const struct sarg *n = sc_positional(args, 0), *in = sc_named(args, "in"),
			  *d = sc_named(args, "do");
	struct val msg = { 0 };
	char name[128], err[sizeof(sh->err)];
	int rc;

	if (sc_only(sh, args, (const char *const[]){ "in", "do", NULL }, 1))
		return -1;
	if (!n || !in || !d)
		return sh_fail(sh, pos, "expected :onerror NAME in={ } do={ }");
	if (var_name(sh, s, n, name, sizeof(name)))
		return -1;
	rc = sc_try(sh, s, in->vpos, err, sizeof(err));
	if (rc <= 0) {
		if (!rc)
			val_bool(ret, 0);
		return rc;
	}
	val_str(&msg, err);
	sc_push(sh);
	rc = sc_define(sh, n->vpos, name, 0, &msg) || sc_block(sh, s, d->vpos);
	sc_pop(sh);
	if (!rc)
		val_bool(ret, 1);
	return rc ? -1 : 0;
}

/* :do { } [while=( )] [on-error={ }] */
static int
sc_do(struct sh *sh, struct src *s, const struct sargs *args, size_t pos)
{
	const struct sarg *body = sc_positional(args, 0), *w = sc_named(args, "while"),
			  *err = sc_named(args, "on-error");
	int yes = 1;

	if (!body)
		body = sc_named(args, "command");
	if (sc_only(sh, args, (const char *const[]){ "while", "on-error", "command", NULL }, 1))
		return -1;
	if (!body)
		return sh_fail(sh, pos, "missing { } block");
	while (yes) {
		if (sc_step(sh, pos) || guarded(sh, s, body->vpos, err))
			return -1;
		if (sc_returning(sh) || !w)
			return 0;
		if (condition(sh, s, w, &yes))
			return -1;
	}
	return 0;
}

static int
num_arg(struct sh *sh, struct src *s, const struct sarg *a, long long *n)
{
	struct val v = { 0 };
	int rc = sc_eval(sh, s, a, &v);

	if (!rc && val_as(&v, V_NUM))
		rc = sh_fail(sh, a->vpos, "expected a number");
	*n = v.n;
	val_free(&v);
	return rc;
}

/* :for i from=A to=B [step=C] do={ } -- counts down when B < A. */
static int
sc_for(struct sh *sh, struct src *s, const struct sargs *args, size_t pos)
{
	const struct sarg *n = sc_positional(args, 0), *f = sc_named(args, "from"),
			  *t = sc_named(args, "to"), *st = sc_named(args, "step"),
			  *d = sc_named(args, "do");
	long long from, to, step;
	char name[128];
	int rc = 0;

	if (sc_only(sh, args, (const char *const[]){ "from", "to", "step", "do", NULL }, 1))
		return -1;
	if (!n || !f || !t || !d)
		return sh_fail(sh, pos, "expected :for NAME from= to= do={ }");
	if (var_name(sh, s, n, name, sizeof(name)) || num_arg(sh, s, f, &from) ||
	    num_arg(sh, s, t, &to))
		return -1;
	step = to < from ? -1 : 1;
	if (st && num_arg(sh, s, st, &step))
		return -1;
	if (step == 0)
		return sh_fail(sh, st->vpos, "step can not be 0");
	sc_push(sh);
	for (long long i = from; !rc && (step > 0 ? i <= to : i >= to); i += step) {
		struct val v = { 0 };

		val_num(&v, i);
		rc = sc_step(sh, pos) || sc_define(sh, n->vpos, name, 0, &v) ||
		     sc_block(sh, s, d->vpos);
		if (sc_returning(sh) || (step > 0 ? i > 0x7fffffffffffffffLL - step :
					 i < -0x7fffffffffffffffLL + (-step)))
			break;
	}
	sc_pop(sh);
	return rc ? -1 : 0;
}

/* :foreach v in=X do={ }, :foreach k,v in=X do={ } */
static int
sc_foreach(struct sh *sh, struct src *s, const struct sargs *args, size_t pos)
{
	const struct sarg *n = sc_positional(args, 0), *in = sc_named(args, "in"),
			  *d = sc_named(args, "do");
	struct val list = { 0 };
	char name[128], *comma;
	int rc = 0;

	if (sc_only(sh, args, (const char *const[]){ "in", "do", NULL }, 1))
		return -1;
	if (!n || !in || !d)
		return sh_fail(sh, pos, "expected :foreach NAME in= do={ }");
	if (var_name(sh, s, n, name, sizeof(name)) || sc_eval(sh, s, in, &list))
		return -1;
	comma = strchr(name, ',');
	if (comma)
		*comma++ = '\0';
	sc_push(sh);
	for (int i = 0; !rc && i < val_count(&list) && list.t != V_NOTHING; i++) {
		struct val k = { 0 }, v = { 0 };
		const char *key = val_key(&list, i);

		if (key)
			val_str(&k, key);
		else
			val_num(&k, i);
		val_elem(&list, i, &v);
		rc = sc_step(sh, pos) ||
		     (comma && (sc_define(sh, n->vpos, name, 0, &k) ||
				sc_define(sh, n->vpos, comma, 0, &v))) ||
		     (!comma && sc_define(sh, n->vpos, name, 0, &v)) ||
		     sc_block(sh, s, d->vpos);
		val_free(&k);
		val_free(&v);
		if (sc_returning(sh))
			break;
	}
	sc_pop(sh);
	val_free(&list);
	return rc ? -1 : 0;
}

static int
sc_return(struct sh *sh, struct src *s, const struct sargs *args)
{
	const struct sarg *v = sc_positional(args, 0);
	struct val val = { 0 };

	if (sc_only(sh, args, (const char *const[]){ NULL }, 1) || (v && sc_eval(sh, s, v, &val)))
		return -1;
	sc_set_return(sh, &val);
	return 0;
}

/* :NAME ARGS... */
int
sc_colon(struct sh *sh, struct src *s, struct val *ret)
{
	size_t pos = s->pos++, from = s->pos;
	struct sargs args = { .n = 0 };
	char name[32];
	int rc, found = 0;

	while (s->pos < s->len && (isalnum((unsigned char)s->text[s->pos]) ||
				   s->text[s->pos] == '-'))
		s->pos++;
	snprintf(name, sizeof(name), "%.*s", (int)(s->pos - from), s->text + from);
	if (s->pos - from >= sizeof(name) || !*name)
		return sh_fail(sh, pos, "bad command name %.*s", (int)(s->pos - from > 40 ? 40 :
			       s->pos - from), s->text + from);
	if (sc_read_args(sh, s, &args)) {
		sc_free_args(&args);
		return -1;
	}
	if (!strcmp(name, "local") || !strcmp(name, "global"))
		rc = sc_local(sh, s, &args, name[0] == 'g');
	else if (!strcmp(name, "set"))
		rc = sc_set(sh, s, &args);
	else if (!strcmp(name, "if"))
		rc = sc_if(sh, s, &args);
	else if (!strcmp(name, "while"))
		rc = sc_while(sh, s, &args, pos);
	else if (!strcmp(name, "do"))
		rc = sc_do(sh, s, &args, pos);
	else if (!strcmp(name, "onerror"))
		rc = sc_onerror(sh, s, &args, pos, ret);
	else if (!strcmp(name, "for"))
		rc = sc_for(sh, s, &args, pos);
	else if (!strcmp(name, "foreach"))
		rc = sc_foreach(sh, s, &args, pos);
	else if (!strcmp(name, "return"))
		rc = sc_return(sh, s, &args);
	else {
		rc = sc_builtin(sh, s, name, pos, &args, ret, &found);
		if (!found)
			rc = sc_builtin_more(sh, s, name, pos, &args, ret, &found);
		if (!found)
			rc = sh_fail(sh, pos, "bad command name %s", name);
	}
	sc_free_args(&args);
	return rc;
}

/* /system script run NAME: the source runs as a script of its own; what it
 * gives to :return is the value of run. */
int
cmd_script_run(struct cmdctx *c)
{
	struct arg *a = arg_unnamed(c, 0);
	struct cdb *db = c->sh->db;
	struct cdb_item it = { 0 };
	struct cdb_err e;
	long long *ids;
	unsigned want, had;
	int n, rc, restricted;
	const char *src, *job;
	char *text, *name;

	if (sh_only_args(c, (const char *const[]){ "number", NULL }, 1))
		return -1;
	if (!a && !(a = arg_find(c, "number")))
		return sh_fail(c->sh, c->cmdpos, "missing value of number");
	if (sh_items(c->sh, a->pos, c->m, &a->v, &ids, &n))
		return -1;
	if (n != 1) {
		free(ids);
		return sh_fail(c->sh, a->pos, n ? "more than one script" : "no such item");
	}
	rc = cdb_item_get(c->sh->db, c->m, ids[0], &it, &e);
	free(ids);
	if (rc)
		return sh_fail(c->sh, a->pos, "%s", e.msg);
	want = cdb_policy_bits(cdb_item_text(c->m, &it, "policy"));
	if (!cdb_policy_covers(db, want)) {	/* a script can not lend its runner rights */
		cdb_item_clear(&it);
		return sh_fail(c->sh, a->pos, "not enough permissions (9)");
	}
	src = cdb_item_text(c->m, &it, "source");
	text = strdup(src ? src : "");
	src = cdb_item_text(c->m, &it, "name");
	name = strdup(src ? src : "");
	cdb_item_clear(&it);
	job = c->sh->job;
	c->sh->job = name;
	had = db->policy;
	restricted = db->restricted;
	cdb_set_policy(db, restricted ? had & want : want);	/* it runs with its own policy */
	rc = sc_run_source(c->sh, name, text, NULL, c->ret);
	db->policy = had;
	db->restricted = restricted;
	c->sh->job = job;
	free(text);
	free(name);
	return rc;
}
