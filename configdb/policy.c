/* policy.c: what a logged-in session may do. The checks sit where every
 * change passes (the write lock, and each item's menu), so no front end,
 * script or import can go around them. */
#include <string.h>

#include "configdb.h"

static const char *const words[] = {
	"local", "ssh", "read", "write", "policy", "test", "password", "sensitive", "api",
	"rest-api", "reboot", "telnet", "ftp", "winbox", "web", "sniff", "romon", "tikapp",
	"dude",
};

int
cdb_policy_bit(const char *word, size_t len)
{
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strlen(words[i]) == len && !strncmp(words[i], word, len))
			return (int)i;
	return -1;
}

/* "local,ssh,!ftp": the words granted ("!word" grants nothing). */
unsigned
cdb_policy_bits(const char *list)
{
	unsigned bits = 0;

	while (list && *list) {
		size_t n = strcspn(list, ",");
		int b = *list != '!' ? cdb_policy_bit(list, n) : -1;

		if (b >= 0)
			bits |= 1u << b;
		list += n + (list[n] == ',');
	}
	return bits;
}

void
cdb_set_policy(struct cdb *c, unsigned bits)
{
	c->policy = bits;
	c->restricted = 1;
}

int
cdb_may(const struct cdb *c, const char *word)
{
	int b = cdb_policy_bit(word, strlen(word));

	return !c->restricted || c->internal || (b >= 0 && (c->policy >> b & 1));
}

/* Any change at all needs write; configdb's own bookkeeping (the log, who is
 * logged in) runs as internal. */
int
cdb_policy_write(const struct cdb *c, struct cdb_err *e)
{
	if (cdb_may(c, "write"))
		return 0;
	return cdb_errf(e, "not enough permissions (9)");
}

/* A menu may need more than write: users and groups need policy. */
int
cdb_policy_menu(const struct cdb *c, const struct cdb_menu *m, struct cdb_err *e)
{
	if (cdb_policy_write(c, e))
		return -1;
	if (m->need && !cdb_may(c, m->need))
		return cdb_errf(e, "not enough permissions (9)");
	return 0;
}

/* Whether the session holds every word in bits (a script asks for them). */
int
cdb_policy_covers(const struct cdb *c, unsigned bits)
{
	return !c->restricted || c->internal || !(bits & ~c->policy);
}
