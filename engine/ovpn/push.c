/* push.c: split a push list into PUSH_REPLY messages as 2.6's
 * send_push_reply does, and join them on the client. */
#include <stdlib.h>
#include <string.h>

#include "push.h"

#define PUSH_REPLY "PUSH_REPLY"
/* send_push_reply keeps 84 bytes spare for a trailing continuation */
#define SAFE_CAP (PUSH_BUNDLE_SIZE - 84)

static int emit(struct push_msgs *out, const char *msg)
{
	if (out->n >= PUSH_MAX_MSGS)
		return -1;
	out->m[out->n] = strdup(msg);
	if (!out->m[out->n])
		return -1;
	out->n++;
	return 0;
}

static int split_items(const char *options, struct push_msgs *out, char *buf, int *multi)
{
	const char *p = options;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t l = end ? (size_t)(end - p) : strlen(p), used = strlen(buf);

		if (l) {
			if (used + l >= SAFE_CAP) {
				strcat(buf, ",push-continuation 2");
				if (emit(out, buf) < 0)
					return -1;
				strcpy(buf, PUSH_REPLY);
				used = strlen(buf);
				*multi = 1;
			}
			if (used + l >= SAFE_CAP)
				return -1;	/* "--push option is too long" */
			buf[used] = ',';
			memcpy(buf + used + 1, p, l);
			buf[used + 1 + l] = 0;
		}
		p = end ? end + 1 : NULL;
	}
	return 0;
}

int push_split(const char *options, struct push_msgs *out)
{
	char buf[PUSH_BUNDLE_SIZE];
	int multi = 0;

	memset(out, 0, sizeof(*out));
	strcpy(buf, PUSH_REPLY);
	if (split_items(options, out, buf, &multi) < 0)
		goto fail;
	if (multi)
		strcat(buf, ",push-continuation 1");
	/* an empty reply is still sent: the client waits for one */
	if ((strlen(buf) > strlen(PUSH_REPLY) || !out->n) && emit(out, buf) < 0)
		goto fail;
	return 0;
fail:
	push_msgs_free(out);
	return -1;
}

void push_msgs_free(struct push_msgs *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->m[i]);
	memset(m, 0, sizeof(*m));
}

static int append(struct push_join *j, const char *p, size_t l)
{
	char *n;

	if (j->len + l + 2 > PUSH_JOIN_MAX)
		return -1;
	n = realloc(j->opts, j->len + l + 2);
	if (!n)
		return -1;
	j->opts = n;
	if (j->len)
		j->opts[j->len++] = ',';
	memcpy(j->opts + j->len, p, l);
	j->len += l;
	j->opts[j->len] = 0;
	return 0;
}

int push_join_add(struct push_join *j, const char *msg)
{
	static const char cont[] = "push-continuation ";
	const char *p;
	int state = 1;

	if (strncmp(msg, PUSH_REPLY, strlen(PUSH_REPLY)))
		return -1;
	p = msg + strlen(PUSH_REPLY);
	if (*p && *p != ',')
		return -1;
	if (!j->opts && append(j, "", 0) < 0)
		return -1;
	while (*p == ',') {
		const char *end;
		size_t l;

		p++;
		end = strchr(p, ',');
		l = end ? (size_t)(end - p) : strlen(p);
		if (l > strlen(cont) && !strncmp(p, cont, strlen(cont)))
			state = p[strlen(cont)] == '2' ? 0 : 1;
		else if (l && append(j, p, l) < 0)
			return -1;
		p += l;
	}
	return state;
}

void push_join_free(struct push_join *j)
{
	free(j->opts);
	memset(j, 0, sizeof(*j));
}

/* Walk the items; match calls back for the last one called name. */
static const char *find_last(const char *opts, const char *name, size_t *len)
{
	size_t nlen = strlen(name);
	const char *p = opts, *found = NULL;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t l = end ? (size_t)(end - p) : strlen(p);

		if (l >= nlen && !strncmp(p, name, nlen) && (l == nlen || p[nlen] == ' ')) {
			found = p;
			*len = l;
		}
		p = end ? end + 1 : NULL;
	}
	return found;
}

int push_opt_get(const char *opts, const char *name, char *val, size_t cap)
{
	size_t l = 0, nlen = strlen(name), vlen;
	const char *p = opts ? find_last(opts, name, &l) : NULL;

	if (!p || l <= nlen + 1)
		return -1;
	vlen = l - nlen - 1;
	if (vlen >= cap)
		return -1;
	memcpy(val, p + nlen + 1, vlen);
	val[vlen] = 0;
	return 0;
}

int push_opt_has(const char *opts, const char *name)
{
	size_t l;

	return opts && find_last(opts, name, &l) != NULL;
}
