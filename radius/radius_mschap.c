/* radius_mschap.c: MS-CHAPv2 (RFC 2759) worked out from a clear password, as
 * RouterOS does for user-auth-method=mschap2: OpenVPN carries the password
 * itself, and the RADIUS server is asked as if the client had answered an
 * MS-CHAPv2 challenge. Pure: wolfSSL's MD4, SHA-1 and DES only. */
#include <stdio.h>
#include <string.h>

#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/des3.h>
#include <wolfssl/wolfcrypt/md4.h>
#include <wolfssl/wolfcrypt/sha.h>

#include "radius_client.h"

/* MD4 of the password as UTF-16LE; the password's bytes are taken as
 * Latin-1, as RouterOS passwords are plain ASCII in practice. */
void
mschap2_nt_hash(const char *password, uint8_t hash[16])
{
	uint8_t u[512];
	size_t n = 0;
	Md4 md;

	for (const char *c = password; *c && n + 2 <= sizeof(u); c++) {
		u[n++] = (uint8_t)*c;
		u[n++] = 0;
	}
	wc_InitMd4(&md);
	wc_Md4Update(&md, u, (word32)n);
	wc_Md4Final(&md, hash);
	memset(u, 0, sizeof(u));
}

/* The first 8 bytes of SHA1(peer challenge, authenticator challenge, user);
 * the user name without a domain (RFC 2759 section 8.2). */
static int
challenge_hash(const uint8_t peer[16], const uint8_t auth[16], const char *user,
	       uint8_t out[8])
{
	const char *bs = strrchr(user, '\\');
	uint8_t d[WC_SHA_DIGEST_SIZE];
	wc_Sha sha;

	if (bs)
		user = bs + 1;
	if (wc_InitSha(&sha) || wc_ShaUpdate(&sha, peer, 16) || wc_ShaUpdate(&sha, auth, 16) ||
	    wc_ShaUpdate(&sha, (const uint8_t *)user, (word32)strlen(user)) ||
	    wc_ShaFinal(&sha, d))
		return -1;
	memcpy(out, d, 8);
	return 0;
}

/* Seven key bytes spread over eight, each with odd parity. */
static void
des_key(const uint8_t k7[7], uint8_t k8[8])
{
	uint64_t v = 0;

	for (int i = 0; i < 7; i++)
		v = v << 8 | k7[i];
	for (int i = 0; i < 8; i++) {
		uint8_t b = (uint8_t)((v >> (49 - 7 * i)) & 0x7f) << 1;
		int ones = __builtin_popcount(b);

		k8[i] = b | !(ones & 1);
	}
}

static int
des_block(const uint8_t k7[7], const uint8_t in[8], uint8_t out[8])
{
	uint8_t k8[8];
	Des des;

	des_key(k7, k8);
	if (wc_Des_SetKey(&des, k8, NULL, DES_ENCRYPTION) || wc_Des_EcbEncrypt(&des, out, in, 8))
		return -1;
	return 0;
}

int
mschap2_nt_response(const uint8_t auth_challenge[16], const uint8_t peer_challenge[16],
		    const char *user, const char *password, uint8_t response[24])
{
	uint8_t z[21] = { 0 }, ch[8];
	int r;

	if (challenge_hash(peer_challenge, auth_challenge, user, ch))
		return -1;
	mschap2_nt_hash(password, z);
	r = des_block(z, ch, response) || des_block(z + 7, ch, response + 8) ||
	    des_block(z + 14, ch, response + 16);
	memset(z, 0, sizeof(z));
	return r ? -1 : 0;
}

int
mschap2_authenticator(const char *password, const uint8_t nt_response[24],
		      const uint8_t peer_challenge[16], const uint8_t auth_challenge[16],
		      const char *user, char out[43])
{
	static const char magic1[] = "Magic server to client signing constant";
	static const char magic2[] = "Pad to make it do more than one iteration";
	uint8_t h[16], hh[16], d[WC_SHA_DIGEST_SIZE], ch[8];
	wc_Sha sha;
	Md4 md;
	int r;

	mschap2_nt_hash(password, h);
	wc_InitMd4(&md);
	wc_Md4Update(&md, h, 16);
	wc_Md4Final(&md, hh);
	r = wc_InitSha(&sha) || wc_ShaUpdate(&sha, hh, 16) || wc_ShaUpdate(&sha, nt_response, 24) ||
	    wc_ShaUpdate(&sha, (const uint8_t *)magic1, sizeof(magic1) - 1) ||
	    wc_ShaFinal(&sha, d) || challenge_hash(peer_challenge, auth_challenge, user, ch) ||
	    wc_InitSha(&sha) || wc_ShaUpdate(&sha, d, sizeof(d)) || wc_ShaUpdate(&sha, ch, 8) ||
	    wc_ShaUpdate(&sha, (const uint8_t *)magic2, sizeof(magic2) - 1) ||
	    wc_ShaFinal(&sha, d);
	memset(h, 0, sizeof(h));
	memset(hh, 0, sizeof(hh));
	if (r)
		return -1;
	out[0] = 'S';
	out[1] = '=';
	for (int i = 0; i < 20; i++)
		snprintf(out + 2 + 2 * i, 3, "%02X", d[i]);
	return 0;
}
