/* pullfilter.h: OpenVPN's --pull-filter on a joined PUSH_REPLY (see
 * pullfilter.c). */
#ifndef OVPN_PULLFILTER_H
#define OVPN_PULLFILTER_H

#include <stddef.h>

/* Apply filters ("ACTION TEXT" entries, comma separated; ACTION is accept,
 * ignore or reject) to opts (comma separated options) in place: an option
 * whose text starts with TEXT takes the first matching entry's action,
 * unmatched options are accepted. 0, or -1 when an entry rejects an option
 * (why names it) or a filter is malformed. */
int pull_filter_apply(char *opts, const char *filters, char *why, size_t whylen);

#endif
