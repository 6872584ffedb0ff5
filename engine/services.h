/* services.h: /ip service, the remote management servers roshd keeps
 * running as its children (services.c), and SSH's own sshd (sshd.c). */
#ifndef SERVICES_H
#define SERVICES_H

#include "engine.h"

/* services.c */
void services_reconcile(struct engine *e);
void services_stop(void);

/* sshd.c: everything the ssh service needs before sshd starts: the service
 * account, the user aliases, host keys, the copy of rosh sshd may run, the
 * database shared with the account, and the config. 0 with the config's
 * path in conf (its text in *fp, to notice changes), or -1 with why. */
int sshd_prepare(struct engine *e, const struct cdb_menu *m, const struct cdb_item *it,
		 char *conf, size_t conflen, char **fp, char *why, size_t whylen);
/* One system account per Rosh user with a key (on), or none (off). */
void sshd_aliases(struct engine *e, int on);
/* Run a program and wait for it: its exit status, or -1. */
int run_wait(char *const argv[]);

#endif
