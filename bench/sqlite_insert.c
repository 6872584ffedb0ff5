/* sqlite_insert.c: the raw SQLite baseline for bench/console.sh.
 *
 * Creates, in a fresh database file, the ppp_secret table exactly as
 * configdb/migrate.c table_sql() lays it out for schemas/ppp.schema, and a
 * journal table like configdb/db.c's, with the pragmas configdb uses
 * (journal_mode=WAL, synchronous=FULL). Then it:
 *
 *   insert: BEGIN IMMEDIATE; N x (INSERT ppp_secret + INSERT journal with a
 *           JSON 'after' value), both through prepared statements that are
 *           reused; COMMIT. Wall time includes the COMMIT (and its fsync).
 *   select: after closing (WAL checkpoint) and reopening, untimed: the same
 *           SELECT configdb runs for a list (all columns, ORDER BY
 *           pos, id), rows kept in memory, then formatted like
 *           `/ppp secret print` (a ";;; comment" line and a padded table
 *           row per item) into a memory buffer.
 *
 * usage: sqlite_insert DB [N] [ROWS.tsv]
 *   DB        path of the database to create (must not exist)
 *   N         number of secrets (default 10000)
 *   ROWS.tsv  optional rows "name<TAB>password<TAB>comment", so the baseline
 *             inserts exactly what the console benchmark imports; without it
 *             equivalent rows are generated.
 *
 * Output: human-readable lines, plus "insert_seconds X", "select_seconds Y"
 * and "select_bytes Z" lines that console.sh parses.
 * Build: gcc -O2 sqlite_insert.c $(pkg-config --cflags --libs sqlite3)
 *
 * The one file outside configdb/ that includes sqlite3.h, on purpose: it is
 * the measure of SQLite alone that configdb is compared with, so it must not
 * go through configdb. It is a benchmark, never built into rosh or roshd.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

static sqlite3 *db;

static void
die(const char *what)
{
	fprintf(stderr, "sqlite_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "?");
	exit(1);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
exec(const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "sqlite_insert: %s: %s\n", sql, msg ? msg : "?");
		exit(1);
	}
}

/* A growing text buffer. */
struct buf {
	char *s;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if (!(b->s = realloc(b->s, b->cap)))
			die("out of memory");
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0)
		die("format");
	if ((size_t)n >= sizeof(tmp))
		n = sizeof(tmp) - 1;
	buf_add(b, tmp, (size_t)n);
}

/* "key":"value" with the escapes configdb/journal.c json_str() makes. */
static void
json_pair(struct buf *b, int first, const char *k, const char *v)
{
	if (!first)
		buf_add(b, ",", 1);
	buf_printf(b, "\"%s\":\"", k);
	for (const char *p = v; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == '"' || ch == '\\')
			buf_printf(b, "\\%c", ch);
		else if (ch < 0x20)
			buf_printf(b, "\\u%04x", ch);
		else
			buf_add(b, p, 1);
	}
	buf_add(b, "\"", 1);
}

struct row {
	char name[64], password[128], comment[256];
};

static struct row *
make_rows(int n, const char *tsv)
{
	struct row *r = calloc((size_t)n, sizeof(*r));
	unsigned long long x = 88172645463325252ULL;
	static const char al[] = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
	FILE *f = NULL;
	char line[1024];
	int i;

	if (!r)
		die("out of memory");
	if (tsv && !(f = fopen(tsv, "r"))) {
		perror(tsv);
		exit(1);
	}
	for (i = 0; i < n; i++) {
		if (f && fgets(line, sizeof(line), f)) {
			char *a = strtok(line, "\t\n"), *b = strtok(NULL, "\t\n"),
			     *c = strtok(NULL, "\n");

			snprintf(r[i].name, sizeof(r[i].name), "%s", a ? a : "");
			snprintf(r[i].password, sizeof(r[i].password), "%s", b ? b : "");
			snprintf(r[i].comment, sizeof(r[i].comment), "%s", c ? c : "");
			continue;
		}
		snprintf(r[i].name, sizeof(r[i].name), "user%05d", i);
		for (int k = 0; k < 16; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			r[i].password[k] = al[x % (sizeof(al) - 1)];
		}
		snprintf(r[i].comment, sizeof(r[i].comment), "Customer %05d - site %d", i, i % 97);
	}
	if (f)
		fclose(f);
	return r;
}

/* Same layout as configdb/migrate.c table_sql() and configdb/db.c meta_sql. */
static const char *schema_sql =
	"CREATE TABLE \"ppp_secret\"(id INTEGER PRIMARY KEY, pos INTEGER,"
	" builtin INTEGER NOT NULL DEFAULT 0, dynamic INTEGER NOT NULL DEFAULT 0,"
	" running INTEGER NOT NULL DEFAULT 0, \"name\" TEXT UNIQUE, \"password\" TEXT,"
	" \"profile\" TEXT, \"service\" TEXT, \"local-address\" TEXT,"
	" \"remote-address\" TEXT, \"routes\" TEXT, \"limit-bytes-in\" INTEGER,"
	" \"limit-bytes-out\" INTEGER, \"disabled\" TEXT, \"comment\" TEXT);"
	"CREATE TABLE journal(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
	" txn INTEGER, time INTEGER, session TEXT, menu TEXT, item INTEGER,"
	" op TEXT, before TEXT, after TEXT, undone INTEGER NOT NULL DEFAULT 0);";

static double
bench_insert(const struct row *r, int n)
{
	sqlite3_stmt *ins, *jr;
	struct buf j = { 0 };
	double t0, t1;

	if (sqlite3_prepare_v2(db, "INSERT INTO \"ppp_secret\"(id, pos, \"name\", \"password\","
			       " \"profile\", \"service\", \"comment\") VALUES(?,?,?,?,?,?,?)",
			       -1, &ins, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO journal(txn,time,session,menu,item,op,before,"
			       "after) VALUES(?,?,?,?,?,?,?,?)", -1, &jr, NULL))
		die("prepare");
	t0 = now();
	exec("BEGIN IMMEDIATE");
	for (int i = 0; i < n; i++) {
		long long id = i + 1;

		sqlite3_bind_int64(ins, 1, id);
		sqlite3_bind_int64(ins, 2, id);
		sqlite3_bind_text(ins, 3, r[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 4, r[i].password, -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 5, "default", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 6, "ovpn", -1, SQLITE_STATIC);
		sqlite3_bind_text(ins, 7, r[i].comment, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			die("insert ppp_secret");
		sqlite3_reset(ins);

		/* the values given, in schema order, as configdb's item_json() */
		j.len = 0;
		buf_add(&j, "{", 1);
		json_pair(&j, 1, "name", r[i].name);
		json_pair(&j, 0, "password", r[i].password);
		json_pair(&j, 0, "profile", "default");
		json_pair(&j, 0, "service", "ovpn");
		json_pair(&j, 0, "comment", r[i].comment);
		buf_add(&j, "}", 1);

		sqlite3_bind_int64(jr, 1, 1);
		sqlite3_bind_int64(jr, 2, (long long)time(NULL));
		sqlite3_bind_text(jr, 3, "console", -1, SQLITE_STATIC);
		sqlite3_bind_text(jr, 4, "/ppp/secret", -1, SQLITE_STATIC);
		sqlite3_bind_int64(jr, 5, id);
		sqlite3_bind_text(jr, 6, "add", -1, SQLITE_STATIC);
		sqlite3_bind_null(jr, 7);
		sqlite3_bind_text(jr, 8, j.s, (int)j.len, SQLITE_STATIC);
		if (sqlite3_step(jr) != SQLITE_DONE)
			die("insert journal");
		sqlite3_reset(jr);
	}
	exec("COMMIT");
	t1 = now();
	sqlite3_finalize(ins);
	sqlite3_finalize(jr);
	free(j.s);
	return t1 - t0;
}

#define NCOL 15	/* name .. comment after id, builtin, dynamic, running */

static char *
dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? strdup((const char *)s) : NULL;
}

static double
bench_select(int n, size_t *bytes)
{
	sqlite3_stmt *st;
	struct buf out = { 0 };
	char **cell;
	int rows = 0, cap = n > 0 ? n : 16;
	int wname = 4, wsvc = 7, wprof = 7, wnum;
	double t0, t1;

	t0 = now();
	if (sqlite3_prepare_v2(db, "SELECT id, builtin, dynamic, running, \"name\", \"password\","
			       " \"profile\", \"service\", \"local-address\", \"remote-address\","
			       " \"routes\", \"limit-bytes-in\", \"limit-bytes-out\", \"disabled\","
			       " \"comment\" FROM \"ppp_secret\"  ORDER BY pos, id", -1, &st, NULL))
		die("prepare select");
	cell = malloc(sizeof(char *) * (size_t)cap * NCOL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (rows == cap) {
			cap *= 2;
			cell = realloc(cell, sizeof(char *) * (size_t)cap * NCOL);
		}
		for (int c = 0; c < NCOL; c++)
			cell[rows * NCOL + c] = dup_col(st, c);
		rows++;
	}
	sqlite3_finalize(st);

	/* widths, then a table like print: ";;; comment" above each row */
	for (int i = 0; i < rows; i++) {
		char **r = &cell[i * NCOL];
		int l;

		if (r[4] && (l = (int)strlen(r[4])) > wname)
			wname = l;
		if (r[7] && (l = (int)strlen(r[7])) > wsvc)
			wsvc = l;
		if (r[6] && (l = (int)strlen(r[6])) > wprof)
			wprof = l;
	}
	wnum = snprintf(NULL, 0, "%d", rows) + 1;
	buf_printf(&out, "Flags: X - disabled\nColumns: NAME, SERVICE, PROFILE, REMOTE-ADDRESS\n");
	buf_printf(&out, "%-*s %-*s  %-*s  %-*s  %s\n", wnum, "#", wname, "NAME", wsvc, "SERVICE",
		   wprof, "PROFILE", "REMOTE-ADDRESS");
	for (int i = 0; i < rows; i++) {
		char **r = &cell[i * NCOL];
		int dis = r[13] && !strcmp(r[13], "yes");

		if (r[14])
			buf_printf(&out, "%*s ;;; %s\n", wnum + 2, "", r[14]);
		buf_printf(&out, "%*d %c %-*s  %-*s  %-*s  %s\n", wnum - 1, i, dis ? 'X' : ' ',
			   wname, r[4] ? r[4] : "", wsvc, r[7] ? r[7] : "any", wprof,
			   r[6] ? r[6] : "default", r[9] ? r[9] : "");
	}
	t1 = now();
	*bytes = out.len;
	for (int i = 0; i < rows * NCOL; i++)
		free(cell[i]);
	free(cell);
	free(out.s);
	if (rows != n)
		fprintf(stderr, "sqlite_insert: selected %d rows, expected %d\n", rows, n);
	return t1 - t0;
}

int
main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 10000;
	struct row *rows;
	double ti, ts;
	size_t bytes = 0;

	if (argc < 2 || n <= 0) {
		fprintf(stderr, "usage: sqlite_insert DB [N] [ROWS.tsv]\n");
		return 2;
	}
	if (access(argv[1], F_OK) == 0) {
		fprintf(stderr, "sqlite_insert: %s exists; give a fresh path\n", argv[1]);
		return 2;
	}
	rows = make_rows(n, argc > 3 ? argv[3] : NULL);
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		die("open");
	exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
	exec(schema_sql);

	ti = bench_insert(rows, n);
	/* Close (which checkpoints the WAL) and reopen, so the SELECT sees the
	 * database as a later `rosh -c print` does. Not timed. */
	sqlite3_close(db);
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		die("reopen");
	exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
	ts = bench_select(n, &bytes);

	printf("SQLite %s, %d rows, journal_mode=WAL synchronous=FULL\n", sqlite3_libversion(), n);
	printf("insert (1 txn, prepared, +journal row each): %9.3f ms  (%.1f us/row)\n",
	       ti * 1e3, ti * 1e6 / n);
	printf("select all + format like print:              %9.3f ms  (%zu bytes)\n",
	       ts * 1e3, bytes);
	printf("insert_seconds %.6f\nselect_seconds %.6f\nselect_bytes %zu\n", ti, ts, bytes);
	sqlite3_close(db);
	free(rows);
	return 0;
}
