/* configdb.h: the configuration database shared by rosh and roshd.
 * The schema catalog, typed values, items, transactions and the change journal. */
#ifndef CONFIGDB_H
#define CONFIGDB_H

#include <stddef.h>
#include <stdint.h>

/* An error: a message the caller can show as is, RouterOS-worded. */
struct cdb_err {
	char msg[512];
	int arg;			/* index of the cdb_kv at fault, or -1 */
};
int cdb_errf(struct cdb_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Base value types of properties. */
enum cdb_base {
	T_STRING, T_INT, T_BOOL, T_ENUM, T_TIME, T_IP4, T_IP4PREFIX, T_IP4RANGE,
	T_IP6, T_IP6PREFIX, T_MAC, T_HOST, T_REF, T_RATE, T_ROUTES, T_DATE, T_PASSWORD,
	T_PORT, T_VRF, T__COUNT
};

#define P_REQUIRED   0x01u	/* must be given on add */
#define P_SENSITIVE  0x02u	/* hidden unless show-sensitive */
#define P_READONLY   0x04u	/* computed or runtime; never set by the admin */
#define P_NOEXPORT   0x08u	/* never written by export */
#define P_SOFTREF    0x10u	/* reference checked on input, not kept in use */
#define P_LIST       0x20u	/* comma separated list of the base type */
#define P_RANGE      0x40u	/* min/max are set */
#define P_HIDDEN     0x80u	/* kept for the programs, never printed or exported */
#define P_COMPUTED   0x100u	/* filled when read (computed.c), never stored */
#define P_NONEMPTY   0x200u	/* an empty value is refused (a list needs one element) */
#define P_NETWORK    0x400u	/* an ip4-prefix keeps no host bits: 10.5.9.3/24 is 10.5.9.0/24 */

#define CDB_MAXALT 4

struct cdb_prop {
	char *name;			/* property name, e.g. "next-pool" */
	int ntypes;			/* alternatives tried in order */
	enum cdb_base types[CDB_MAXALT];
	unsigned flags;			/* P_* */
	long long min, max;		/* integer range when P_RANGE */
	int len;			/* max characters, 0 when unlimited */
	char **values;			/* enum values */
	char **wire;			/* each value's name on the wire, or NULL */
	int nvalues;
	char **aliases;			/* older names accepted on input (RouterOS 6) */
	char **alias_of;		/* the value each alias means */
	int naliases;
	char **refuse;			/* values refused on write, "*": all but the default */
	int nrefuse;
	char *refuse_why;		/* why they are */
	char **words;			/* literal words accepted besides the type */
	int nwords;
	char *def;			/* canonical default, NULL when none */
	char *ref;			/* referenced menu path for T_REF */
	char *network_of;		/* computed as the network of this prefix property */
	char *fixed_when;		/* can not change once this property has a value */
	char *needs;			/* "P" or "P=a,b": what a non-default value needs (rules.c) */
	char *unique_with;		/* "P,Q": with these, unique among enabled items (rules.c) */
	char *help;			/* one line for ? and the man page */
};

enum cdb_kind {
	M_DIR,		/* only holds submenus */
	M_LIST,		/* items with .id: add, set, remove */
	M_SINGLE,	/* one settings item: set, get */
	M_VIEW,		/* read-only rows written by the engine */
	M_FILES,	/* the file store folder */
};

#define M_ORDERED    0x01u	/* items keep an order (move, place-before) */
#define M_NOEXPORT   0x02u	/* export leaves the menu out */
#define M_DISABLE    0x04u	/* items have a disabled flag (X) */
#define M_COMMENT    0x08u	/* items have a comment (;;;) */
#define M_RUNTIME    0x10u	/* the engine reports running (R) and dynamic (D) items */
#define M_DYNAMIC    0x20u	/* the engine adds dynamic (D) items, none runs (routes) */
#define M_COMPUTED   0x40u	/* items made when read (computed.c), never stored */

struct cdb_item_seed;

struct cdb_menu {
	char *path;			/* "/ip/pool"; "/" for the root */
	enum cdb_kind kind;
	unsigned flags;			/* M_* */
	char *table;			/* SQL table, NULL for dirs */
	char *key;			/* name of the key property, or NULL */
	char *iface;			/* interface type shown in /interface */
	char *default_item;		/* key of the item a command naming none acts on */
	char *need;			/* policy word a change needs beyond write */
	char *help;
	struct cdb_prop *props;
	int nprops;
	char **columns;			/* default print columns */
	int ncolumns;
	char **cmds;			/* commands beyond those of the kind */
	char **actions;			/* the action each of cmds runs */
	int ncmds;
	char *flagdefs;			/* print flags from properties: letters */
	char **flagprops;		/* the bool property behind each letter */
	char **seeds;			/* built-in items: "k=v k=v" lines */
	int nseeds;
	struct cdb_menu *parent;
	struct cdb_menu **kids;
	int nkids;
};

struct cdb_catalog {
	struct cdb_menu **menus;	/* all menus, root first */
	int nmenus;
	char *hash;			/* hash of the schema text it came from */
};

/* ---- catalog.c: schema text -> catalog ---- */
int cdb_catalog_parse(const char *text, const char *file, struct cdb_catalog **out,
		      struct cdb_err *e);
void cdb_catalog_free(struct cdb_catalog *c);
struct cdb_menu *cdb_menu_find(const struct cdb_catalog *c, const char *path);
const struct cdb_prop *cdb_prop_find(const struct cdb_menu *m, const char *name);
int cdb_prop_index(const struct cdb_menu *m, const char *name);
const char *cdb_base_name(enum cdb_base t);
/* An enum value's name on the wire (OpenVPN's name of a cipher or digest,
 * from the schema's values=ours:theirs), or NULL when it declares none;
 * and back, case-insensitively, to our canonical value. */
const char *cdb_enum_wire(const struct cdb_prop *p, const char *value);
const char *cdb_enum_by_wire(const struct cdb_prop *p, const char *wire);

/* ---- types.c: typed values ----
 * Every value travels as text in canonical form; NULL means "not set".
 * cdb_value_parse() checks input against a property and returns the canonical
 * text in *out (malloc'd). References are checked for syntax only; whether the
 * named item exists is the item layer's business. */
int cdb_value_parse(const struct cdb_prop *p, const char *in, char **out,
		    struct cdb_err *e);
/* A canonical value the schema refuses (refuse="yes:why"): -1 with
 * "PROP=VALUE is not supported: why", else 0. */
int cdb_value_refused(const struct cdb_prop *p, const char *canon, struct cdb_err *e);
/* Order two canonical values of p the way an admin expects (numbers and
 * addresses numerically, strings bytewise). */
int cdb_value_cmp(const struct cdb_prop *p, const char *a, const char *b);
/* Parse one base type (no words, no list). 0 or -1 with e set. */
int cdb_type_parse(enum cdb_base t, const struct cdb_prop *p, const char *in,
		   char **out, struct cdb_err *e);
int cdb_parse_ip4(const char *s, uint32_t *ip);
/* An address (host order) as a dotted quad in buf, which it returns. */
char *cdb_fmt_ip4(uint32_t ip, char buf[16]);
/* "10.0.0.1/24" into address (host order) and length. 0 or -1. */
int cdb_parse_ip4prefix(const char *s, uint32_t *ip, int *len);
int cdb_parse_time(const char *s, long long *secs);
/* A rate-limit value "rx[/tx]" in bits per second (k, M, G). 0 or -1. */
int cdb_parse_rate(const char *s, uint64_t *rx, uint64_t *tx);
char *cdb_fmt_time(long long secs);
/* A day, YYYY-MM-DD or mmm/dd/yyyy, into out as YYYY-MM-DD (types_date.c):
 * 0, or -1 when it is no real day from 1970 to 2099. */
int cdb_parse_date(const char *in, char *out, size_t outlen);

/* One pushed route (types_route.c): "network [netmask] [gateway] [metric]"
 * or "network/len [gateway] [metric]". 0, or -1 with why set. */
struct cdb_push_route {
	uint32_t net, mask, gw;		/* host order */
	int has_gw;
	long metric;			/* -1 when not given */
};
int cdb_parse_push_route(const char *s, struct cdb_push_route *r, char *why, size_t wlen);
/* A push-routes value: such routes, comma separated. 0, or -1 with why. */
int cdb_parse_push_routes(const char *s, char *why, size_t wlen);
/* A port or a port range "1000-2000" (types_port.c), in lo and hi. 0 or -1. */
int cdb_parse_port_range(const char *s, int *lo, int *hi);
/* The parsers of the port and vrf types (types_port.c, types_vrf.c). */
int cdb_type_port(const struct cdb_prop *p, const char *in, char **out, struct cdb_err *e,
		  int *rank);
int cdb_type_vrf(const struct cdb_prop *p, const char *in, char **out, struct cdb_err *e,
		 int *rank);
/* Whether this kernel can make VRFs (types_vrf.c). */
int cdb_kernel_has_vrf(void);

/* ---- open.c and db.c: open, transactions ----
 * SQLite is configdb's alone: the connection, its statement cache and the
 * runtime queue are behind conn, which only configdb/ can look into. */
struct cdb_conn;

struct cdb {
	struct cdb_conn *conn;		/* configdb's private state (db_int.h) */
	struct cdb_catalog *cat;
	char *path;			/* database file */
	char *filedir;			/* file store folder beside it */
	char *session;			/* who makes changes, for the journal */
	long long txn;			/* current transaction number, 0 outside */
	int depth;			/* nested begin count */
	long long last_seq;		/* journal seq of the last committed change */
	int system;			/* actions and the engine may set read-only values */
	int safe;			/* this session holds safe mode: its changes are marked */
	const char *txn_kind;		/* "undo", "redo", "revert" while one runs, else NULL */
	long long txn_target;		/* the transaction an undo, redo or revert is about */
	char *txn_label;		/* what the admin typed, shown by history; may be NULL */
	long long next_before;		/* item after the one about to move or go (undo order) */
	int writing;			/* the open transaction holds the write lock */
	unsigned policy;		/* the logged-in user's policy bits (policy.c) */
	int restricted;			/* policy applies (a front end logged a user in) */
	int internal;			/* configdb's own bookkeeping is writing */
	int ro_why;			/* opened read-only: the errno why (EROFS, EACCES,
					 * ENOSPC); every write is refused; 0 writable */
	int engine_down;		/* the console found no roshd: runtime rows are stale */
	int stale_hidden;		/* rows and running flags hidden for that (stale.c) */
};

/* stale.c: whether a roshd listens on its control socket */
int cdb_engine_alive(const char *sockpath);

int cdb_open(const char *path, struct cdb **out, struct cdb_err *e);

/* policy.c: what a session may do, from its group's policy words */
int cdb_policy_bit(const char *word, size_t len);
unsigned cdb_policy_bits(const char *list);
void cdb_set_policy(struct cdb *c, unsigned bits);
int cdb_may(const struct cdb *c, const char *word);
int cdb_policy_covers(const struct cdb *c, unsigned bits);
int cdb_policy_write(const struct cdb *c, struct cdb_err *e);
int cdb_policy_menu(const struct cdb *c, const struct cdb_menu *m, struct cdb_err *e);
/* session.c: who is logged in, and failed logins (bookkeeping the
 * session's policy does not govern) */
long long cdb_active_add(struct cdb *c, const char *name, const char *addr, const char *via,
			 const char *group);
void cdb_active_remove(struct cdb *c, long long id);
void cdb_user_seen(struct cdb *c, long long user);
int cdb_login_failed(struct cdb *c, const char *addr, int window);
/* password.c: PBKDF2-SHA256 hashes of passwords */
int cdb_password_hash(const char *pw, char *out, size_t len);
int cdb_password_check(const char *stored, const char *pw);
void cdb_close(struct cdb *c);
int cdb_begin(struct cdb *c, struct cdb_err *e);
int cdb_commit(struct cdb *c, struct cdb_err *e);
void cdb_rollback(struct cdb *c);
/* Take the write lock for the open transaction now, if it does not hold it
 * (its reads start again from the newest state). A no-op outside a
 * transaction. Fails with a "try again" message when another session keeps
 * the database busy longer than the wait. */
int cdb_write_lock(struct cdb *c, struct cdb_err *e);
/* Before a wait (for time or for a person): let go of what the open
 * transaction holds and go on in a new one. What it wrote is committed
 * (1: the caller tells the engine), a read is ended (0); -1 on error. */
int cdb_unlock(struct cdb *c, struct cdb_err *e);
int cdb_check_schema(struct cdb *c, struct cdb_err *e);
const char *cdb_default_path(void);
const char *cdb_sqlite_version(void);
extern const char cdb_schema_text[];	/* generated from schemas/ */
/* How long a write waits for another connection's lock before it fails
 * (10 s after cdb_open; the engine, whose loop must never wait, sets 0). */
void cdb_set_busy_wait(struct cdb *c, int ms);
/* synchronous=FULL (every commit reaches the disk) or NORMAL (WAL still
 * never corrupts; the last commits may be lost on power loss). */
int cdb_set_sync(struct cdb *c, int full, struct cdb_err *e);
/* A number that changes whenever another connection commits. -1 on error. */
long long cdb_data_version(struct cdb *c);

/* ---- backup.c: the whole database copied to or from a file ---- */
/* Copy the committed database into the SQLite file at path. Outside a
 * transaction. Waits a bounded time for writers. */
int cdb_backup_to(struct cdb *c, const char *path, struct cdb_err *e);
/* Replace the whole database with the SQLite file at path; the caller then
 * brings it in step with cdb_check_schema(). Outside a transaction. */
int cdb_restore_from(struct cdb *c, const char *path, struct cdb_err *e);

/* ---- buf.c: text that grows ---- */
struct cdb_buf {
	char *s;			/* NUL terminated, malloc'd; NULL while empty */
	size_t len, cap;
};
void cdb_buf_add(struct cdb_buf *b, const char *s, size_t n);
void cdb_buf_printf(struct cdb_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- item.c: items of list and single menus ----
 * An item is an array of canonical values indexed like menu->props, plus id. */
struct cdb_item {
	long long id;			/* stable .id, shown as *HEX */
	int builtin;			/* seeded, cannot be removed */
	int dynamic;			/* made by the engine */
	int running;			/* runtime R flag */
	char **v;			/* v[i] for menu->props[i], NULL unset */
	int nv;
};

struct cdb_item_list {
	struct cdb_item *items;
	int n;
};

/* name/value pairs given by a command */
struct cdb_kv {
	const char *name;		/* full property name */
	const char *value;		/* input text; NULL means unset */
};

/* "k=v k=v" text (a schema's seed line) into pairs pointing into *buf; the
 * caller frees *kv and *buf. The number of pairs. */
int cdb_seed_parse(const char *text, struct cdb_kv **kv, char **buf);

int cdb_item_add(struct cdb *c, const struct cdb_menu *m, const struct cdb_kv *kv,
		 int nkv, long long before_id, long long *id, struct cdb_err *e);
int cdb_item_set(struct cdb *c, const struct cdb_menu *m, long long id,
		 const struct cdb_kv *kv, int nkv, struct cdb_err *e);
int cdb_item_remove(struct cdb *c, const struct cdb_menu *m, long long id,
		    struct cdb_err *e);
int cdb_item_move(struct cdb *c, const struct cdb_menu *m, long long id,
		  long long before_id, struct cdb_err *e);
int cdb_item_list(struct cdb *c, const struct cdb_menu *m, struct cdb_item_list *out,
		  struct cdb_err *e);
int cdb_item_get(struct cdb *c, const struct cdb_menu *m, long long id,
		 struct cdb_item *out, struct cdb_err *e);
long long cdb_item_by_key(struct cdb *c, const struct cdb_menu *m, const char *key);
void cdb_item_clear(struct cdb_item *it);
void cdb_item_list_free(struct cdb_item_list *l);
/* the value shown for a property: set value, else default, else NULL */
const char *cdb_item_value(const struct cdb_menu *m, const struct cdb_item *it, int i);
/* the same by property name: NULL when unset without default, or no such property */
const char *cdb_item_text(const struct cdb_menu *m, const struct cdb_item *it, const char *name);

/* ---- journal.c ---- */
struct cdb_change {
	long long seq, txn, time, item;
	char *session, *menu, *op, *before, *after;	/* before/after: "k=v\n" text */
};
int cdb_journal_add(struct cdb *c, const struct cdb_menu *m, long long item, const char *op,
		    const struct cdb_item *before, const struct cdb_item *after,
		    struct cdb_err *e);
long long cdb_journal_last(struct cdb *c);
/* Tables that history, undo and safe mode keep beside the journal. */
int cdb_journal_init(struct cdb *c, struct cdb_err *e);
/* The id of the item listed after id in m (0 when last): undo puts items
 * back before the one that followed them. */
long long cdb_order_next(struct cdb *c, const struct cdb_menu *m, long long id);

/* ---- undo.c: undo and redo whole transactions (one console line each) ----
 * Run inside a transaction. what receives a short description of the undone
 * or redone change. 0, or -1 with e set ("nothing to undo"). */
int cdb_undo(struct cdb *c, char *what, size_t len, struct cdb_err *e);
int cdb_redo(struct cdb *c, char *what, size_t len, struct cdb_err *e);
/* Revert transaction txn (apply its entries backwards) without touching the
 * undo state; the caller marks it. */
int cdb_txn_revert(struct cdb *c, long long txn, struct cdb_err *e);

/* One row of /system history: a transaction. */
struct cdb_history {
	long long txn, time;
	char kind[16];			/* change, undo, redo, revert */
	char session[96];
	char what[256];			/* the line typed, or a summary of the changes */
	int undoable, redoable, safe, nchanges;
};
/* Every transaction, oldest first. */
int cdb_history(struct cdb *c, struct cdb_history **out, int *n, struct cdb_err *e);

/* ---- safemode.c: at most one session holds safe mode; its changes are
 * reverted when it goes away without releasing it ---- */
struct cdb_safe_holder {
	long long pid;
	char start[32];			/* process start time, against pid reuse */
	char user[64];
	long long seq;			/* journal seq when it began */
	long long since;		/* time it began */
};
/* Take safe mode for this process. Fails, naming the holder, if another live
 * session has it. Run inside a transaction. */
int cdb_safe_enter(struct cdb *c, const char *user, struct cdb_err *e);
/* Release safe mode keeping the changes (leave=1), or revert them (leave=0).
 * Run inside a transaction. */
int cdb_safe_leave(struct cdb *c, int keep, struct cdb_err *e);
/* The holder, if any: 1 found, 0 none. */
int cdb_safe_holder(struct cdb *c, struct cdb_safe_holder *h);
/* If the holder's process is gone, revert its changes in one transaction of
 * its own and release. 1 when something was reverted, 0 when nothing to do,
 * -1 on error. */
int cdb_safe_reap(struct cdb *c, struct cdb_err *e);

/* ---- runtime.c: what the engine reports (sessions, interfaces, running
 * flags, status columns, counters, /log) ----
 * None of it is journalled. Writes are queued in memory: repeated writes of
 * one row coalesce, and cdb_rt_flush() writes the queue in one short
 * transaction that never waits for a lock. Reads of list and single menus
 * through the same handle already see the queued values. Menus and
 * properties are named as in the schema; values are canonical text, NULL
 * for none. Ids of rows the engine makes come from a range of their own,
 * counted in memory, so they never meet a configuration item's id. */
#define CDB_RT_ID_BASE 0x40000000LL
long long cdb_rt_new_id(struct cdb *c);
/* Write properties of row id: a view's row (inserted when id is new from
 * cdb_rt_new_id, else updated), or the read-only properties and "running"
 * of a list or single menu's item; id 0 means every item of the menu.
 * 0, or -1 when refused (the reason comes with the next cdb_rt_flush). */
int cdb_rt_put(struct cdb *c, const char *menu, long long id, const struct cdb_kv *kv, int n);
int cdb_rt_del(struct cdb *c, const char *menu, long long id);	/* a view's row */
/* A configuration item of a runtime list the engine finds in the system
 * (a network card in /interface ethernet): inserted with these values,
 * unjournalled, unless an item already has kv[0]'s value (or the key's).
 * The admin owns it afterwards. 0, or -1 when refused. */
int cdb_rt_adopt(struct cdb *c, const char *menu, const struct cdb_kv *kv, int n);
int cdb_rt_running(struct cdb *c, const char *menu, long long id, int on);
/* Nothing runs (the engine starts or stops): rows of runtime views go, the
 * running flags of runtime lists clear, new ids start again. */
void cdb_rt_reset(struct cdb *c);
/* A /log line, time now; /log keeps the newest 1,000. */
/* /log lines the runtime queue holds at most between flushes (the oldest
 * go first); each memory action keeps its memory-lines of what is written. */
#define CDB_LOG_QUEUE 8192
int cdb_rt_log(struct cdb *c, const char *topics, const char *message);
/* Write the queue: 0 written (or nothing to write), 1 the database is busy
 * (the queue is kept: try later), -1 some writes were refused or failed
 * (they are dropped; e says why). */
int cdb_rt_flush(struct cdb *c, struct cdb_err *e);
int cdb_rt_pending(struct cdb *c);	/* writes waiting in the queue */
/* fn(ctx) runs when a write lands in an empty queue: time to plan a flush. */
void cdb_rt_notify(struct cdb *c, void (*fn)(void *ctx), void *ctx);

/* ---- log.c: /log written at once, inside the caller's transaction (the
 * console's :log) ---- */
int cdb_log_add(struct cdb *c, const char *topics, const char *message, struct cdb_err *e);

/* ---- notify.c: tell roshd a commit happened ---- */
int cdb_notify(const char *sockpath, long long seq);
int cdb_request(const char *sockpath, const char *line, char *reply, size_t len);
const char *cdb_default_socket(void);

#endif
