/* types_vrf.c: the vrf type, where a server listens: "main", or a VRF the
 * kernel has. A kernel built without VRFs can not honour any other name, so
 * one is refused as unsupported rather than left for the engine to fail on;
 * where VRFs exist, the name must be a link of this machine now. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "configdb.h"

int
cdb_kernel_has_vrf(void)
{
	struct utsname u;
	char path[512];
	static const char *const exts[] = { "", ".xz", ".zst", ".gz" };

	if (access("/sys/module/vrf", F_OK) == 0)
		return 1;
	if (uname(&u))
		return 0;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		snprintf(path, sizeof(path), "/lib/modules/%s/kernel/drivers/net/vrf.ko%s",
			 u.release, exts[i]);
		if (access(path, F_OK) == 0)
			return 1;
	}
	return 0;
}

/* A kernel link of that name: a VRF is a link (ip link add NAME type vrf). */
static int
link_exists(const char *name)
{
	char path[300];
	struct stat st;

	if (!*name || strchr(name, '/') || strlen(name) > 15)
		return 0;
	snprintf(path, sizeof(path), "/sys/class/net/%s", name);
	return stat(path, &st) == 0;
}

int
cdb_type_vrf(const struct cdb_prop *p, const char *in, char **out, struct cdb_err *e,
	     int *rank)
{
	const char *name = p && p->name ? p->name : "vrf";

	(void)rank;
	if (strcmp(in, "main")) {
		if (!cdb_kernel_has_vrf())
			return cdb_errf(e, "%s=%s is not supported: this kernel has no VRF support, "
					"only main", name, in);
		if (!link_exists(in))
			return cdb_errf(e, "input does not match any value of %s", name);
	}
	*out = strdup(in);
	return *out ? 0 : cdb_errf(e, "failure: out of memory");
}
