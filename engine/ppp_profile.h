/* ppp_profile.h: a /ppp profile's yes/no/default properties read the
 * RouterOS way (ppp_profile.c). */
#ifndef PPP_PROFILE_H
#define PPP_PROFILE_H

struct cdb;

/* Whether property prop of profile is want ("yes", "required"...). A
 * "default" value is the default profile's (the server's default-profile,
 * dflt), and "default" there is what the built-in profile means: yes for
 * change-tcp-mss and use-ipv6, no for the others. */
int ppp_profile_is(struct cdb *db, const char *profile, const char *dflt, const char *prop,
		   const char *want);

#endif
