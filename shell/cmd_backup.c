/* cmd_backup.c: /system backup save and load. A backup is the whole database,
 * keys and certificates included, copied with SQLite's online backup API so
 * it is consistent while others write; with a password it is sealed by
 * pki_seal (AES-256-GCM under a PBKDF2-SHA256 key). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "files.h"
#include "request.h"
#include "pki.h"

#define MAGIC "ROSHBAK1"	/* then pki_seal's salt, iv, ciphertext, tag */

static char *
backup_name(const char *name)
{
	size_t n = strlen(name);
	char *s;

	if (n > 7 && !strcmp(name + n - 7, ".backup"))
		return strdup(name);
	return asprintf(&s, "%s.backup", name) < 0 ? NULL : s;
}

static int
read_file(const char *path, unsigned char **data, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		if (f)
			fclose(f);
		return -1;
	}
	*data = malloc(n ? n : 1);
	*len = fread(*data, 1, n, f);
	fclose(f);
	return *len == (size_t)n ? 0 : -1;
}

static int
backup_args(struct cmdctx *c, struct arg **name, struct arg **pass)
{
	*name = arg_find(c, "name");
	*pass = arg_find(c, "password");
	for (int i = 0; i < c->nargs; i++)
		if (&c->args[i] != *name && &c->args[i] != *pass)
			return sh_fail(c->sh, c->args[i].pos, c->args[i].name ?
				       "bad argument name %s" : "expected end of command",
				       c->args[i].name);
	if (!*name)
		return sh_fail(c->sh, c->cmdpos, "missing value of name");
	return 0;
}

/* A backup is of what is committed, so the line may hold no change of its
 * own before it. */
static int
alone(struct cmdctx *c)
{
	if (c->sh->db->txn || c->sh->db->depth > 1)
		return sh_fail(c->sh, c->cmdpos, "failure: %s must run on a line of its own, "
			       "outside an import", c->cmd);
	return 0;
}

/* save name=X [password=P] */
int
cmd_backup_save(struct cmdctx *c)
{
	struct arg *name, *pass;
	char tmp[] = "/tmp/rosh-backup.XXXXXX", *file = NULL;
	unsigned char *data = NULL, *sealed = NULL;
	size_t len = 0, slen;
	struct cdb_err e;
	int fd, rc = -1;

	if (backup_args(c, &name, &pass) || alone(c) || !(file = backup_name(val_text(&name->v))))
		return -1;
	if ((fd = mkstemp(tmp)) < 0) {
		free(file);
		return sh_fail(c->sh, c->cmdpos, "failure: can not make a temporary file");
	}
	close(fd);
	/* the copy reads in the line's transaction, which only read so far */
	if (cdb_backup_to(c->sh->db, tmp, &e) || read_file(tmp, &data, &len)) {
		sh_fail(c->sh, c->cmdpos, "failure: backup failed");
		goto out;
	}
	if (pass && *val_text(&pass->v)) {
		if (pki_seal(MAGIC, val_text(&pass->v), data, len, &sealed, &slen)) {
			sh_fail(c->sh, c->cmdpos, "failure: can not encrypt the backup");
			goto out;
		}
		rc = files_write(c->sh, name->pos, file, (char *)sealed, slen);
	} else
		rc = files_write(c->sh, name->pos, file, (char *)data, len);
	if (!rc)
		fprintf(c->sh->out, "Configuration backup saved\n");
out:
	unlink(tmp);
	free(file);
	free(data);
	free(sealed);
	return rc;
}

/* The plain database bytes of a backup file, opened with pass if sealed. */
static int
open_backup(struct cmdctx *c, struct arg *name, struct arg *pass, unsigned char **db,
	    size_t *len)
{
	char *file = backup_name(val_text(&name->v)), *text;
	size_t n;
	int rc;

	rc = file ? files_read(c->sh, name->pos, file, &text, &n) : -1;
	free(file);
	if (rc)
		return -1;
	if (n >= 8 && !memcmp(text, MAGIC, 8)) {
		rc = !pass || pki_unseal(val_text(&pass->v), (unsigned char *)text, n, db, len);
		free(text);
		if (rc)
			return sh_fail(c->sh, name->pos, "failure: wrong password or damaged backup");
		text = (char *)*db;
		n = *len;
	} else {
		*db = (unsigned char *)text;
		*len = n;
	}
	if (n < 100 || memcmp(text, "SQLite format 3", 16)) {
		free(*db);
		return sh_fail(c->sh, name->pos, "failure: %s is not a backup",
			       val_text(&name->v));
	}
	return 0;
}

/* The staged backup replaces the database: after the line committed, out
 * of any transaction. */
static int
load_staged(struct sh *sh, size_t pos, const char *tmp)
{
	struct cdb_err e;
	int rc;

	if ((rc = cdb_restore_from(sh->db, tmp, &e) || cdb_check_schema(sh->db, &e)))
		sh_fail(sh, pos, "%s", e.msg);
	if (!rc)
		fprintf(sh->out, "Configuration backup loaded\n");
	return rc;
}

static void
unstage(const char *tmp)
{
	unlink(tmp);
}

/* load name=X [password=P]: the whole configuration is replaced, when the
 * line ends (as RouterOS reboots to load one). */
int
cmd_backup_load(struct cmdctx *c)
{
	struct arg *name, *pass;
	char tmp[] = "/tmp/rosh-restore.XXXXXX";
	unsigned char *data = NULL;
	size_t len = 0;
	FILE *f;
	int fd;

	if (backup_args(c, &name, &pass) || alone(c) || open_backup(c, name, pass, &data, &len))
		return -1;
	fd = mkstemp(tmp);
	f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f || fwrite(data, 1, len, f) != len || fclose(f)) {
		free(data);
		unlink(tmp);
		return sh_fail(c->sh, c->cmdpos, "failure: can not stage the backup");
	}
	free(data);
	sh_request(c, load_staged, unstage, tmp, 1);
	return 0;
}
