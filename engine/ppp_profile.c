/* ppp_profile.c: "default" in a profile's yes/no properties. RouterOS
 * composes a session's settings from its profile and the default profile
 * of the service; a value of default defers to the latter, and on the
 * default profile itself it is the built-in meaning. */
#include <stdio.h>
#include <string.h>

#include "configdb.h"
#include "ppp_profile.h"

/* The profile's own value of prop into buf ("" when it has none). */
static void
value(struct cdb *db, const char *profile, const char *prop, char *buf, size_t len)
{
	const struct cdb_menu *m = cdb_menu_find(db->cat, "/ppp/profile");
	long long id = m && profile ? cdb_item_by_key(db, m, profile) : 0;
	struct cdb_item it = { 0 };
	struct cdb_err e;
	const char *v;

	buf[0] = '\0';
	if (id <= 0 || cdb_item_get(db, m, id, &it, &e))
		return;
	if ((v = cdb_item_text(m, &it, prop)))
		snprintf(buf, len, "%s", v);
	cdb_item_clear(&it);
}

int
ppp_profile_is(struct cdb *db, const char *profile, const char *dflt, const char *prop,
	       const char *want)
{
	char v[32];

	value(db, profile, prop, v, sizeof(v));
	if ((!*v || !strcmp(v, "default")) && dflt && profile && strcmp(profile, dflt))
		value(db, dflt, prop, v, sizeof(v));
	if (!*v || !strcmp(v, "default"))
		snprintf(v, sizeof(v), "%s", !strcmp(prop, "change-tcp-mss") ||
			 !strcmp(prop, "use-ipv6") ? "yes" : "no");
	return !strcmp(v, want);
}
