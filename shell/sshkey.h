/* sshkey.h: OpenSSH public keys as /user ssh-keys holds them (sshkey.c). */
#ifndef SSHKEY_H
#define SSHKEY_H

#include <stddef.h>

#define SSHKEY_MAX 16384	/* the key property's length */

struct sshkey_info {
	char type[24];		/* ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256... */
	int bits;
	char *blob64;		/* the base64 blob as given, malloc'd */
	char *comment;		/* the text after it, malloc'd ("" for none) */
};

/* Parse one authorized_keys-style key "TYPE BASE64 [COMMENT]": the blob is
 * decoded and checked (its type matches, its fields are whole). 0, or -1
 * with a message in err. Options before the type (from=, command=...) are
 * refused: Rosh writes its own. */
int sshkey_parse(const char *text, struct sshkey_info *k, char *err, size_t errlen);
void sshkey_clear(struct sshkey_info *k);

#endif
