/* db_int.h: what the configdb files share among themselves and nobody else:
 * the SQLite connection and the state that rides on it. */
#ifndef DB_INT_H
#define DB_INT_H

#include "configdb.h"

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;
struct cdb_stmt;
struct cdb_rtq;

/* Behind struct cdb's conn. */
struct cdb_conn {
	sqlite3 *db;
	struct cdb_stmt *stmts;		/* prepared statement cache (stmt.c) */
	int nstmts;
	int busy_ms;			/* how long a write waits for a lock */
	struct cdb_rtq *rtq;		/* runtime writes not yet written (runtime.c) */
	struct cdb_log_conf *logconf;	/* /system logging as last read (log_route.c) */
};

/* Run SQL text (several statements may be given). */
int cdb_exec(struct cdb *c, const char *sql, struct cdb_err *e);
int cdb_migrate(struct cdb *c, const struct cdb_catalog *cat, struct cdb_err *e);
/* migrate.c: switch a database made with auto_vacuum off to incremental
 * (a VACUUM, once; left for the next open when busy or the disk is full). */
void cdb_vacuum_mode(struct cdb *c);
/* The -wal file is cut back to this many bytes after a checkpoint. */
#define CDB_WAL_LIMIT "4194304"
/* Quote an SQL identifier: "name" (the caller frees). */
char *cdb_ident(const char *name);
char *cdb_sql_quote(const char *s);
/* Whether a property stores in an INTEGER column. */
int cdb_prop_is_int(const struct cdb_prop *p);
long long cdb_next_id(struct cdb *c);
/* stmt.c */
sqlite3_stmt *cdb_prepare(struct cdb *c, const char *sql, struct cdb_err *e);
void cdb_finish(struct cdb *c, sqlite3_stmt *st);
void cdb_flush_stmts(struct cdb *c);
/* runtime.c: the queue of runtime writes. One write waiting: */
enum rt_kind { RT_DEAD, RT_PUT, RT_DEL, RT_LOG, RT_RESET, RT_ADOPT };
struct rt_col {
	const char *name;		/* a property's name, or "running" or "dynamic" */
	int prop;			/* its index in the menu's props, or -1 */
	char *value;			/* canonical text, NULL for none */
};
struct rt_op {
	enum rt_kind kind;
	const struct cdb_menu *m;	/* PUT, DEL, LOG */
	long long id;			/* PUT: 0 for every item of a list */
	int insert;			/* PUT: a new row of a view */
	struct rt_col *cols;		/* PUT; LOG: time, topics, message */
	int ncols;
	int next;			/* older write in the same hash bucket, or -1 */
};
/* The queued values over items just read (item.c), and the queue's end. */
void cdb_rt_overlay(struct cdb *c, const struct cdb_menu *m, struct cdb_item_list *l);
/* open.c: dotted versions compared number by number, <0, 0, >0 */
int cdb_version_cmp(const char *a, const char *b);
/* computed.c: the computed properties of items just read */
void cdb_computed_fill(const struct cdb_menu *m, struct cdb_item_list *l);
int cdb_computed_rows(const struct cdb_menu *m, long long id, struct cdb_item_list *l,
		      struct cdb_err *e);

struct cdb_cpu_load {
	int cpu;			/* the kernel's number; -1 for the whole machine */
	int load, irq, disk;		/* percent of the last interval */
};
int cdb_cpu_load(struct cdb_cpu_load *out, int n);
/* stale.c: a runtime menu's engine rows and flags hidden while it is down */
void cdb_stale_hide(struct cdb *c, const struct cdb_menu *m, struct cdb_item_list *l);
void cdb_rt_free(struct cdb *c);
/* runtime_sql.c: one queued write as SQL. SQLITE_OK, or SQLite's error. */
int cdb_rt_write(struct cdb *c, const struct rt_op *op);
/* The SQL table behind a menu's runtime rows (/interface's: rt_interface). */
const char *cdb_rt_table(const struct cdb_menu *m);
int cdb_is_iface_view(const struct cdb_menu *m);	/* /interface: every interface */
int cdb_rt_truthy(const char *v);
/* log.c: "YYYY-MM-DD HH:MM:SS" now; a message's /log rows (one per memory
 * action its topics go to); each buffer trimmed to its memory-lines; the
 * copies for remote actions, sent at once. SQLITE_OK, or SQLite's error. */
#define CDB_LOG_KEEP 1000
void cdb_log_time(char *buf, size_t len);
int cdb_log_insert(struct cdb *c, const char *time, const char *topics, const char *message);
int cdb_log_trim(struct cdb *c);
void cdb_log_remote(struct cdb *c, const char *topics, const char *message);

/* log_route.c: /system logging's rules and actions, as last read */
struct cdb_log_action {
	char name[64];
	int remote;			/* target=remote, else memory */
	int lines;			/* memory-lines */
	char host[64], src[64];		/* remote, src-address */
	int port, bsd, facility;	/* remote-port, bsd-syslog, syslog-facility's code */
	int fd;				/* its UDP socket once opened, else -1 */
	int marked;			/* cdb_log_route: the message goes here */
	const char *prefix;		/* and with this prefix (a rule's), or NULL */
};
struct cdb_log_rule {
	char *topics, *prefix;
	int action;			/* index in act */
};
struct cdb_log_conf {
	struct cdb_log_action *act;
	struct cdb_log_rule *rule;
	int nact, nrule;
	char host[256];			/* /system identity name, for syslog */
	long long data_version, seq, txn;	/* the database when read */
};
struct cdb_log_conf *cdb_log_conf(struct cdb *c);
void cdb_log_conf_free(struct cdb_log_conf *lc);
int cdb_log_match(const char *rule, const char *topics);
int cdb_log_route(struct cdb_log_conf *lc, const char *topics);
/* syslog.c: one line to a remote action's server over UDP */
void cdb_syslog_send(struct cdb_log_action *a, const char *host, const char *topics,
		    const char *message);

/* dbfail.c: the database file's failures in words. cdb_db_fail: the last
 * SQLite error on c as e (what names the part for errors not the file's);
 * returns -1. cdb_file_unwritable: why path can not be written, an errno,
 * or 0. cdb_busy_words: the "try again" message naming the lock holder. */
int cdb_db_fail(struct cdb *c, struct cdb_err *e, const char *what);
int cdb_file_unwritable(const char *path);
const char *cdb_unwritable_words(int why);
const char *cdb_busy_words(struct cdb *c, char *buf, size_t len);

/* rules.c: the schema's rules between properties and items (nonempty,
 * needs=, unique-with=) on an item's values; self is its id (0 on add). */
int cdb_check_rules(struct cdb *c, const struct cdb_menu *m, char **vals, long long self,
		    struct cdb_err *e);

/* ASCII digits: <ctype.h> follows the locale and is undefined for negative chars. */
static inline int
cdb_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

#endif
