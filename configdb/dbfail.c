/* dbfail.c: what went wrong with the database file, in words an admin can
 * act on: which file, and why (a read-only file system, permissions, a full
 * disk, another process holding the lock), instead of SQLite's bare "unable
 * to open database file". */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <sqlite3.h>

#include "db_int.h"

/* Why path can not be written: an errno (EROFS, EACCES, ENOSPC), or 0. */
int
cdb_file_unwritable(const char *path)
{
	struct statvfs vfs;
	const char *slash = strrchr(path, '/');
	/* the folder: "/" for "/x", "." for a bare name (even "") */
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	int why = 0;

	if (!dir)
		return 0;
	if (access(path, W_OK) && errno != ENOENT)
		why = errno;
	else if (access(dir, W_OK))	/* the -wal and -shm files go beside it */
		why = errno;
	else if (!statvfs(dir, &vfs)) {
		if (vfs.f_flag & ST_RDONLY)
			why = EROFS;
		else if ((geteuid() ? vfs.f_bavail : vfs.f_bfree) == 0)
			why = ENOSPC;
	}
	free(dir);
	return why;
}

/* The cause in words, RouterOS style (lower case, no full stop). */
const char *
cdb_unwritable_words(int why)
{
	switch (why) {
	case EROFS:
		return "it is on a read-only file system";
	case EACCES:
	case EPERM:
		return "permission denied";
	case ENOSPC:
	case EDQUOT:
		return "not enough disk space";
	default:
		return strerror(why);
	}
}

/* Which process holds the write lock, as "rosh, pid 123,": WAL writers lock
 * byte 120 of the -shm file (SQLite's WAL_WRITE_LOCK) with fcntl, so the
 * kernel can say who. Empty when nobody or not knowable. */
static void
lock_holder(const char *path, char *out, size_t len)
{
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 120, .l_len = 1 };
	char shm[4200], comm[64] = "", proc[64];
	FILE *f;
	int fd;

	*out = '\0';
	snprintf(shm, sizeof(shm), "%s-shm", path);
	if ((fd = open(shm, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK && fl.l_pid > 0) {
		snprintf(proc, sizeof(proc), "/proc/%d/comm", (int)fl.l_pid);
		if ((f = fopen(proc, "r"))) {
			if (fgets(comm, sizeof(comm), f))
				comm[strcspn(comm, "\n")] = '\0';
			fclose(f);
		}
		snprintf(out, len, "%s, pid %d,", comm[0] ? comm : "a process", (int)fl.l_pid);
	}
	close(fd);
}

const char *
cdb_busy_words(struct cdb *c, char *buf, size_t len)
{
	char who[128];

	lock_holder(c->path, who, sizeof(who));
	if (who[0])
		snprintf(buf, len, "failure: configuration is being changed by another session, "
			 "try again (%s holds the lock on %s)", who, c->path);
	else
		snprintf(buf, len, "failure: configuration is being changed by another session, "
			 "try again");
	return buf;
}

/* The failure of the last SQLite call on c, as an error value. what names
 * the part ("database", "journal") for errors that are not the file's. */
int
cdb_db_fail(struct cdb *c, struct cdb_err *e, const char *what)
{
	int rc = sqlite3_extended_errcode(c->conn->db), sys = sqlite3_system_errno(c->conn->db);
	char busy[512];

	switch (rc & 0xff) {
	case SQLITE_FULL:
		return cdb_errf(e, "failure: not enough disk space to write %s, the change is "
				"not saved", c->path);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return cdb_errf(e, "%s", cdb_busy_words(c, busy, sizeof(busy)));
	case SQLITE_READONLY:
		sys = c->ro_why ? c->ro_why : cdb_file_unwritable(c->path);
		return cdb_errf(e, "failure: can not write %s: %s", c->path,
				sys ? cdb_unwritable_words(sys) : "opened read-only");
	case SQLITE_IOERR:
		if (sys == ENOSPC || sys == EDQUOT)
			return cdb_errf(e, "failure: not enough disk space to write %s, the "
					"change is not saved", c->path);
		return cdb_errf(e, "failure: can not write %s: %s", c->path,
				sys ? strerror(sys) : sqlite3_errmsg(c->conn->db));
	case SQLITE_CANTOPEN:
		return cdb_errf(e, "failure: can not open %s: %s", c->path,
				sys ? strerror(sys) : sqlite3_errmsg(c->conn->db));
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return cdb_errf(e, "failure: %s is damaged or is not a Rosh database (%s)",
				c->path, sqlite3_errmsg(c->conn->db));
	default:
		return cdb_errf(e, "failure: %s: %s", what, sqlite3_errmsg(c->conn->db));
	}
}
