/* value.c: values of the console language. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sh.h"

void
val_free(struct val *v)
{
	free(v->s);
	free(v->ids);
	for (int i = 0; i < v->nel; i++) {
		val_free(&v->el[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->el);
	free(v->keys);
	memset(v, 0, sizeof(*v));
}

void
val_str(struct val *v, const char *s)
{
	val_free(v);
	v->t = V_STR;
	v->s = strdup(s);
}

void
val_ids(struct val *v, const long long *ids, int n)
{
	val_free(v);
	v->t = V_IDS;
	v->nids = n;
	v->ids = malloc(sizeof(*ids) * (n ? n : 1));
	memcpy(v->ids, ids, sizeof(*ids) * n);
}

char *
fmt_id(long long id)
{
	char *s;

	if (asprintf(&s, "*%llX", id) < 0)
		return NULL;
	return s;
}

/* The value as text: ids joined with ';' as RouterOS shows arrays. */
const char *
val_text(struct val *v)
{
	if (v->s)
		return v->s;
	if (v->t == V_ARRAY || v->t == V_TIME)
		return val_script_text(v);
	if (v->t == V_NUM && asprintf(&v->s, "%lld", v->n) < 0)
		v->s = NULL;
	else if (v->t == V_BOOL)
		v->s = strdup(v->n ? "true" : "false");
	else if (v->t == V_IDS) {
		size_t cap = 16 * (v->nids + 1), len = 0;

		v->s = calloc(1, cap);
		for (int i = 0; i < v->nids; i++)
			len += snprintf(v->s + len, cap - len, "%s*%llX", i ? ";" : "", v->ids[i]);
	}
	if (!v->s)
		v->s = strdup("");
	return v->s;
}
