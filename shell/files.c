/* files.c: the file store, a folder beside the database that /file lists and
 * that import, export file= and later commands read and write. A name may not
 * leave it: no absolute paths, no "..". */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "files.h"
#include "args.h"
#include "items.h"

int
files_path(struct sh *sh, size_t pos, const char *name, char **out)
{
	const char *p;

	if (!*name || name[0] == '/' || strlen(name) > 255)
		return sh_fail(sh, pos, "failure: bad file name %s", name);
	for (p = name; *p; p++)
		if ((unsigned char)*p < ' ' || *p == '\\')
			return sh_fail(sh, pos, "failure: bad file name");
	for (p = name; p; p = strchr(p, '/'), p = p ? p + 1 : NULL)
		if (!strncmp(p, "..", 2) && (p[2] == '/' || !p[2]))
			return sh_fail(sh, pos, "failure: file name %s leaves the file store", name);
	if (name[0] == '.')
		return sh_fail(sh, pos, "failure: bad file name %s", name);
	if (asprintf(out, "%s/%s", sh->db->filedir, name) < 0)
		return sh_fail(sh, pos, "failure: out of memory");
	return 0;
}

int
files_read(struct sh *sh, size_t pos, const char *name, char **text, size_t *len)
{
	struct stat st;
	char *path;
	ssize_t got;
	int fd;

	if (files_path(sh, pos, name, &path))
		return -1;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return sh_fail(sh, pos, "failure: no such file %s", name);
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > FILES_MAX) {
		close(fd);
		return sh_fail(sh, pos, "failure: %s is not a readable file of at most %u bytes",
			       name, FILES_MAX);
	}
	*text = malloc(st.st_size + 1);
	got = read(fd, *text, st.st_size);
	close(fd);
	if (got != st.st_size) {
		free(*text);
		return sh_fail(sh, pos, "failure: can not read %s", name);
	}
	(*text)[got] = '\0';
	*len = got;
	return 0;
}

/* Write whole or not at all: a temporary file renamed into place. */
int
files_write(struct sh *sh, size_t pos, const char *name, const char *text, size_t len)
{
	char *path, *tmp;
	FILE *f;
	int fd, ok;

	if (files_path(sh, pos, name, &path))
		return -1;
	if (asprintf(&tmp, "%s.tmp%d", path, (int)getpid()) < 0) {
		free(path);
		return sh_fail(sh, pos, "failure: out of memory");
	}
	/* the store holds keys, profiles with keys and backups: owner only */
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (fd >= 0 && !f)
		close(fd);
	ok = f && fwrite(text, 1, len, f) == len;
	if (f)
		ok = fclose(f) == 0 && ok;
	ok = ok && rename(tmp, path) == 0;
	if (!ok)
		unlink(tmp);
	free(tmp);
	free(path);
	return ok ? 0 : sh_fail(sh, pos, "failure: can not write %s: %s", name, strerror(errno));
}

static const char *
file_type(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".rsc", "script" }, { ".ovpn", "ovpn file" }, { ".crt", "certificate" },
		{ ".pem", "pem file" }, { ".key", "private key" }, { ".p12", "pkcs12 file" },
		{ ".backup", "backup" },
	};
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t k = strlen(types[i].ext);

		if (n > k && !strcmp(name + n - k, types[i].ext))
			return types[i].type;
	}
	return "file";
}

static int
by_name(const void *a, const void *b)
{
	const struct cdb_item *x = a, *y = b;

	return strcmp(x->v[0], y->v[0]);
}

static void
set_prop(const struct cdb_menu *m, struct cdb_item *it, const char *name, const char *v)
{
	int i = cdb_prop_index(m, name);

	if (i >= 0)
		it->v[i] = strdup(v);
}

#define CONTENTS_MAX 65536	/* /file get NAME contents: larger files read as "" */

/* The text of a small file for its contents property. */
static void
set_contents(const struct cdb_menu *m, struct cdb_item *it, int dir, const char *name,
	     off_t size)
{
	int i = cdb_prop_index(m, "contents"), fd;
	char *buf;
	ssize_t n;

	if (i < 0 || size > CONTENTS_MAX || !(buf = malloc((size_t)size + 1)))
		return;
	n = (fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0 ? -1 :
	    read(fd, buf, (size_t)size);
	if (fd >= 0)
		close(fd);
	if (n < 0 || memchr(buf, '\0', (size_t)n)) {
		free(buf);
		return;
	}
	buf[n] = '\0';
	it->v[i] = buf;
}

/* One item per regular file; the id is the inode, stable while it lives. */
int
files_list(struct sh *sh, const struct cdb_menu *m, struct cdb_item_list *l,
	   struct cdb_err *e)
{
	DIR *d = opendir(sh->db->filedir);
	struct dirent *de;

	memset(l, 0, sizeof(*l));
	if (!d)
		return 0;
	(void)e;
	while ((de = readdir(d))) {
		struct cdb_item *it;
		struct stat st;
		char buf[64];
		int ni = cdb_prop_index(m, "name");

		if (de->d_name[0] == '.' || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) ||
		    !S_ISREG(st.st_mode) || ni != 0)
			continue;
		l->items = realloc(l->items, sizeof(*l->items) * (l->n + 1));
		it = &l->items[l->n++];
		memset(it, 0, sizeof(*it));
		it->id = (long long)st.st_ino;
		it->nv = m->nprops;
		it->v = calloc(m->nprops, sizeof(char *));
		set_prop(m, it, "name", de->d_name);
		set_prop(m, it, "type", file_type(de->d_name));
		snprintf(buf, sizeof(buf), "%lld", (long long)st.st_size);
		set_prop(m, it, "size", buf);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", localtime(&st.st_mtime));
		set_prop(m, it, "creation-time", buf);
		set_contents(m, it, dirfd(d), de->d_name, st.st_size);
	}
	closedir(d);
	if (l->n)
		qsort(l->items, l->n, sizeof(*l->items), by_name);
	return 0;
}

int
files_remove(struct cmdctx *c)
{
	struct arg *a = arg_unnamed(c, 0);
	struct cdb_item_list l;
	struct cdb_err e;
	long long *ids;
	int n, rc = 0;

	if (!a)
		return sh_fail(c->sh, c->cmdpos, "missing value of numbers");
	if (sh_items(c->sh, a->pos, c->m, &a->v, &ids, &n))
		return -1;
	if (files_list(c->sh, c->m, &l, &e)) {
		free(ids);
		return sh_fail(c->sh, a->pos, "no such item");
	}
	for (int i = 0; i < n && !rc; i++)
		for (int k = 0; k < l.n && !rc; k++) {
			char *path;

			if (l.items[k].id != ids[i])
				continue;
			if (files_path(c->sh, a->pos, l.items[k].v[0], &path))
				rc = -1;
			else if (unlink(path))
				rc = sh_fail(c->sh, a->pos, "failure: can not remove %s",
					     l.items[k].v[0]);
			free(path);
		}
	free(ids);
	cdb_item_list_free(&l);
	return rc;
}

/* /file add name=NAME [contents=TEXT]: place a small file from a script. */
int
cmd_file_add(struct cmdctx *c)
{
	struct arg *name = arg_find(c, "name"), *text = arg_find(c, "contents");
	struct stat st;
	char *path;
	int exists;

	for (int i = 0; i < c->nargs; i++)
		if (&c->args[i] != name && &c->args[i] != text)
			return sh_fail(c->sh, c->args[i].pos, c->args[i].name ?
				       "bad argument name %s" : "expected end of command",
				       c->args[i].name);
	if (!name)
		return sh_fail(c->sh, c->cmdpos, "failure: name must be set");
	if (files_path(c->sh, name->pos, val_text(&name->v), &path))
		return -1;
	exists = lstat(path, &st) == 0;
	free(path);
	if (exists)
		return sh_fail(c->sh, name->pos, "failure: file %s already exists",
			       val_text(&name->v));
	return files_write(c->sh, name->pos, val_text(&name->v),
			   text ? val_text(&text->v) : "", text ? strlen(val_text(&text->v)) : 0);
}
