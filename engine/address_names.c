/* address_names.c: DNS names in /ip firewall address-list, resolved with
 * glibc's getaddrinfo_a, so the engine's loop never waits for a resolver:
 * a name asked for starts a lookup and counts as empty until the answer
 * is there (polled once a second), then the filter table is written again
 * with its addresses. Names are looked up again every RESOLVE_AGAIN
 * seconds, keeping the old addresses meanwhile, as RouterOS follows a
 * name's changes. */
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "filter.h"
#include "log.h"

#define MAX_NAMES 256
#define MAX_ADDRS 16		/* addresses kept per name */
#define RESOLVE_AGAIN 300	/* seconds */

struct name {
	char host[256];
	struct gaicb cb;
	struct addrinfo hints;
	int pending, failed, used;
	uint32_t addrs[MAX_ADDRS];
	int naddrs;
	time_t when;			/* of the last answer */
};

static struct name *names[MAX_NAMES];
static int nnames;

static int
start(struct name *n)
{
	struct gaicb *list[1] = { &n->cb };

	memset(&n->cb, 0, sizeof(n->cb));
	memset(&n->hints, 0, sizeof(n->hints));
	n->hints.ai_family = AF_INET;
	n->hints.ai_socktype = SOCK_STREAM;
	n->cb.ar_name = n->host;
	n->cb.ar_request = &n->hints;
	n->pending = !getaddrinfo_a(GAI_NOWAIT, list, 1, NULL);
	return n->pending ? 0 : -1;
}

int
address_name_lookup(const char *host, uint32_t *out, int max, const char **why)
{
	struct name *n = NULL;
	int k = 0;

	for (int i = 0; i < nnames && !n; i++)
		if (!strcmp(names[i]->host, host))
			n = names[i];
	if (!n) {
		if (nnames == MAX_NAMES || strlen(host) >= sizeof(n->host) ||
		    !(n = calloc(1, sizeof(*n)))) {
			*why = "too many DNS names in address lists";
			return -1;
		}
		snprintf(n->host, sizeof(n->host), "%s", host);
		names[nnames++] = n;
		if (start(n))
			n->failed = 1;
	}
	n->used = 1;
	if (n->failed && !n->naddrs) {
		*why = "the DNS name does not resolve to an IPv4 address";
		return -1;
	}
	for (; k < n->naddrs && k < max; k++)
		out[k] = n->addrs[k];
	return k;
}

/* The answer of a finished lookup into n. */
static void
answered(struct name *n, int rc)
{
	struct addrinfo *ai = n->cb.ar_result;

	n->pending = 0;
	n->when = time(NULL);
	n->failed = rc != 0;
	if (rc) {
		log_msg(LOG_WARN, "firewall,dns", "address list name %s: %s", n->host,
			gai_strerror(rc));
		return;
	}
	n->naddrs = 0;
	for (; ai && n->naddrs < MAX_ADDRS; ai = ai->ai_next) {
		uint32_t a = ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr);
		int seen = 0;

		for (int i = 0; i < n->naddrs; i++)
			seen |= n->addrs[i] == a;
		if (!seen)
			n->addrs[n->naddrs++] = a;
	}
	freeaddrinfo(n->cb.ar_result);
	n->cb.ar_result = NULL;
}

void
address_names_poll(struct engine *e)
{
	time_t now = time(NULL);
	int changed = 0;

	for (int i = 0; i < nnames; i++) {
		struct name *n = names[i];
		int rc;

		if (n->pending && (rc = gai_error(&n->cb)) != EAI_INPROGRESS) {
			uint32_t was[MAX_ADDRS];
			int nwas = n->naddrs;

			memcpy(was, n->addrs, sizeof(was));
			answered(n, rc);
			changed |= nwas != n->naddrs || memcmp(was, n->addrs, sizeof(was[0]) * (size_t)nwas) ||
				   rc;
		} else if (!n->pending && now - n->when >= RESOLVE_AGAIN)
			start(n);
	}
	if (changed)
		filter_apply_soon(e);
}

/* Before an apply: names no entry asks for any more go after it. */
void
address_names_mark(void)
{
	for (int i = 0; i < nnames; i++)
		names[i]->used = 0;
}

void
address_names_sweep(void)
{
	for (int i = 0; i < nnames;) {
		struct name *n = names[i];

		/* a lookup under way can not be freed: it goes once answered */
		if (n->used || (n->pending && gai_cancel(&n->cb) != EAI_CANCELED)) {
			i++;
			continue;
		}
		if (n->cb.ar_result)
			freeaddrinfo(n->cb.ar_result);
		free(n);
		names[i] = names[--nnames];
	}
}
