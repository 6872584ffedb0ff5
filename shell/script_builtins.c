/* script_builtins.c: the colon commands that compute or print a value:
 * :put :len :tostr :tonum :typeof :toarray :tobool :toip :totime :pick
 * :find :error :log :delay, and
 * :resolve, refused since rosh looks up no names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "script.h"
#include "menu.h"

/* The positional values, evaluated, exactly min..max of them. */
static int
values(struct sh *sh, struct src *s, const char *cmd, size_t pos, const struct sargs *args,
       struct val *v, int min, int max)
{
	int n = 0;

	for (int i = 0; i < args->n; i++) {
		if (args->a[i].name)
			return sh_fail(sh, args->a[i].pos, "bad argument name %s", args->a[i].name);
		if (n == max)
			return sh_fail(sh, args->a[i].pos, "expected end of command");
		if (sc_eval(sh, s, &args->a[i], &v[n++]))
			return -1;
	}
	if (n < min)
		return sh_fail(sh, pos, "missing value for :%s", cmd);
	return 0;
}

static void
put(struct sh *sh, struct val *v)
{
	fprintf(sh->out, "%s\n", val_text(v));
}

static void
substring(struct val *v, long long from, long long to, struct val *out)
{
	const char *t = val_text(v);
	long long len = (long long)strlen(t);
	char *piece;

	from = from < 0 ? 0 : from;
	to = to > len ? len : to;
	if (from >= to) {
		val_nothing(out);
		return;
	}
	piece = strndup(t + from, (size_t)(to - from));
	val_str(out, piece);
	free(piece);
}

/* :pick X START [END]: one element or character, or those from START to
 * before END. */
static int
pick(struct sh *sh, size_t pos, struct val *v, struct val *out)
{
	long long from, to;
	int array = v[0].t == V_ARRAY || v[0].t == V_IDS;

	if (val_as(&v[1], V_NUM) || (v[2].t != V_NIL && val_as(&v[2], V_NUM)))
		return sh_fail(sh, pos, "expected a number for the position");
	from = v[1].n;
	to = v[2].t == V_NIL ? from + 1 : v[2].n;
	if (!array) {
		substring(&v[0], from, to, out);
		return 0;
	}
	if (v[2].t == V_NIL) {
		if (from >= 0 && from < val_count(&v[0]))
			val_elem(&v[0], (int)from, out);
		else
			val_nothing(out);
		return 0;
	}
	val_array(out);
	for (long long i = from < 0 ? 0 : from; i < to && i < val_count(&v[0]); i++) {
		struct val e = { 0 };
		const char *key = val_key(&v[0], (int)i);

		val_elem(&v[0], (int)i, &e);
		val_push(out, key, &e);
	}
	return 0;
}

/* :find X WHAT [AFTER]: the position of WHAT in X after AFTER (-1: from
 * the start), or nil. */
static int
find(struct sh *sh, size_t pos, struct val *v, struct val *out)
{
	long long after = -1;

	if (v[2].t != V_NIL && val_as(&v[2], V_NUM))
		return sh_fail(sh, pos, "expected a number for the position");
	if (v[2].t != V_NIL)
		after = v[2].n;
	val_free(out);
	if (v[0].t == V_ARRAY || v[0].t == V_IDS) {
		for (long long i = after + 1 < 0 ? 0 : after + 1; i < val_count(&v[0]); i++) {
			struct val e = { 0 };
			int same;

			val_elem(&v[0], (int)i, &e);
			same = !strcmp(val_text(&e), val_text(&v[1]));
			val_free(&e);
			if (same) {
				val_num(out, i);
				return 0;
			}
		}
		return 0;
	}
	{
		const char *t = val_text(&v[0]), *hit;
		long long len = (long long)strlen(t), from = after + 1 < 0 ? 0 : after + 1;

		if (from <= len && (hit = strstr(t + from, val_text(&v[1]))))
			val_num(out, hit - t);
	}
	return 0;
}

static int
tonum(struct val *v, struct val *out)
{
	if (v->t == V_TIME)
		val_num(out, v->n / 1000);
	else if (v->t == V_BOOL || v->t == V_NUM || v->t == V_ID)
		val_num(out, v->n);
	else if (!val_as(v, V_NUM))
		val_num(out, v->n);
	else
		val_free(out);
	return 0;
}

/* :toarray :tobool :toip :totime: the value as that type, or nothing. */
static void
convert(const char *to, struct val *v, struct val *out)
{
	val_free(out);
	if (!strcmp(to, "toarray")) {
		char *copy, *save = NULL, *w;

		if (v->t == V_ARRAY || v->t == V_IDS) {
			val_copy(out, v);
			return;
		}
		val_array(out);
		copy = strdup(val_text(v));
		for (w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
			struct val e = { 0 };

			val_str(&e, w);
			val_type_word(&e);
			if (val_push(out, NULL, &e))
				break;
		}
		free(copy);
	} else if (!strcmp(to, "tobool")) {
		int yes;

		if (!val_truth(v, &yes) && v->t != V_NIL && v->t != V_NOTHING &&
		    (v->t != V_STR || *v->s))
			val_bool(out, yes);
	} else if (!strcmp(to, "toip") ? !val_as(v, V_IP) : !strcmp(to, "totime") &&
		   (v->t == V_NUM ? (val_time(v, v->n * 1000), 1) : !val_as(v, V_TIME))) {
		val_copy(out, v);
	}
}

/* :log LEVEL MESSAGE into /log, as the engine writes it (topic script). */
static int
log_msg(struct sh *sh, size_t pos, struct val *v)
{
	static const char *const levels[] = { "info", "warning", "error", "debug" };
	char topics[32];
	struct cdb_err e;
	int k;

	if (sh_match(sh, pos, "log level", val_text(&v[0]), levels, 4, &k))
		return -1;
	snprintf(topics, sizeof(topics), "script,%s", levels[k]);
	/* configdb keeps the newest thousand rows, as for the engine's lines */
	if (cdb_log_add(sh->db, topics, val_text(&v[1]), &e))
		return sh_fail(sh, pos, "%s", e.msg);
	return 0;
}

/* A time argument: a number of seconds, or a time such as 500ms. */
int
sc_time_arg(struct sh *sh, size_t pos, struct val *v, long long *ms)
{
	if (!val_as(v, V_NUM) && v->n >= 0 && v->n <= 86400LL * 7)
		*ms = v->n * 1000;
	else if (!val_as(v, V_TIME) && v->n >= 0)
		*ms = v->n;
	else
		return sh_fail(sh, pos, "expected a time such as 1s or 500ms");
	return 0;
}

/* Sleep ms within the line's :delay budget, holding no lock meanwhile. */
int
sc_sleep(struct sh *sh, size_t pos, long long ms)
{
	struct timespec ts;

	if (sc_delay_budget(sh, pos, ms) || sh_before_wait(sh, pos))
		return -1;
	fflush(sh->out);
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts))
		;
	return 0;
}

static int
delay(struct sh *sh, size_t pos, struct val *v)
{
	long long ms;

	return sc_time_arg(sh, pos, v, &ms) || sc_sleep(sh, pos, ms) ? -1 : 0;
}

int
sc_builtin(struct sh *sh, struct src *s, const char *name, size_t pos,
	   const struct sargs *args, struct val *ret, int *found)
{
	struct val v[3] = { { 0 }, { 0 }, { 0 } }, out = { 0 };
	int rc = -1;

	*found = 1;
	if (!strcmp(name, "put")) {
		if (!values(sh, s, name, pos, args, v, 0, 1)) {
			put(sh, &v[0]);
			rc = 0;
		}
	} else if (!strcmp(name, "len") || !strcmp(name, "tostr") || !strcmp(name, "tonum") ||
		   !strcmp(name, "typeof")) {
		if (!values(sh, s, name, pos, args, v, 1, 1)) {
			rc = 0;
			if (name[0] == 'l')
				val_num(&out, v[0].t == V_ARRAY || v[0].t == V_IDS ? val_count(&v[0]) :
					(long long)strlen(val_text(&v[0])));
			else if (!strcmp(name, "tostr"))
				val_str(&out, val_text(&v[0]));
			else if (!strcmp(name, "tonum"))
				rc = tonum(&v[0], &out);
			else
				val_str(&out, val_type_name(&v[0]));
		}
	} else if (!strcmp(name, "toarray") || !strcmp(name, "tobool") ||
		   !strcmp(name, "toip") || !strcmp(name, "totime")) {
		if (!values(sh, s, name, pos, args, v, 1, 1)) {
			convert(name, &v[0], &out);
			rc = 0;
		}
	} else if (!strcmp(name, "pick")) {
		if (!values(sh, s, name, pos, args, v, 2, 3))
			rc = pick(sh, pos, v, &out);
	} else if (!strcmp(name, "find")) {
		if (!values(sh, s, name, pos, args, v, 2, 3))
			rc = find(sh, pos, v, &out);
	} else if (!strcmp(name, "error")) {
		if (!values(sh, s, name, pos, args, v, 1, 1))
			rc = sh_fail(sh, pos, "%s", val_text(&v[0]));
	} else if (!strcmp(name, "log")) {
		if (!values(sh, s, name, pos, args, v, 2, 2))
			rc = log_msg(sh, pos, v);
	} else if (!strcmp(name, "delay")) {
		const struct sarg *t = sc_named(args, "delay-time");

		if (t && args->n == 1)
			rc = sc_eval(sh, s, t, &v[0]) || delay(sh, pos, &v[0]);
		else if (!values(sh, s, name, pos, args, v, 1, 1))
			rc = delay(sh, pos, &v[0]);
	} else if (!strcmp(name, "resolve")) {
		rc = sh_fail(sh, pos, "failure: :resolve is not available, rosh looks up no "
			     "names (it works offline)");
	} else
		*found = 0;
	if (!rc)
		val_move(ret, &out);
	val_free(&out);
	for (int i = 0; i < 3; i++)
		val_free(&v[i]);
	return rc ? -1 : 0;
}

/* The commands that take named arguments and give a value. */
static const struct {
	const char *name;
	sc_cmd_fn *fn;
} more[] = {
	{ "parse", sc_parse }, { "execute", sc_execute }, { "retry", sc_retry },
	{ "jobname", sc_jobname }, { "serialize", sc_serialize },
	{ "deserialize", sc_deserialize }, { "convert", sc_convert },
	{ "rndnum", sc_rndnum }, { "rndstr", sc_rndstr }, { "timestamp", sc_timestamp },
	{ "nothing", sc_nothing },
};

int
sc_builtin_more(struct sh *sh, struct src *s, const char *name, size_t pos,
		const struct sargs *args, struct val *ret, int *found)
{
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		struct val out = { 0 };
		int rc;

		if (strcmp(name, more[i].name))
			continue;
		*found = 1;
		rc = more[i].fn(sh, s, pos, args, &out);
		if (!rc)
			val_move(ret, &out);
		val_free(&out);
		return rc ? -1 : 0;
	}
	*found = 0;
	return 0;
}
