/* tls_verify.h: the client's checks of the server's certificate beyond its
 * chain, shared by tls.c (which runs them after the handshake) and
 * tls_verify.c (which holds them). */
#ifndef OVPN_TLS_VERIFY_H
#define OVPN_TLS_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include <wolfssl/options.h>
#include <wolfssl/ssl.h>

#include "tls.h"

/* 0 when the certificate passes every check asked for: name (NULL: none)
 * matched as r->match says, r->usage, and one of the nfps fingerprints
 * when nfps > 0. Else -1 and why says what failed, for last-error. */
int tls_peer_check(WOLFSSL_X509 *x, const char *name, const struct tls_peer_rules *r,
		   const uint8_t (*fps)[32], int nfps, char *why, size_t n);

#endif
