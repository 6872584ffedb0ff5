/* script_expr.c: expressions in ( ), variables ($x, $"my-x", $a->k) and
 * array literals ({1;2} {a=1;b=2}). An expression is read and computed in
 * one pass, lowest precedence first:
 *   || or   && and   ! not   = != < > <= >= ~ in   .   + -   * / %   unary -   ->
 * Text that looks like a number, address or time (what get returns) is
 * taken as one when the other side of an operator is one. */
#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "script.h"

static int parse_or(struct sh *, struct src *, struct val *, int);

static void
skip_ws(struct src *s)
{
	for (;;) {
		src_skip_space(s);
		if (src_peek(s) != '\n')
			return;
		s->pos++;
	}
}

static int
at(struct src *s, const char *tok)
{
	size_t n = strlen(tok);

	return s->pos + n <= s->len && !strncmp(s->text + s->pos, tok, n);
}

/* A keyword operator (and, or, not, in) followed by a blank or bracket. */
static int
keyword(struct src *s, const char *kw)
{
	size_t n = strlen(kw);
	int next;

	if (!at(s, kw))
		return 0;
	next = s->pos + n < s->len ? (unsigned char)s->text[s->pos + n] : ' ';
	if (isalnum(next) || next == '_' || next == '-')
		return 0;
	s->pos += n;
	return 1;
}

static int
text_too_long(struct sh *sh, size_t pos, size_t len)
{
	if (len <= SC_MAXSTR)
		return 0;
	sc_set_fatal(sh);
	return sh_fail(sh, pos, "string too long (more than %d bytes)", SC_MAXSTR);
}

/* A bare word inside an expression: 5, 10.0.0.1/24, 1h30m, *1A, true, abc. */
static int
word(struct sh *sh, struct src *s, struct val *out)
{
	size_t start = s->pos;
	int c = src_peek(s);

	if (c == '*' || isdigit(c)) {
		s->pos++;
		while (s->pos < s->len && (isalnum((unsigned char)s->text[s->pos]) ||
					   strchr(".:/", s->text[s->pos])))
			s->pos++;
	} else if (isalpha(c) || c == '_') {
		while (s->pos < s->len && (isalnum((unsigned char)s->text[s->pos]) ||
					   s->text[s->pos] == '_' ||
					   (s->text[s->pos] == '-' && s->pos + 1 < s->len &&
					    isalpha((unsigned char)s->text[s->pos + 1]))))
			s->pos++;
	}
	if (s->pos == start)
		return sh_fail(sh, start, c < 0 || c == ')' ? "missing value" : "syntax error");
	val_free(out);
	out->t = V_STR;
	out->s = strndup(s->text + start, s->pos - start);
	val_type_word(out);
	return 0;
}

/* The key after ->: a quoted string, $var, (expr), [cmd] or a bare word. */
static int
index_key(struct sh *sh, struct src *s, struct val *key)
{
	size_t start = s->pos;
	int c = src_peek(s);

	if (c == '"' || c == '$' || c == '(' || c == '[')
		return sc_value(sh, s, key);
	while (s->pos < s->len && (isalnum((unsigned char)s->text[s->pos]) ||
				   strchr("_-.", s->text[s->pos])))
		s->pos++;
	if (s->pos == start)
		return sh_fail(sh, start, "expected a key after ->");
	val_free(key);
	key->t = V_STR;
	key->s = strndup(s->text + start, s->pos - start);
	val_type_word(key);
	return 0;
}

/* Any ->key that follows a value. */
static int
indexes(struct sh *sh, struct src *s, struct val *v)
{
	while (at(s, "->")) {
		struct val key = { 0 }, el = { 0 };

		s->pos += 2;
		if (index_key(sh, s, &key)) {
			val_free(&key);
			return -1;
		}
		val_index(v, &key, &el);
		val_move(v, &el);
		val_free(&key);
	}
	return 0;
}

/* $name, $"name" and the ->key that follow. An unknown variable is nothing. */
int
sc_dollar(struct sh *sh, struct src *s, struct val *out)
{
	size_t start = s->pos++;
	struct val name = { 0 };
	const struct val *v;

	if (src_peek(s) == '"') {
		if (sh_value(sh, s, &name)) {
			val_free(&name);
			return -1;
		}
	} else {
		size_t from = s->pos;

		while (s->pos < s->len && (isalnum((unsigned char)s->text[s->pos]) ||
					   s->text[s->pos] == '_'))
			s->pos++;
		if (s->pos == from)
			return sh_fail(sh, start, "expected a variable name after $");
		val_free(&name);
		name.t = V_STR;
		name.s = strndup(s->text + from, s->pos - from);
	}
	v = sc_lookup(sh, name.s);
	if (v)
		val_copy(out, v);
	else
		val_nothing(out);
	val_free(&name);
	return indexes(sh, s, out);
}

/* The key of an array element, KEY= or "KEY"=, if it has one. A quoted
 * text that turns out to be the element itself is left in el, read once. */
static int
element_key(struct sh *sh, struct src *s, char **key, struct val *el)
{
	size_t save = s->pos;

	*key = NULL;
	if (src_peek(s) == '"') {
		if (sh_value(sh, s, el))
			return -1;
		if (src_peek(s) == '=') {
			*key = strdup(val_text(el));
			val_free(el);
			s->pos++;
		}
		return 0;
	}
	while (s->pos < s->len && (isalnum((unsigned char)s->text[s->pos]) ||
				   strchr("_-.", s->text[s->pos])))
		s->pos++;
	if (s->pos > save && src_peek(s) == '=') {
		*key = strndup(s->text + save, s->pos - save);
		s->pos++;
	} else
		s->pos = save;
	return 0;
}

/* {1;2;3}, {a=1;b="x"} or {"a b"=1}: values separated by ';' (or newlines). */
int
sc_array_literal(struct sh *sh, struct src *s, struct val *out)
{
	size_t start = s->pos++;
	struct val arr = { 0 };

	if (sh->depth >= SH_MAXDEPTH)
		return sh_fail(sh, start, "too deeply nested");
	sh->depth++;
	val_array(&arr);
	for (;;) {
		struct val el = { 0 };
		char *key = NULL;
		size_t pos;

		skip_ws(s);
		while (src_peek(s) == ';') {
			s->pos++;
			skip_ws(s);
		}
		if (src_peek(s) == '}')
			break;
		if (src_peek(s) < 0) {
			val_free(&arr);
			sh->depth--;
			return sh_fail(sh, start, "missing }");
		}
		pos = s->pos;
		if (element_key(sh, s, &key, &el) ||
		    (el.t == V_NIL && !el.s && sc_value(sh, s, &el)) ||
		    (val_push(&arr, key, &el) && sh_fail(sh, pos, "array too big"))) {
			val_free(&el);
			val_free(&arr);
			free(key);
			sh->depth--;
			return -1;
		}
		free(key);
		src_skip_space(s);
		if (src_peek(s) != ';' && src_peek(s) != '}' && src_peek(s) != '\n') {
			val_free(&arr);
			sh->depth--;
			return sh_fail(sh, s->pos, "expected ; or } in array");
		}
	}
	s->pos++;
	sh->depth--;
	val_move(out, &arr);
	return 0;
}

/* A value of a script: like a command's value, and a bare word is typed. */
int
sc_value(struct sh *sh, struct src *s, struct val *out)
{
	int c = src_peek(s);

	if (sh_value(sh, s, out))
		return -1;
	if (c != '"' && c != '[' && c != '$' && c != '(' && c != '{')
		val_type_word(out);
	return 0;
}

static int parse_list(struct sh *, struct src *, struct val *, int);

static int
primary(struct sh *sh, struct src *s, struct val *out, int depth)
{
	int c;

	skip_ws(s);
	c = src_peek(s);
	if (c == '(') {
		size_t start = s->pos++;

		if (parse_list(sh, s, out, depth + 1))
			return -1;
		skip_ws(s);
		if (src_peek(s) != ')')
			return sh_fail(sh, src_peek(s) < 0 ? start : s->pos, "missing )");
		s->pos++;
	} else if (c == '"' || c == '[' || c == '$' || c == '{') {
		if (sc_value(sh, s, out))
			return -1;
	} else if (word(sh, s, out))
		return -1;
	return indexes(sh, s, out);
}

static int
unary(struct sh *sh, struct src *s, struct val *out, int depth)
{
	size_t pos;

	if (depth > SH_MAXDEPTH)
		return sh_fail(sh, s->pos, "too deeply nested");
	skip_ws(s);
	pos = s->pos;
	if (src_peek(s) == '-' && !at(s, "->")) {
		s->pos++;
		if (unary(sh, s, out, depth + 1))
			return -1;
		if (val_as(out, V_NUM) && out->t != V_TIME)
			return sh_fail(sh, pos, "can not negate a value of type %s",
				       val_type_name(out));
		if (out->n == -0x7fffffffffffffffLL - 1)
			return sh_fail(sh, pos, "number out of range");
		out->n = -out->n;
		free(out->s);
		out->s = NULL;
		return 0;
	}
	return primary(sh, s, out, depth);
}

/* The types two operands meet at: text that reads as the other's type
 * becomes it. */
static void
meet(struct val *a, struct val *b)
{
	if (a->t == V_STR && b->t != V_STR)
		val_as(a, b->t);
	else if (b->t == V_STR && a->t != V_STR)
		val_as(b, a->t);
}

static int
checked(struct sh *sh, size_t pos, int op, long long a, long long b, long long *r)
{
	int bad = 0;

	switch (op) {
	case '+': bad = __builtin_add_overflow(a, b, r); break;
	case '-': bad = __builtin_sub_overflow(a, b, r); break;
	case '*': bad = __builtin_mul_overflow(a, b, r); break;
	case '/':
	case '%':
		if (b == 0)
			return sh_fail(sh, pos, "division by zero");
		if (a == -0x7fffffffffffffffLL - 1 && b == -1)
			bad = 1;
		else
			*r = op == '/' ? a / b : a % b;
		break;
	}
	return bad ? sh_fail(sh, pos, "number out of range") : 0;
}

/* num with num; time with time or num; ip with num. */
static int
arith(struct sh *sh, size_t pos, int op, struct val *a, struct val *b)
{
	long long r = 0;
	enum val_type t;

	meet(a, b);
	if (a->t == V_NUM && b->t == V_NUM)
		t = V_NUM;
	else if (a->t == V_TIME && (b->t == V_TIME || b->t == V_NUM) &&
		 (op == '+' || op == '-' ? b->t == V_TIME : op != '%'))
		t = V_TIME;
	else if (a->t == V_NUM && b->t == V_TIME && op == '*')
		t = V_TIME;
	else if (a->t == V_IP && b->t == V_NUM && (op == '+' || op == '-'))
		t = V_IP;
	else if (a->t == V_IP && b->t == V_IP && op == '-')
		t = V_NUM;
	else
		return sh_fail(sh, pos, "can not compute %s %c %s", val_type_name(a), op,
			       val_type_name(b));
	if (t == V_IP || (a->t == V_IP && b->t == V_IP)) {
		uint32_t x, y = 0;

		cdb_parse_ip4(a->s, &x);
		if (b->t == V_IP)
			cdb_parse_ip4(b->s, &y);
		if (t == V_NUM) {
			val_num(a, (long long)x - (long long)y);
			return 0;
		}
		r = op == '+' ? (long long)x + b->n : (long long)x - b->n;
		if (r < 0 || r > 0xffffffffLL)
			return sh_fail(sh, pos, "address out of range");
		free(a->s);
		if (asprintf(&a->s, "%u.%u.%u.%u", (unsigned)(r >> 24) & 255,
			     (unsigned)(r >> 16) & 255, (unsigned)(r >> 8) & 255,
			     (unsigned)r & 255) < 0)
			a->s = NULL;
		return 0;
	}
	if (checked(sh, pos, op, a->n, b->n, &r))
		return -1;
	if (t == V_TIME)
		val_time(a, r);
	else
		val_num(a, r);
	return 0;
}

static long long
order(struct val *a, struct val *b)
{
	uint32_t x, y;

	switch (a->t) {
	case V_NUM: case V_TIME: case V_ID: case V_BOOL:
		return (a->n > b->n) - (a->n < b->n);
	case V_IP:
		cdb_parse_ip4(a->s, &x);
		cdb_parse_ip4(b->s, &y);
		return (x > y) - (x < y);
	default:
		return strcmp(val_text(a), val_text(b));
	}
}

/* ip in prefix */
static int
within(struct val *a, struct val *b)
{
	uint32_t ip, net;
	char base[32];
	const char *slash;
	int len;

	if (val_as(a, V_IP) || val_as(b, V_PREFIX))
		return 0;
	slash = strchr(b->s, '/');
	len = atoi(slash + 1);
	snprintf(base, sizeof(base), "%.*s", (int)(slash - b->s), b->s);
	cdb_parse_ip4(a->s, &ip);
	cdb_parse_ip4(base, &net);
	return len == 0 || (ip >> (32 - len)) == (net >> (32 - len));
}

static int
compare(struct sh *sh, size_t pos, const char *op, struct val *a, struct val *b)
{
	long long c;
	int yes;

	if (!strcmp(op, "in")) {
		val_bool(a, within(a, b));
		return 0;
	}
	if (!strcmp(op, "~")) {
		regex_t re;

		if (regcomp(&re, val_text(b), REG_EXTENDED | REG_NOSUB))
			return sh_fail(sh, pos, "bad regular expression");
		yes = regexec(&re, val_text(a), 0, NULL, 0) == 0;
		regfree(&re);
		val_bool(a, yes);
		return 0;
	}
	meet(a, b);
	if ((a->t == V_NIL || a->t == V_NOTHING) && (b->t == V_NIL || b->t == V_NOTHING))
		c = 0;
	else if (a->t != b->t && (op[0] == '=' || op[0] == '!'))
		c = 1;
	else
		c = order(a, b);
	yes = !strcmp(op, "=") ? c == 0 : !strcmp(op, "!=") ? c != 0 : !strcmp(op, "<") ? c < 0 :
	      !strcmp(op, ">") ? c > 0 : !strcmp(op, "<=") ? c <= 0 : c >= 0;
	val_bool(a, yes);
	return 0;
}

static int
parse_mul(struct sh *sh, struct src *s, struct val *out, int depth)
{
	if (unary(sh, s, out, depth))
		return -1;
	for (;;) {
		struct val r = { 0 };
		size_t pos;
		int op, rc;

		skip_ws(s);
		pos = s->pos;
		op = src_peek(s);
		if (op != '*' && op != '/' && op != '%')
			return 0;
		s->pos++;
		rc = unary(sh, s, &r, depth + 1) || arith(sh, pos, op, out, &r);
		val_free(&r);
		if (rc)
			return -1;
	}
}

static int
parse_add(struct sh *sh, struct src *s, struct val *out, int depth)
{
	if (parse_mul(sh, s, out, depth))
		return -1;
	for (;;) {
		struct val r = { 0 };
		size_t pos;
		int op, rc;

		skip_ws(s);
		pos = s->pos;
		op = src_peek(s);
		if ((op != '+' && op != '-') || at(s, "->"))
			return 0;
		s->pos++;
		rc = parse_mul(sh, s, &r, depth + 1) || arith(sh, pos, op, out, &r);
		val_free(&r);
		if (rc)
			return -1;
	}
}

static int
parse_concat(struct sh *sh, struct src *s, struct val *out, int depth)
{
	if (parse_add(sh, s, out, depth))
		return -1;
	for (;;) {
		struct val r = { 0 };
		size_t pos, la;
		char *joined;

		skip_ws(s);
		pos = s->pos;
		if (src_peek(s) != '.')
			return 0;
		s->pos++;
		if (parse_add(sh, s, &r, depth + 1)) {
			val_free(&r);
			return -1;
		}
		la = strlen(val_text(out));
		if (text_too_long(sh, pos, la + strlen(val_text(&r)))) {
			val_free(&r);
			return -1;
		}
		joined = malloc(la + strlen(val_text(&r)) + 1);
		memcpy(joined, val_text(out), la);
		strcpy(joined + la, val_text(&r));
		val_free(&r);
		val_free(out);
		out->t = V_STR;
		out->s = joined;
	}
}

static int
parse_cmp(struct sh *sh, struct src *s, struct val *out, int depth)
{
	static const char *const ops[] = { "!=", "<=", ">=", "=", "<", ">", "~" };

	if (parse_concat(sh, s, out, depth))
		return -1;
	for (;;) {
		struct val r = { 0 };
		const char *op = NULL;
		size_t pos;
		int rc;

		skip_ws(s);
		pos = s->pos;
		for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]) && !op; i++)
			if (at(s, ops[i]))
				op = ops[i];
		if (op)
			s->pos += strlen(op);
		else if (keyword(s, "in"))
			op = "in";
		else
			return 0;
		rc = parse_concat(sh, s, &r, depth + 1) || compare(sh, pos, op, out, &r);
		val_free(&r);
		if (rc)
			return -1;
	}
}

static int
truth(struct sh *sh, size_t pos, struct val *v, int *yes)
{
	if (val_truth(v, yes))
		return sh_fail(sh, pos, "expected a true or false value, got %s",
			       val_type_name(v));
	return 0;
}

static int
parse_not(struct sh *sh, struct src *s, struct val *out, int depth)
{
	size_t pos;
	int yes;

	if (depth > SH_MAXDEPTH)
		return sh_fail(sh, s->pos, "too deeply nested");
	skip_ws(s);
	pos = s->pos;
	if ((src_peek(s) == '!' && !at(s, "!=")) || keyword(s, "not")) {
		if (src_peek(s) == '!')
			s->pos++;
		if (parse_not(sh, s, out, depth + 1))
			return -1;
		if (truth(sh, pos, out, &yes))
			return -1;
		val_bool(out, !yes);
		return 0;
	}
	return parse_cmp(sh, s, out, depth);
}

/* && and ||: both sides are computed, as a substitution in either may act. */
static int
logic(struct sh *sh, struct src *s, struct val *out, int depth, int is_or)
{
	int (*side)(struct sh *, struct src *, struct val *, int) =
		is_or ? NULL : parse_not;
	size_t pos = s->pos;
	int yes, ryes;

	if (is_or ? logic(sh, s, out, depth, 0) : side(sh, s, out, depth))
		return -1;
	for (;;) {
		struct val r = { 0 };
		int rc;

		skip_ws(s);
		if (at(s, is_or ? "||" : "&&"))
			s->pos += 2;
		else if (!keyword(s, is_or ? "or" : "and"))
			return 0;
		rc = is_or ? logic(sh, s, &r, depth + 1, 0) : side(sh, s, &r, depth + 1);
		if (rc || truth(sh, pos, out, &yes) || truth(sh, pos, &r, &ryes)) {
			val_free(&r);
			return -1;
		}
		val_free(&r);
		val_bool(out, is_or ? yes || ryes : yes && ryes);
	}
}

static int
parse_or(struct sh *sh, struct src *s, struct val *out, int depth)
{
	if (depth > SH_MAXDEPTH)
		return sh_fail(sh, s->pos, "too deeply nested");
	return logic(sh, s, out, depth, 1);
}

/* Elements of v appended to the list arr (v itself when not an array). */
static int
append(struct sh *sh, size_t pos, struct val *arr, struct val *v)
{
	for (int i = 0; i < val_count(v); i++) {
		struct val e = { 0 };

		val_elem(v, i, &e);
		if (val_push(arr, v->t == V_ARRAY && v->keys ? v->keys[i] : NULL, &e)) {
			val_free(&e);
			return sh_fail(sh, pos, "array too big");
		}
	}
	return 0;
}

/* a,b,c: the lowest operator, which joins values and arrays into one array. */
static int
parse_list(struct sh *sh, struct src *s, struct val *out, int depth)
{
	struct val arr = { 0 };

	if (parse_or(sh, s, out, depth))
		return -1;
	skip_ws(s);
	if (src_peek(s) != ',')
		return 0;
	val_array(&arr);
	if (append(sh, s->pos, &arr, out))
		goto fail;
	while (skip_ws(s), src_peek(s) == ',') {
		size_t pos = s->pos++;

		if (parse_or(sh, s, out, depth + 1) || append(sh, pos, &arr, out))
			goto fail;
	}
	val_move(out, &arr);
	return 0;
fail:
	val_free(&arr);
	return -1;
}

/* ( expression ) */
int
sc_expr(struct sh *sh, struct src *s, struct val *out)
{
	size_t start = s->pos;
	int rc;

	if (sh->depth >= SH_MAXDEPTH)
		return sh_fail(sh, start, "too deeply nested");
	sh->depth++;
	val_free(out);
	rc = primary(sh, s, out, 0);
	sh->depth--;
	return rc;
}
