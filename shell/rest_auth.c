/* rest_auth.c: who a REST request is. Every request carries HTTP Basic
 * credentials, as RouterOS has it, but a password is a PBKDF2 hash that
 * takes some 40 ms to check, so a password proved in the last minute is
 * remembered: as an HMAC-SHA256, under a key drawn at start, of the name,
 * the password and the user's row as it was then (its password hash, group,
 * address, disabled...). Any change to the user changes the row and so
 * forgets the proof; the password itself is never kept. A remembered login
 * still goes through sh_login (as proved, without the password), which
 * checks the address, the group's policy and disabled afresh each time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/random.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/hmac.h>

#include "login.h"
#include "rest.h"

#define PROOFS		64		/* logins remembered */
#define PROOF_SECS	60		/* for so long */

struct proof {
	unsigned char mac[WC_SHA256_DIGEST_SIZE];
	time_t until;
};

static struct proof proofs[PROOFS];
static unsigned char mac_key[32];
static int keyed;

/* The user's row as the HMAC covers it: id, then every property an admin
 * sets (last-logged-in and the like change at each login). */
static int
user_row(struct sh *sh, const char *name, struct cdb_buf *b)
{
	const struct cdb_menu *m = cdb_menu_find(sh->db->cat, "/user");
	struct cdb_item it = { 0 };
	struct cdb_err e;
	long long id = m ? cdb_item_by_key(sh->db, m, name) : 0;

	if (id <= 0 || cdb_item_get(sh->db, m, id, &it, &e))
		return -1;
	cdb_buf_printf(b, "%lld", id);
	for (int i = 0; i < m->nprops && i < it.nv; i++)
		if (!(m->props[i].flags & P_READONLY))
			cdb_buf_printf(b, "\n%zu:%s", it.v[i] ? strlen(it.v[i]) : 0,
				       it.v[i] ? it.v[i] : "");
	cdb_item_clear(&it);
	return 0;
}

static int
mac_of(const char *name, const char *password, const char *row, unsigned char *out)
{
	Hmac h;
	int rc;

	if (!keyed) {
		if (getrandom(mac_key, sizeof(mac_key), 0) != (ssize_t)sizeof(mac_key))
			return -1;
		keyed = 1;
	}
	if (wc_HmacInit(&h, NULL, INVALID_DEVID))
		return -1;
	rc = wc_HmacSetKey(&h, WC_SHA256, mac_key, sizeof(mac_key)) ||
	     wc_HmacUpdate(&h, (const byte *)name, (word32)strlen(name) + 1) ||
	     wc_HmacUpdate(&h, (const byte *)password, (word32)strlen(password) + 1) ||
	     wc_HmacUpdate(&h, (const byte *)row, (word32)strlen(row)) ||
	     wc_HmacFinal(&h, out);
	wc_HmacFree(&h);
	return rc ? -1 : 0;
}

static int
proved(const unsigned char *mac)
{
	time_t now = time(NULL);

	for (int i = 0; i < PROOFS; i++) {
		unsigned char diff = 0;

		for (size_t k = 0; k < sizeof(proofs[i].mac); k++)
			diff |= proofs[i].mac[k] ^ mac[k];
		if (!diff && proofs[i].until > now)
			return 1;
	}
	return 0;
}

/* Into a free slot, else over the one that expires first. */
static void
remember(const unsigned char *mac)
{
	struct proof *p = &proofs[0];

	for (int i = 1; i < PROOFS; i++)
		if (proofs[i].until < p->until)
			p = &proofs[i];
	memcpy(p->mac, mac, sizeof(p->mac));
	p->until = time(NULL) + PROOF_SECS;
}

int
rest_login(struct sh *sh, const char *name, const char *password, const char *addr,
	   const char *via, int *delay_ms)
{
	struct cdb_buf row = { 0 };
	unsigned char mac[WC_SHA256_DIGEST_SIZE];
	int known = 0, macked = 0, rc;
	char *session;

	*delay_ms = 0;
	if (!password)
		password = "";	/* never NULL: to sh_login that means proved */
	if (!user_row(sh, name, &row) && !mac_of(name, password, row.s, mac)) {
		macked = 1;
		known = proved(mac);
	}
	rc = sh_login(sh, name, known ? NULL : password, addr, via, delay_ms);
	if (rc)
		sh->user = NULL;	/* name is the caller's and goes with the request */
	if (!rc && macked && !known)
		remember(mac);
	free(row.s);
	if (!rc && asprintf(&session, "%s[%ld]", name, (long)getpid()) >= 0) {
		free(sh->db->session);	/* the journal says who changed what */
		sh->db->session = session;
	}
	return rc;
}

void
rest_logout(struct sh *sh)
{
	sh_logout(sh);
	sh->user = NULL;
}
