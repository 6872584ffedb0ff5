/* ssh_login.h: the console behind OpenSSH (ssh_login.c). roshd's sshd asks
 * `rosh --authorized-keys LOGIN` for the keys it may accept, and each key
 * forces `rosh --user NAME`, which logs the session in as that user. */
#ifndef SSH_LOGIN_H
#define SSH_LOGIN_H

#include "sh.h"

#define SSH_ACCOUNT "rosh"	/* the one system account SSH logins run as */

/* Print one authorized_keys line per /user ssh-keys key that may log in as
 * the system account login (every key for SSH_ACCOUNT; a user's own keys
 * for its alias). 0, or 1 with a message on stderr. */
int sh_ssh_keys(struct sh *sh, const char *login);
/* Log sh in as name over SSH (from $SSH_CONNECTION), when run as the
 * service account or root; *cmd becomes the client's command
 * ($SSH_ORIGINAL_COMMAND) when it gave one.
 * 0, or 1 with the refusal printed. */
int sh_ssh_login(struct sh *sh, const char *name, const char **cmd);

#endif
