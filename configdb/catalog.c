/* catalog.c: parse the schema text (the schemas/ files) into the in-memory catalog.
 * The format is described in schemas/README.md. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "configdb.h"

/* Split one schema line into words; a word may be key="quoted value". */
static int
split_words(char *line, char **w, int max)
{
	int n = 0;
	char *p = line, *o;

	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			break;
		if (n == max)
			return -1;
		w[n++] = o = p;
		while (*p && *p != ' ' && *p != '\t') {
			if (*p != '"') {
				*o++ = *p++;
				continue;
			}
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				*o++ = *p;
			}
			if (*p != '"')
				return -1;
			p++;
		}
		if (*p)
			p++;
		*o = '\0';
	}
	return n;
}

/* Split "a,b,c" into a malloc'd array of strings. */
static char **
split_list(const char *s, int *n)
{
	char **v = NULL;
	const char *p = s;

	*n = 0;
	if (!*s)
		return NULL;
	for (;;) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);

		v = realloc(v, sizeof(*v) * (*n + 1));
		v[(*n)++] = strndup(p, len);
		if (!c)
			return v;
		p = c + 1;
	}
}

static void
free_list(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int
parse_types(struct cdb_prop *p, const char *spec)
{
	char buf[128], *save = NULL, *t;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		int k;

		for (k = 0; k < T__COUNT && strcmp(t, cdb_base_name(k)); k++)
			;
		if (k == T__COUNT || p->ntypes == CDB_MAXALT)
			return -1;
		p->types[p->ntypes++] = k;
	}
	return p->ntypes ? 0 : -1;
}

/* values=aes128-cbc:AES-128-CBC,...: each value, and after a colon the
 * name it has on the wire when that differs from ours */
static int
enum_values(struct cdb_prop *p, const char *v)
{
	p->values = split_list(v, &p->nvalues);
	for (int i = 0; i < p->nvalues; i++) {
		char *colon = strchr(p->values[i], ':');

		if (!colon)
			continue;
		if (colon == p->values[i] || !colon[1])
			return -1;
		if (!p->wire)
			p->wire = calloc(p->nvalues, sizeof(char *));
		p->wire[i] = strdup(colon + 1);
		*colon = '\0';
	}
	return 0;
}

/* aliases=aes128:aes128-cbc,...: older names of values, accepted on input
 * only; print and export show the value. */
static int
enum_aliases(struct cdb_prop *p, const char *v)
{
	p->aliases = split_list(v, &p->naliases);
	p->alias_of = calloc(p->naliases + 1, sizeof(char *));
	for (int i = 0; i < p->naliases; i++) {
		char *colon = strchr(p->aliases[i], ':');

		if (!colon || colon == p->aliases[i] || !colon[1])
			return -1;
		p->alias_of[i] = strdup(colon + 1);
		*colon = '\0';
	}
	return 0;
}

/* refuse="yes,required:OVPN never compresses here": values RouterOS has
 * that we can not honour, and why; "*" stands for any but the default. */
static int
refuse_values(struct cdb_prop *p, const char *v)
{
	const char *colon = strchr(v, ':');
	char *vals;

	if (!colon || colon == v || !colon[1])
		return -1;
	vals = strndup(v, colon - v);
	p->refuse = split_list(vals, &p->nrefuse);
	free(vals);
	p->refuse_why = strdup(colon[1] == ' ' ? colon + 2 : colon + 1);
	return 0;
}

static int
prop_attr(struct cdb_prop *p, char *a)
{
	char *v = strchr(a, '=');

	if (v)
		*v++ = '\0';
	if (!strcmp(a, "list") && !v)
		p->flags |= P_LIST;
	else if (!strcmp(a, "required") && !v)
		p->flags |= P_REQUIRED;
	else if (!strcmp(a, "sensitive") && !v)
		p->flags |= P_SENSITIVE;
	else if (!strcmp(a, "readonly") && !v)
		p->flags |= P_READONLY;
	else if (!strcmp(a, "noexport") && !v)
		p->flags |= P_NOEXPORT;
	else if (!strcmp(a, "softref") && !v)
		p->flags |= P_SOFTREF;
	else if (!strcmp(a, "nonempty") && !v)
		p->flags |= P_NONEMPTY;
	else if (!strcmp(a, "network") && !v)
		p->flags |= P_NETWORK;
	else if (!strcmp(a, "needs") && v && !p->needs)
		p->needs = strdup(v);
	else if (!strcmp(a, "unique-with") && v && !p->unique_with)
		p->unique_with = strdup(v);
	else if (!strcmp(a, "computed") && !v)
		p->flags |= P_COMPUTED | P_READONLY | P_NOEXPORT;
	else if (!strcmp(a, "hidden") && !v)
		p->flags |= P_HIDDEN | P_READONLY | P_NOEXPORT;
	else if (!strcmp(a, "len") && v)
		p->len = atoi(v);
	else if (!strcmp(a, "range") && v) {
		char *dots = strstr(v, "..");

		if (!dots)
			return -1;
		p->min = strtoll(v, NULL, 10);
		p->max = strtoll(dots + 2, NULL, 10);
		p->flags |= P_RANGE;
	} else if (!strcmp(a, "values") && v)
		return enum_values(p, v);
	else if (!strcmp(a, "aliases") && v && !p->aliases)
		return enum_aliases(p, v);
	else if (!strcmp(a, "refuse") && v && !p->refuse)
		return refuse_values(p, v);
	else if (!strcmp(a, "words") && v)
		p->words = split_list(v, &p->nwords);
	else if (!strcmp(a, "default") && v)
		p->def = strdup(v);
	else if (!strcmp(a, "ref") && v)
		p->ref = strdup(v);
	else if (!strcmp(a, "network-of") && v)
		p->network_of = strdup(v);
	else if (!strcmp(a, "fixed-when") && v)
		p->fixed_when = strdup(v);
	else if (!strcmp(a, "help") && v)
		p->help = strdup(v);
	else
		return -1;
	return 0;
}

/* cmds=sign,import:cert-import: command names and the action each runs */
static int
menu_cmds(struct cdb_menu *m, const char *v)
{
	m->cmds = split_list(v, &m->ncmds);
	m->actions = calloc(m->ncmds + 1, sizeof(char *));
	for (int i = 0; i < m->ncmds; i++) {
		char *colon = strchr(m->cmds[i], ':');

		m->actions[i] = strdup(colon ? colon + 1 : m->cmds[i]);
		if (colon)
			*colon = '\0';
	}
	return 0;
}

/* flags=K:private-key,A:authority: print flags shown from bool properties */
static int
menu_flags(struct cdb_menu *m, const char *v)
{
	int n;
	char **defs = split_list(v, &n);

	m->flagdefs = calloc(n + 1, 1);
	m->flagprops = calloc(n + 1, sizeof(char *));
	for (int i = 0; i < n; i++) {
		if (strlen(defs[i]) < 3 || defs[i][1] != ':') {
			free_list(defs, n);
			return -1;
		}
		m->flagdefs[i] = defs[i][0];
		m->flagprops[i] = strdup(defs[i] + 2);
	}
	free_list(defs, n);
	return 0;
}

static int
menu_attr(struct cdb_menu *m, char *a)
{
	char *v = strchr(a, '=');

	if (v)
		*v++ = '\0';
	if (!strcmp(a, "ordered") && !v)
		m->flags |= M_ORDERED;
	else if (!strcmp(a, "noexport") && !v)
		m->flags |= M_NOEXPORT;
	else if (!strcmp(a, "runtime") && !v)
		m->flags |= M_RUNTIME;
	else if (!strcmp(a, "dynamic") && !v)
		m->flags |= M_DYNAMIC;
	else if (!strcmp(a, "computed") && !v)
		m->flags |= M_COMPUTED | M_NOEXPORT;
	else if (!strcmp(a, "key") && v)
		m->key = strdup(v);
	else if (!strcmp(a, "columns") && v)
		m->columns = split_list(v, &m->ncolumns);
	else if (!strcmp(a, "cmds") && v)
		return menu_cmds(m, v);
	else if (!strcmp(a, "flags") && v)
		return menu_flags(m, v);
	else if (!strcmp(a, "iface") && v)
		m->iface = strdup(v);
	else if (!strcmp(a, "default-item") && v && !m->default_item)
		m->default_item = strdup(v);
	else if (!strcmp(a, "help") && v)
		m->help = strdup(v);
	else if (!strcmp(a, "policy") && v && cdb_policy_bit(v, strlen(v)) >= 0)
		m->need = strdup(v);
	else
		return -1;
	return 0;
}

static void
menu_free(struct cdb_menu *m)
{
	for (int i = 0; i < m->nprops; i++) {
		struct cdb_prop *p = &m->props[i];

		free(p->name);
		free_list(p->values, p->nvalues);
		if (p->wire)
			free_list(p->wire, p->nvalues);
		free_list(p->refuse, p->nrefuse);
		free(p->refuse_why);
		if (p->aliases) {
			free_list(p->aliases, p->naliases);
			free_list(p->alias_of, p->naliases);
		}
		free_list(p->words, p->nwords);
		free(p->def);
		free(p->ref);
		free(p->network_of);
		free(p->fixed_when);
		free(p->needs);
		free(p->unique_with);
		free(p->help);
	}
	free(m->props);
	free_list(m->columns, m->ncolumns);
	free_list(m->cmds, m->ncmds);
	free_list(m->actions, m->ncmds);
	if (m->flagdefs)
		free_list(m->flagprops, (int)strlen(m->flagdefs));
	free(m->flagdefs);
	free_list(m->seeds, m->nseeds);
	free(m->path);
	free(m->table);
	free(m->key);
	free(m->iface);
	free(m->default_item);
	free(m->need);
	free(m->help);
	free(m->kids);
	free(m);
}

void
cdb_catalog_free(struct cdb_catalog *c)
{
	if (!c)
		return;
	for (int i = 0; i < c->nmenus; i++)
		menu_free(c->menus[i]);
	free(c->menus);
	free(c->hash);
	free(c);
}

struct cdb_menu *
cdb_menu_find(const struct cdb_catalog *c, const char *path)
{
	for (int i = 0; i < c->nmenus; i++)
		if (!strcmp(c->menus[i]->path, path))
			return c->menus[i];
	return NULL;
}

int
cdb_prop_index(const struct cdb_menu *m, const char *name)
{
	for (int i = 0; i < m->nprops; i++)
		if (!strcmp(m->props[i].name, name))
			return i;
	return -1;
}

const struct cdb_prop *
cdb_prop_find(const struct cdb_menu *m, const char *name)
{
	int i = cdb_prop_index(m, name);

	return i < 0 ? NULL : &m->props[i];
}

const char *
cdb_enum_wire(const struct cdb_prop *p, const char *value)
{
	for (int i = 0; p->wire && value && i < p->nvalues; i++)
		if (!strcmp(p->values[i], value))
			return p->wire[i];
	return NULL;
}

const char *
cdb_enum_by_wire(const struct cdb_prop *p, const char *wire)
{
	for (int i = 0; p->wire && wire && i < p->nvalues; i++)
		if (p->wire[i] && !strcasecmp(p->wire[i], wire))
			return p->values[i];
	return NULL;
}

/* "/ip/firewall/nat" -> "ip_firewall_nat" */
static char *
table_name(const char *path)
{
	char *t = strdup(path + 1);

	for (char *p = t; *p; p++)
		if (*p == '/' || *p == '-')
			*p = '_';
	return t;
}

/* Find or create the menu at path, creating parent dirs as needed. */
static struct cdb_menu *
menu_get(struct cdb_catalog *c, const char *path)
{
	struct cdb_menu *m = cdb_menu_find(c, path), *parent = NULL;

	if (m)
		return m;
	if (strcmp(path, "/")) {
		char *up = strdup(path), *slash = strrchr(up, '/');

		if (slash == up)
			slash[1] = '\0';
		else
			*slash = '\0';
		parent = menu_get(c, up);
		free(up);
	}
	m = calloc(1, sizeof(*m));
	m->path = strdup(path);
	m->kind = M_DIR;
	m->parent = parent;
	if (parent) {
		parent->kids = realloc(parent->kids, sizeof(m) * (parent->nkids + 1));
		parent->kids[parent->nkids++] = m;
	}
	c->menus = realloc(c->menus, sizeof(m) * (c->nmenus + 1));
	c->menus[c->nmenus++] = m;
	return m;
}

static int
parse_kind(const char *s, enum cdb_kind *k)
{
	static const char *names[] = { "dir", "list", "single", "view", "files" };

	for (int i = 0; i < 5; i++)
		if (!strcmp(s, names[i])) {
			*k = i;
			return 0;
		}
	return -1;
}

static int
line_menu(struct cdb_catalog *c, char **w, int n, struct cdb_menu **cur)
{
	struct cdb_menu *m;

	if (n < 3 || w[1][0] != '/')
		return -1;
	m = cdb_menu_find(c, w[1]);
	if (m && (m->kind != M_DIR || m->props))
		return -1;
	m = menu_get(c, w[1]);
	if (parse_kind(w[2], &m->kind))
		return -1;
	if (m->kind != M_DIR && m->kind != M_FILES)
		m->table = table_name(m->path);
	for (int i = 3; i < n; i++)
		if (menu_attr(m, w[i]))
			return -1;
	*cur = m;
	return 0;
}

static int
line_prop(struct cdb_menu *m, char **w, int n)
{
	struct cdb_prop *p;

	if (!m || n < 3 || cdb_prop_find(m, w[1]))
		return -1;
	m->props = realloc(m->props, sizeof(*p) * (m->nprops + 1));
	p = &m->props[m->nprops++];
	memset(p, 0, sizeof(*p));
	p->name = strdup(w[1]);
	if (parse_types(p, w[2]))
		return -1;
	for (int i = 3; i < n; i++)
		if (prop_attr(p, w[i]))
			return -1;
	if (!strcmp(p->name, "disabled"))
		m->flags |= M_DISABLE;
	if (!strcmp(p->name, "comment"))
		m->flags |= M_COMMENT;
	return 0;
}

static int
line_item(struct cdb_menu *m, char *line)
{
	if (!m || m->kind != M_LIST)
		return -1;
	while (isspace((unsigned char)*line))
		line++;
	m->seeds = realloc(m->seeds, sizeof(char *) * (m->nseeds + 1));
	m->seeds[m->nseeds++] = strdup(line + 4);
	return 0;
}

/* Check what can only be checked once every menu is known. */
static int
catalog_check(struct cdb_catalog *c, struct cdb_err *e)
{
	for (int i = 0; i < c->nmenus; i++) {
		struct cdb_menu *m = c->menus[i];

		if (m->key && !cdb_prop_find(m, m->key))
			return cdb_errf(e, "schema: %s: key %s is no property", m->path, m->key);
		for (int j = 0; m->flagdefs && m->flagdefs[j]; j++)
			if (!cdb_prop_find(m, m->flagprops[j]))
				return cdb_errf(e, "schema: %s: flag %c names no property",
						m->path, m->flagdefs[j]);
		for (int j = 0; j < m->ncolumns; j++)
			if (!cdb_prop_find(m, m->columns[j]))
				return cdb_errf(e, "schema: %s: column %s is no property",
						m->path, m->columns[j]);
		for (int j = 0; j < m->nprops; j++) {
			struct cdb_prop *p = &m->props[j];
			int isref = 0;

			for (int k = 0; k < p->ntypes; k++)
				isref |= p->types[k] == T_REF;
			if (isref && (!p->ref || !cdb_menu_find(c, p->ref)))
				return cdb_errf(e, "schema: %s %s: ref names no menu",
						m->path, p->name);
		}
	}
	return 0;
}

/* FNV-1a, enough to notice that the schema text changed. */
static char *
text_hash(const char *s)
{
	unsigned long long h = 1469598103934665603ULL;
	char *out;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	if (asprintf(&out, "%016llx", h) < 0)
		return NULL;
	return out;
}

int
cdb_catalog_parse(const char *text, const char *file, struct cdb_catalog **out,
		  struct cdb_err *e)
{
	struct cdb_catalog *c = calloc(1, sizeof(*c));
	struct cdb_menu *cur = NULL;
	const char *p = text;
	char fname[128];
	int lineno = 0;

	snprintf(fname, sizeof(fname), "%s", file);
	menu_get(c, "/");
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, len), *copy = strdup(line), *w[64];
		int n = split_words(line, w, 64), bad = n < 0;

		lineno++;
		if (!strncmp(copy, "#file ", 6)) {
			snprintf(fname, sizeof(fname), "%s", copy + 6);
			lineno = 0;
		}
		if (n > 0 && !strcmp(w[0], "menu"))
			bad = line_menu(c, w, n, &cur);
		else if (n > 0 && !strcmp(w[0], "prop"))
			bad = line_prop(cur, w, n);
		else if (n > 0 && !strcmp(w[0], "item"))
			bad = line_item(cur, copy);
		else if (n > 0)
			bad = 1;
		free(line);
		free(copy);
		if (bad) {
			cdb_errf(e, "schema %s line %d: bad declaration", fname, lineno);
			cdb_catalog_free(c);
			return -1;
		}
		p = nl ? nl + 1 : p + len;
	}
	if (catalog_check(c, e)) {
		cdb_catalog_free(c);
		return -1;
	}
	c->hash = text_hash(text);
	*out = c;
	return 0;
}
