/* script_value.c: the typed values of scripts (str, num, bool, array, id, ip,
 * ip-prefix, time, nil, nothing): making them, typing bare words, their text
 * as :put shows it, and element access. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

void
val_num(struct val *v, long long n)
{
	val_free(v);
	v->t = V_NUM;
	v->n = n;
}

void
val_bool(struct val *v, int b)
{
	val_free(v);
	v->t = V_BOOL;
	v->n = b != 0;
}

void
val_id(struct val *v, long long id)
{
	val_free(v);
	v->t = V_ID;
	v->n = id;
	v->s = fmt_id(id);
}

void
val_time(struct val *v, long long ms)
{
	val_free(v);
	v->t = V_TIME;
	v->n = ms;
}

void
val_nothing(struct val *v)
{
	val_free(v);
	v->t = V_NOTHING;
}

void
val_array(struct val *v)
{
	val_free(v);
	v->t = V_ARRAY;
}

/* Room for n elements: arrays grow by doubling, so room is the power of two
 * at or above n, and a push reallocates only when nel is a power of two. */
static size_t
room(int n)
{
	size_t r = 4;

	while (r < (size_t)n)
		r *= 2;
	return r;
}

static int
full(int n)
{
	return n >= 4 && (n & (n - 1)) == 0;
}

void
val_copy(struct val *dst, const struct val *src)
{
	struct val v = { .t = src->t, .n = src->n, .nids = src->nids };

	if (src->s)
		v.s = strdup(src->s);
	if (src->ids) {
		v.ids = malloc(sizeof(*v.ids) * (src->nids ? src->nids : 1));
		memcpy(v.ids, src->ids, sizeof(*v.ids) * src->nids);
	}
	if (src->nel) {
		v.el = calloc(room(src->nel), sizeof(*v.el));
		if (src->keys)
			v.keys = calloc(room(src->nel), sizeof(*v.keys));
		for (int i = 0; i < src->nel; i++) {
			val_copy(&v.el[i], &src->el[i]);
			if (src->keys)
				v.keys[i] = strdup(src->keys[i]);
		}
		v.nel = src->nel;
	}
	val_free(dst);
	*dst = v;
}

void
val_move(struct val *dst, struct val *src)
{
	val_free(dst);
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

/* Bytes a value holds, about: what bounds arrays and variables. An array
 * keeps its total in n. */
long long
val_weight(const struct val *v)
{
	if (v->t == V_ARRAY)
		return v->n + 32;
	if (v->t == V_IDS)
		return 8LL * v->nids + 32;
	return (v->s ? (long long)strlen(v->s) : 0) + 32;
}

/* Append (or replace the element with the same key); takes the value.
 * -1 when the array is full. */
int
val_push(struct val *arr, const char *key, struct val *moved)
{
	long long w = val_weight(moved);

	if (arr->n + w > SC_MAXBYTES) {
		val_free(moved);
		return -1;
	}
	if (key && (arr->keys || !arr->nel)) {
		for (int i = 0; i < arr->nel; i++)
			if (!strcmp(arr->keys[i], key)) {
				arr->n += w - val_weight(&arr->el[i]);
				val_move(&arr->el[i], moved);
				free(arr->s);
				arr->s = NULL;
				return 0;
			}
	}
	if (arr->nel >= (arr->keys || key ? SC_MAXKEYS : SC_MAXARRAY)) {
		val_free(moved);
		return -1;
	}
	free(arr->s);
	arr->s = NULL;
	if (!arr->el || full(arr->nel))
		arr->el = realloc(arr->el, sizeof(*arr->el) * room(arr->nel + 1));
	if (key && !arr->keys) {
		/* a list gaining a key: its elements are keyed by position */
		arr->keys = calloc(room(arr->nel + 1), sizeof(*arr->keys));
		for (int i = 0; i < arr->nel; i++)
			if (asprintf(&arr->keys[i], "%d", i) < 0)
				arr->keys[i] = strdup("");
	} else if (arr->keys && full(arr->nel))
		arr->keys = realloc(arr->keys, sizeof(*arr->keys) * room(arr->nel + 1));
	if (arr->keys)
		arr->keys[arr->nel] = strdup(key ? key : "");
	arr->n += w;
	arr->el[arr->nel] = *moved;
	memset(moved, 0, sizeof(*moved));
	arr->nel++;
	return 0;
}

static int
all_digits(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s || strlen(s) > 19)
		return 0;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return 0;
	return 1;
}

/* "HH:MM:SS" with an optional ".fff"; adds to *ms. */
static int
clock_part(const char *s, long long *ms)
{
	unsigned h, m, sec, frac = 0;
	int n = 0, fn = 0;

	if (sscanf(s, "%u:%2u:%2u%n", &h, &m, &sec, &n) != 3 || m > 59 || sec > 59 || h > 100000)
		return -1;
	s += n;
	if (*s == '.') {
		if (sscanf(s + 1, "%3u%n", &frac, &fn) != 1 || s[1 + fn])
			return -1;
		for (int k = fn; k < 3; k++)
			frac *= 10;
	} else if (*s)
		return -1;
	*ms += ((long long)h * 3600 + m * 60 + sec) * 1000 + frac;
	return 0;
}

/* A time: 1w2d3h4m5s, 500ms, 00:01:30, 1d02:00:00. A bare number is not one. */
int
val_parse_time(const char *s, long long *ms)
{
	static const struct { const char *u; long long ms; } units[] = {
		{ "ms", 1 }, { "w", 604800000LL }, { "d", 86400000LL }, { "h", 3600000LL },
		{ "m", 60000LL }, { "s", 1000LL },
	};
	long long total = 0;
	int groups = 0;

	while (*s) {
		long long n = 0;
		const char *start = s;
		size_t k;

		while (isdigit((unsigned char)*s) && s - start < 12)
			n = n * 10 + (*s++ - '0');
		if (s == start || isdigit((unsigned char)*s))
			return -1;
		if (*s == ':')
			return clock_part(start, &total) ? -1 : (*ms = total, 0);
		for (k = 0; k < sizeof(units) / sizeof(units[0]); k++)
			if (!strncmp(s, units[k].u, strlen(units[k].u)))
				break;
		if (k == sizeof(units) / sizeof(units[0]))
			return -1;
		s += strlen(units[k].u);
		total += n * units[k].ms;
		groups++;
	}
	if (!groups)
		return -1;
	*ms = total;
	return 0;
}

/* As RouterOS shows a time: [Nw][Nd]HH:MM:SS[.mmm]. */
char *
val_fmt_time(long long ms)
{
	char buf[96];
	size_t off = 0;
	unsigned long long v = ms < 0 ? 0 - (unsigned long long)ms : (unsigned long long)ms;
	unsigned long long secs = v / 1000, w = secs / 604800, d = secs / 86400 % 7;

	if (ms < 0)
		buf[off++] = '-';
	if (w)
		off += snprintf(buf + off, sizeof(buf) - off, "%lluw", w);
	if (d)
		off += snprintf(buf + off, sizeof(buf) - off, "%llud", d);
	off += snprintf(buf + off, sizeof(buf) - off, "%02llu:%02llu:%02llu", secs / 3600 % 24,
			secs / 60 % 60, secs % 60);
	if (v % 1000)
		snprintf(buf + off, sizeof(buf) - off, ".%03llu", v % 1000);
	return strdup(buf);
}

/* A bare word of a script is typed by its look, as RouterOS types it. */
void
val_type_word(struct val *v)
{
	const char *s;
	uint32_t ip;
	long long ms;

	if (v->t != V_STR || !v->s)
		return;
	s = v->s;
	if (!strcmp(s, "true") || !strcmp(s, "false")) {
		val_bool(v, s[0] == 't');
	} else if (all_digits(s)) {
		long long n;

		errno = 0;
		n = strtoll(s, NULL, 10);
		if (errno != ERANGE)
			val_num(v, n);
	} else if (s[0] == '*' && s[1] && strlen(s) < 17 &&
		   strspn(s + 1, "0123456789abcdefABCDEF") == strlen(s + 1)) {
		val_id(v, strtoll(s + 1, NULL, 16));
	} else if (!cdb_parse_ip4(s, &ip)) {
		v->t = V_IP;
	} else if (strchr(s, '/')) {
		char a[32];
		const char *slash = strchr(s, '/');

		if (slash - s < (int)sizeof(a) && all_digits(slash + 1) && slash[1] != '-' &&
		    atoi(slash + 1) <= 32 && strlen(slash + 1) <= 2) {
			snprintf(a, sizeof(a), "%.*s", (int)(slash - s), s);
			if (!cdb_parse_ip4(a, &ip))
				v->t = V_PREFIX;
		}
	} else if (!val_parse_time(s, &ms)) {
		val_time(v, ms);
	}
}

/* Turn a str into type t when its text is one (values from get are text). */
int
val_as(struct val *v, enum val_type t)
{
	struct val c = { 0 };

	if (v->t == t)
		return 0;
	if (v->t != V_STR)
		return -1;
	if (t == V_BOOL && (!strcmp(v->s, "yes") || !strcmp(v->s, "no"))) {
		val_bool(v, v->s[0] == 'y');
		return 0;
	}
	val_copy(&c, v);
	val_type_word(&c);
	if (c.t != t) {
		val_free(&c);
		return -1;
	}
	val_move(v, &c);
	return 0;
}

const char *
val_type_name(const struct val *v)
{
	static const char *const names[] = {
		[V_NIL] = "nil", [V_STR] = "str", [V_NUM] = "num", [V_BOOL] = "bool",
		[V_IDS] = "array", [V_ARRAY] = "array", [V_ID] = "id", [V_IP] = "ip",
		[V_PREFIX] = "ip-prefix", [V_TIME] = "time", [V_NOTHING] = "nothing",
		[V_CODE] = "code",
	};

	return names[v->t];
}

int
val_count(const struct val *v)
{
	return v->t == V_IDS ? v->nids : v->t == V_ARRAY ? v->nel : 1;
}

/* Element i of an array (a copy); of any other value, the value itself. */
void
val_elem(const struct val *arr, int i, struct val *out)
{
	if (arr->t == V_IDS)
		val_id(out, arr->ids[i]);
	else if (arr->t == V_ARRAY)
		val_copy(out, &arr->el[i]);
	else
		val_copy(out, arr);
}

const char *
val_key(const struct val *arr, int i)
{
	return arr->t == V_ARRAY && arr->keys ? arr->keys[i] : NULL;
}

/* arr->key: by key in a keyed array, by position (from 0) otherwise.
 * Nothing when there is no such element. */
int
val_index(const struct val *arr, struct val *key, struct val *out)
{
	const char *k = val_text(key);

	val_nothing(out);
	if (arr->t == V_ARRAY && arr->keys) {
		for (int i = 0; i < arr->nel; i++)
			if (!strcmp(arr->keys[i], k)) {
				val_copy(out, &arr->el[i]);
				return 0;
			}
	}
	if ((arr->t == V_ARRAY || arr->t == V_IDS) && !val_as(key, V_NUM) &&
	    key->n >= 0 && key->n < val_count(arr))
		val_elem(arr, (int)key->n, out);
	return 0;
}

/* A condition: bool, or text and numbers that say yes or no. */
int
val_truth(struct val *v, int *yes)
{
	if (v->t == V_BOOL || v->t == V_NUM) {
		*yes = v->n != 0;
		return 0;
	}
	if (v->t == V_NIL || v->t == V_NOTHING) {
		*yes = 0;
		return 0;
	}
	if (v->t == V_STR && (!strcmp(v->s, "yes") || !strcmp(v->s, "true"))) {
		*yes = 1;
		return 0;
	}
	if (v->t == V_STR && (!strcmp(v->s, "no") || !strcmp(v->s, "false") || !*v->s)) {
		*yes = 0;
		return 0;
	}
	return -1;
}

/* Text of times and arrays, made on demand and kept in v->s. */
const char *
val_script_text(struct val *v)
{
	struct cdb_buf b = { 0 };

	if (v->t == V_TIME) {
		v->s = val_fmt_time(v->n);
		return v->s;
	}
	for (int i = 0; i < v->nel; i++) {
		const char *t = val_text(&v->el[i]);

		if (v->keys)
			cdb_buf_printf(&b, "%s%s=%s", i ? ";" : "", v->keys[i], t);
		else
			cdb_buf_printf(&b, "%s%s", i ? ";" : "", t);
		if (b.len > SC_MAXSTR * 4)
			break;
	}
	v->s = b.s ? b.s : strdup("");
	return v->s;
}

/* print as-value inside [ ]: one keyed array per item. */
void
val_print_rows(struct val *out, const struct cdb_menu *m, const struct cdb_item_list *l,
	       const int *cols, int ncols)
{
	val_array(out);
	for (int i = 0; i < l->n; i++) {
		struct val row = { 0 }, e = { 0 };

		val_array(&row);
		if (m->kind != M_SINGLE) {
			val_id(&e, l->items[i].id);
			val_push(&row, ".id", &e);
		}
		for (int c = 0; c < ncols; c++) {
			const char *v = cdb_item_value(m, &l->items[i], cols[c]);

			if (!v)
				continue;
			val_str(&e, v);
			val_push(&row, m->props[cols[c]].name, &e);
			if (m->default_item && !strcmp(m->props[cols[c]].name, "disabled")) {
				/* RouterOS 6's single server said enabled (tools still read it) */
				val_str(&e, !strcmp(v, "yes") ? "no" : "yes");
				val_push(&row, "enabled", &e);
			}
		}
		if (val_push(out, NULL, &row))
			break;
	}
}
