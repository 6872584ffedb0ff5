/* pullfilter.c: OpenVPN's --pull-filter (options.c, apply_pull_filter):
 * each pushed option is compared with the filters in their order, the
 * first whose text the option starts with decides: accept keeps it, ignore
 * drops it, reject ends the session. Applied before the session or its
 * owner reads the options, so an ignored "ping" or "route" has no effect
 * anywhere. */
#include <stdio.h>
#include <string.h>

#include "pullfilter.h"

enum pf_action { PF_NONE, PF_ACCEPT, PF_IGNORE, PF_REJECT };

/* The action of the first filter matching the option of olen bytes. */
static enum pf_action
match(const char *opt, size_t olen, const char *filters, int *bad)
{
	const char *f = filters, *end, *text;
	size_t flen, tlen;

	while (f && *f) {
		end = strchr(f, ',');
		flen = end ? (size_t)(end - f) : strlen(f);
		text = memchr(f, ' ', flen);
		if (text) {
			enum pf_action a = !strncmp(f, "accept ", 7) ? PF_ACCEPT :
					   !strncmp(f, "ignore ", 7) ? PF_IGNORE :
					   !strncmp(f, "reject ", 7) ? PF_REJECT : PF_NONE;

			text++;
			tlen = flen - (size_t)(text - f);
			if (a == PF_NONE) {
				*bad = 1;
				return PF_NONE;
			}
			if (tlen <= olen && !memcmp(opt, text, tlen))
				return a;
		} else if (flen) {
			*bad = 1;
			return PF_NONE;
		}
		f = end ? end + 1 : NULL;
	}
	return PF_ACCEPT;
}

int
pull_filter_apply(char *opts, const char *filters, char *why, size_t whylen)
{
	char *r = opts, *w = opts, *end;
	size_t n;
	int bad = 0, first = 1;

	if (!filters || !*filters || !opts)
		return 0;
	while (*r) {
		end = strchr(r, ',');
		n = end ? (size_t)(end - r) : strlen(r);
		switch (match(r, n, filters, &bad)) {
		case PF_REJECT:
			snprintf(why, whylen, "pushed option rejected by pull-filter: %.*s",
				 (int)(n > 200 ? 200 : n), r);
			return -1;
		case PF_ACCEPT:
			if (!first)
				*w++ = ',';
			memmove(w, r, n);
			w += n;
			first = 0;
			break;
		default:
			break;
		}
		if (bad) {
			snprintf(why, whylen, "malformed pull-filter");
			return -1;
		}
		r = end ? end + 1 : r + n;
	}
	*w = '\0';
	return 0;
}
