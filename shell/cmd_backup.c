/* cmd_backup.c: /system backup save and load. A backup is the whole database,
 * keys and certificates included, copied with SQLite's online backup API so
 * it is consistent while others write; with a password it is sealed with
 * AES-256-GCM under a PBKDF2-SHA256 key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/aes.h>
#include <wolfssl/wolfcrypt/pwdbased.h>
#include <wolfssl/wolfcrypt/random.h>

#include "sh.h"
#include "files.h"

#define MAGIC "ROSHBAK1"	/* 8 bytes, then salt, iv, ciphertext, tag */
#define SALT_LEN 16
#define IV_LEN 12
#define TAG_LEN 16
#define KDF_ROUNDS 200000

static int
derive(const char *pass, const unsigned char *salt, unsigned char key[32])
{
	return wc_PBKDF2(key, (const byte *)pass, (int)strlen(pass), salt, SALT_LEN,
			 KDF_ROUNDS, 32, WC_SHA256);
}

/* MAGIC | salt | iv | AES-256-GCM(plain) | tag, with the header as AAD. */
static int
seal(const char *pass, const unsigned char *plain, size_t len, unsigned char **out,
     size_t *outlen)
{
	size_t hdr = 8 + SALT_LEN + IV_LEN;
	unsigned char key[32], *o = malloc(hdr + len + TAG_LEN);
	WC_RNG rng;
	Aes aes;
	int rc = -1;

	memcpy(o, MAGIC, 8);
	if (wc_InitRng(&rng))
		goto out;
	rc = wc_RNG_GenerateBlock(&rng, o + 8, SALT_LEN + IV_LEN);
	wc_FreeRng(&rng);
	if (rc || derive(pass, o + 8, key) || wc_AesInit(&aes, NULL, INVALID_DEVID)) {
		rc = -1;
		goto out;
	}
	rc = wc_AesGcmSetKey(&aes, key, 32) ||
	     wc_AesGcmEncrypt(&aes, o + hdr, plain, (word32)len, o + 8 + SALT_LEN, IV_LEN,
			      o + hdr + len, TAG_LEN, o, (word32)hdr) ? -1 : 0;
	wc_AesFree(&aes);
out:
	memset(key, 0, sizeof(key));
	if (rc) {
		free(o);
		return -1;
	}
	*out = o;
	*outlen = hdr + len + TAG_LEN;
	return 0;
}

static int
unseal(const char *pass, const unsigned char *in, size_t len, unsigned char **out,
       size_t *outlen)
{
	size_t hdr = 8 + SALT_LEN + IV_LEN, n;
	unsigned char key[32], *o;
	Aes aes;
	int rc;

	if (len < hdr + TAG_LEN)
		return -1;
	n = len - hdr - TAG_LEN;
	o = malloc(n ? n : 1);
	if (derive(pass, in + 8, key) || wc_AesInit(&aes, NULL, INVALID_DEVID)) {
		free(o);
		return -1;
	}
	rc = wc_AesGcmSetKey(&aes, key, 32) ||
	     wc_AesGcmDecrypt(&aes, o, in + hdr, (word32)n, in + 8 + SALT_LEN, IV_LEN,
			      in + hdr + n, TAG_LEN, in, (word32)hdr) ? -1 : 0;
	wc_AesFree(&aes);
	memset(key, 0, sizeof(key));
	if (rc) {
		free(o);
		return -1;
	}
	*out = o;
	*outlen = n;
	return 0;
}

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

/* A backup copies outside the line's transaction, so the line may hold no
 * change of its own before it. */
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
	/* the copy reads outside the command's transaction, which holds no change */
	if (cdb_commit(c->sh->db, &e) || cdb_backup_to(c->sh->db, tmp, &e) ||
	    read_file(tmp, &data, &len)) {
		sh_fail(c->sh, c->cmdpos, "failure: backup failed");
		cdb_begin(c->sh->db, &e);
		goto out;
	}
	cdb_begin(c->sh->db, &e);
	if (pass && *val_text(&pass->v)) {
		if (seal(val_text(&pass->v), data, len, &sealed, &slen)) {
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
		rc = !pass || unseal(val_text(&pass->v), (unsigned char *)text, n, db, len);
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

/* load name=X [password=P]: the whole configuration is replaced. The copy
 * runs outside the command's transaction, which holds no change. */
int
cmd_backup_load(struct cmdctx *c)
{
	struct arg *name, *pass;
	char tmp[] = "/tmp/rosh-restore.XXXXXX";
	unsigned char *data = NULL;
	size_t len = 0;
	struct cdb_err e;
	FILE *f;
	int fd, rc = -1;

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
	if (cdb_commit(c->sh->db, &e) == 0 && cdb_restore_from(c->sh->db, tmp, &e) == 0)
		rc = cdb_check_schema(c->sh->db, &e);
	else
		sh_fail(c->sh, c->cmdpos, "failure: restore failed");
	unlink(tmp);
	cdb_begin(c->sh->db, &e);
	if (!rc)
		fprintf(c->sh->out, "Configuration backup loaded\n");
	return rc ? sh_fail(c->sh, c->cmdpos, "%s", e.msg) : 0;
}
