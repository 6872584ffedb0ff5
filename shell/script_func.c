/* script_func.c: code as a value. `:global f do={ ... }` and `:parse` make
 * code; `$f a=1 2` runs it with its arguments as local variables ($a, and
 * $1 $2 ... for positional ones); `:execute` and `:retry` run code under a
 * guard. Code is kept as its source text and read anew at each call, as
 * a /system script is. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "script.h"
#include "files.h"

static void
val_code(struct val *v, const char *text, size_t len)
{
	val_free(v);
	v->t = V_CODE;
	v->s = strndup(text, len);
}

/* do={ ... } as code: the text between the braces, not run. Any other
 * value is taken as source text, as :parse takes it. */
int
sc_code_arg(struct sh *sh, struct src *s, const struct sarg *a, struct val *out)
{
	size_t n = a->vend - a->vpos;

	if (n >= 2 && s->text[a->vpos] == '{' && s->text[a->vend - 1] == '}') {
		val_code(out, s->text + a->vpos + 1, n - 2);
		return 0;
	}
	if (sc_eval(sh, s, a, out))
		return -1;
	if (out->t != V_CODE) {
		char *text = strdup(val_text(out));

		val_code(out, text, strlen(text));
		free(text);
	}
	return 0;
}

/* The text must read as statements: brackets and strings closed. */
static int
check_source(struct sh *sh, size_t pos, const char *text)
{
	struct src sub = { text, strlen(text), 0, ":parse" };

	while (src_skip_space(&sub), src_peek(&sub) >= 0) {
		size_t at = sub.pos;

		if (src_peek(&sub) == ';' || src_peek(&sub) == '\n' || src_peek(&sub) == '\\') {
			sub.pos++;
			continue;
		}
		if (sc_skip_value(sh, &sub))
			return sh_fail(sh, pos, "can not parse: %s", sh->err);
		if (sub.pos == at)
			return sh_fail(sh, pos, "can not parse: unexpected %c at %zu",
				       src_peek(&sub), at + 1);
	}
	return 0;
}

/* :parse TEXT */
int
sc_parse(struct sh *sh, struct src *s, size_t pos, const struct sargs *args, struct val *out)
{
	const struct sarg *a = sc_positional(args, 0);
	struct val v = { 0 };
	int rc;

	if (sc_only(sh, args, (const char *const[]){ NULL }, 1))
		return -1;
	if (!a)
		return sh_fail(sh, pos, "expected the text to parse");
	rc = sc_eval(sh, s, a, &v) || check_source(sh, a->vpos, val_text(&v));
	if (!rc)
		val_code(out, v.s, strlen(v.s));
	val_free(&v);
	return rc ? -1 : 0;
}

/* The arguments of a call as a keyed array: named ones by name, positional
 * ones as 1, 2 ..., and 0 the function's name, as RouterOS gives them. */
static int
call_params(struct sh *sh, struct src *s, const char *fname, const struct sargs *args,
	    struct val *params)
{
	struct val v = { 0 };
	int nth = 0;

	val_array(params);
	val_str(&v, fname);
	val_push(params, "0", &v);
	for (int i = 0; i < args->n; i++) {
		char key[16];

		if (sc_eval(sh, s, &args->a[i], &v))
			return -1;
		snprintf(key, sizeof(key), "%d", ++nth);
		if (val_push(params, args->a[i].name ? args->a[i].name : key, &v)) {
			val_free(&v);
			return sh_fail(sh, args->a[i].pos, "too many arguments");
		}
		if (args->a[i].name)
			nth--;
	}
	return 0;
}

/* $f ARGS... as a statement: runs f when it holds code; a variable that
 * holds anything else gives its value, and takes no arguments. */
int
sc_call(struct sh *sh, struct src *s, struct val *ret)
{
	size_t pos = s->pos, from = pos + 1;
	struct sargs args = { .n = 0 };
	struct val fn = { 0 }, params = { 0 };
	char fname[64];
	int rc = -1;

	while (from < s->len && (isalnum((unsigned char)s->text[from]) || s->text[from] == '_'))
		from++;
	snprintf(fname, sizeof(fname), "%.*s", (int)(from - pos - 1), s->text + pos + 1);
	if (sc_dollar(sh, s, &fn) || sc_read_args(sh, s, &args))
		goto out;
	if (fn.t != V_CODE) {
		if (args.n)
			rc = sh_fail(sh, args.a[0].pos, "$%s holds a %s, not code to run", fname,
				     val_type_name(&fn));
		else {
			val_move(ret, &fn);
			rc = 0;
		}
		goto out;
	}
	if (!call_params(sh, s, fname, &args, &params)) {
		char label[80];

		snprintf(label, sizeof(label), "$%s", fname);
		rc = sc_run_source(sh, label, fn.s, &params, ret);
	}
out:
	sc_free_args(&args);
	val_free(&params);
	val_free(&fn);
	return rc;
}

/* The source text of a script= argument: code, or text to be read as code. */
static int
script_text(struct sh *sh, struct src *s, const struct sarg *a, struct val *out)
{
	if (sc_code_arg(sh, s, a, out))
		return -1;
	return check_source(sh, a->vpos, out->s);
}

/* Run text with the console's output going into a memory buffer. A
 * failure inside is part of what it printed, as on a console. */
static int
run_captured(struct sh *sh, const char *text, char **buf, size_t *len)
{
	FILE *saved = sh->out, *mem = open_memstream(buf, len);
	struct val r = { 0 };
	int rc;

	if (!mem)
		return sh_fail(sh, 0, "failure: out of memory");
	sh->out = mem;
	rc = sc_run_source(sh, ":execute", text, NULL, &r);
	if (rc && !sc_fatal(sh)) {
		fprintf(mem, "%s\n", sh->err);
		sh->failed = 0;
		sh->err_placed = 0;
		sh->err[0] = '\0';
		rc = 0;
	}
	val_free(&r);
	sh->out = saved;
	fclose(mem);
	return rc;
}

/* :execute script=CODE [file=NAME] [as-string]: rosh has no background
 * jobs, so the script runs to its end here. What it prints is returned
 * with as-string, written to the file with file=, and otherwise dropped, as
 * a RouterOS job's output is. */
int
sc_execute(struct sh *sh, struct src *s, size_t pos, const struct sargs *args, struct val *out)
{
	const struct sarg *a = sc_named(args, "script"), *f = sc_named(args, "file"), *as = NULL;
	struct val text = { 0 }, file = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int rc;

	for (int i = 0; i < args->n; i++) {
		const struct sarg *p = &args->a[i];

		if (!p->name && p->vend - p->vpos == 9 && !strncmp(s->text + p->vpos, "as-string", 9))
			as = p;		/* a flag without a value */
		else if (!p->name && !a)
			a = p;
		else if (!p->name || (strcmp(p->name, "script") && strcmp(p->name, "file")))
			return sh_fail(sh, p->pos, p->name ? "bad argument name %s" :
				       "expected end of command", p->name);
	}
	if (!a)
		return sh_fail(sh, pos, "missing value of script");
	if (as && f)
		return sh_fail(sh, f->pos, "as-string and file can not be used together");
	rc = script_text(sh, s, a, &text) || (f && sc_eval(sh, s, f, &file)) ||
	     run_captured(sh, text.s, &buf, &len);
	if (!rc && f)
		rc = files_write(sh, f->vpos, val_text(&file), buf, len);
	if (!rc && as)
		val_str(out, buf);
	free(buf);
	val_free(&text);
	val_free(&file);
	return rc ? -1 : 0;
}

/* :retry command={ } [delay=1] [max=3] [on-error={ }]: runs command until it
 * works, at most max times, waiting delay (seconds or a time) between
 * tries; then on-error, or the last failure. */
int
sc_retry(struct sh *sh, struct src *s, size_t pos, const struct sargs *args, struct val *out)
{
	const struct sarg *cmd = sc_named(args, "command"), *d = sc_named(args, "delay");
	const struct sarg *m = sc_named(args, "max"), *err = sc_named(args, "on-error");
	struct val v = { 0 };
	long long wait = 1000, tries = 3;
	char msg[sizeof(sh->err)] = "";
	int rc = 1;

	(void)out;
	if (sc_only(sh, args, (const char *const[]){ "command", "delay", "max", "on-error", NULL },
		    0))
		return -1;
	if (!cmd || s->text[cmd->vpos] != '{')
		return sh_fail(sh, pos, "missing command={ }");
	if (d && (sc_eval(sh, s, d, &v) || sc_time_arg(sh, d->vpos, &v, &wait)))
		return val_free(&v), -1;
	if (m && (sc_eval(sh, s, m, &v) || val_as(&v, V_NUM) || v.n < 1 || v.n > 1000))
		return val_free(&v), m && !sh->failed ? sh_fail(sh, m->vpos,
			"max: expected a number from 1 to 1000") : -1;
	if (m)
		tries = v.n;
	val_free(&v);
	for (long long k = 0; k < tries && rc == 1; k++) {
		if (k && sc_sleep(sh, pos, wait))
			return -1;
		rc = sc_try(sh, s, cmd->vpos, msg, sizeof(msg));
	}
	if (rc <= 0)
		return rc;
	if (err)
		return sc_block(sh, s, err->vpos);
	return sh_fail(sh, cmd->vpos, "%s (after %lld tries)", msg, tries);
}

/* :jobname: the /system script being run, or "" on the console. */
int
sc_jobname(struct sh *sh, struct src *s, size_t pos, const struct sargs *args, struct val *out)
{
	(void)s;
	(void)pos;
	if (sc_only(sh, args, (const char *const[]){ NULL }, 0))
		return -1;
	val_str(out, sh->job ? sh->job : "");
	return 0;
}

/* :nothing: the value of nothing, as an unset variable gives. */
int
sc_nothing(struct sh *sh, struct src *s, size_t pos, const struct sargs *args, struct val *out)
{
	(void)s;
	(void)pos;
	if (sc_only(sh, args, (const char *const[]){ NULL }, 0))
		return -1;
	val_nothing(out);
	return 0;
}
