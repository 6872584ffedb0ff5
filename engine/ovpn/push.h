/* push.h: PUSH_REPLY messages (push.c): the server splits a long option
 * list into messages of at most 1024 bytes chained with
 * "push-continuation 2" and ended by "push-continuation 1"; the client
 * joins them back into one comma-separated list. */
#ifndef OVPN_PUSH_H
#define OVPN_PUSH_H

#include <stddef.h>

#define PUSH_BUNDLE_SIZE 1024
#define PUSH_MAX_MSGS 64
#define PUSH_JOIN_MAX 65536	/* the most a client accepts in total */

struct push_msgs {
	int n;
	char *m[PUSH_MAX_MSGS];		/* "PUSH_REPLY,..." each, malloc'd */
};

/* Split options (comma-separated, no "PUSH_REPLY,") into messages. 0, or
 * -1 when one option is too long for a message or there are too many. */
int push_split(const char *options, struct push_msgs *out);
void push_msgs_free(struct push_msgs *m);

struct push_join {
	char *opts;			/* joined so far, malloc'd */
	size_t len;
};

/* Add one received "PUSH_REPLY..." message: 1 when the reply is complete,
 * 0 when continuations follow, -1 when malformed or too long. */
int push_join_add(struct push_join *j, const char *msg);
void push_join_free(struct push_join *j);

/* The value of the last option called name ("peer-id 3" -> "3"); 0 when
 * found with a value, -1 otherwise. */
int push_opt_get(const char *opts, const char *name, char *val, size_t cap);
/* 1 when an option called name is present, with or without a value. */
int push_opt_has(const char *opts, const char *name);

#endif
