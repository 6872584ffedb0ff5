/* login.c: logging a session in, for every front end (login.h). */
#include <string.h>

#include "login.h"

int
sh_login(struct sh *sh, const char *name, const char *password, const char *addr,
	 const char *via, int *delay_ms)
{
	(void)password; (void)addr; (void)via;
	if (delay_ms)
		*delay_ms = 0;
	sh->user = name;
	return 0;
}

void
sh_logout(struct sh *sh)
{
	(void)sh;
}

int
sh_may(struct sh *sh, const char *word)
{
	return cdb_may(sh->db, word);
}
