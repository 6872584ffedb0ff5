/* configdb.h: the configuration database shared by rosh and roshd.
 * The schema catalog, typed values, items, transactions and the change journal. */
#ifndef CONFIGDB_H
#define CONFIGDB_H

#include <stddef.h>
#include <stdint.h>

typedef struct sqlite3 sqlite3;

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
	T_IP6, T_IP6PREFIX, T_MAC, T_HOST, T_REF, T_RATE,
	T__COUNT
};

#define P_REQUIRED   0x01u	/* must be given on add */
#define P_SENSITIVE  0x02u	/* hidden unless show-sensitive */
#define P_READONLY   0x04u	/* computed or runtime; never set by the admin */
#define P_NOEXPORT   0x08u	/* never written by export */
#define P_SOFTREF    0x10u	/* reference checked on input, not kept in use */
#define P_LIST       0x20u	/* comma separated list of the base type */
#define P_RANGE      0x40u	/* min/max are set */
#define P_HIDDEN     0x80u	/* kept for the programs, never printed or exported */

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
	char **words;			/* literal words accepted besides the type */
	int nwords;
	char *def;			/* canonical default, NULL when none */
	char *ref;			/* referenced menu path for T_REF */
	char *network_of;		/* computed as the network of this prefix property */
	char *fixed_when;		/* can not change once this property has a value */
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

struct cdb_item_seed;

struct cdb_menu {
	char *path;			/* "/ip/pool"; "/" for the root */
	enum cdb_kind kind;
	unsigned flags;			/* M_* */
	char *table;			/* SQL table, NULL for dirs */
	char *key;			/* name of the key property, or NULL */
	char *iface;			/* interface type shown in /interface */
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
/* Order two canonical values of p the way an admin expects (numbers and
 * addresses numerically, strings bytewise). */
int cdb_value_cmp(const struct cdb_prop *p, const char *a, const char *b);
/* Parse one base type (no words, no list). 0 or -1 with e set. */
int cdb_type_parse(enum cdb_base t, const struct cdb_prop *p, const char *in,
		   char **out, struct cdb_err *e);
int cdb_parse_ip4(const char *s, uint32_t *ip);
/* "10.0.0.1/24" into address (host order) and length. 0 or -1. */
int cdb_parse_ip4prefix(const char *s, uint32_t *ip, int *len);
int cdb_parse_time(const char *s, long long *secs);
/* A rate-limit value "rx[/tx]" in bits per second (k, M, G). 0 or -1. */
int cdb_parse_rate(const char *s, uint64_t *rx, uint64_t *tx);
char *cdb_fmt_time(long long secs);

/* ---- db.c: open, transactions ---- */
struct cdb {
	sqlite3 *db;
	struct cdb_catalog *cat;
	char *path;			/* database file */
	char *filedir;			/* file store folder beside it */
	char *session;			/* who makes changes, for the journal */
	long long txn;			/* current transaction number, 0 outside */
	int depth;			/* nested begin count */
	long long last_seq;		/* journal seq of the last committed change */
	int system;			/* actions and the engine may set read-only values */
	struct cdb_stmt *stmts;		/* prepared statement cache (stmt.c) */
	int nstmts;
	int safe;			/* this session holds safe mode: its changes are marked */
	const char *txn_kind;		/* "undo", "redo", "revert" while one runs, else NULL */
	long long txn_target;		/* the transaction an undo, redo or revert is about */
	char *txn_label;		/* what the admin typed, shown by history; may be NULL */
	long long next_before;		/* item after the one about to move or go (undo order) */
};

int cdb_open(const char *path, struct cdb **out, struct cdb_err *e);
void cdb_close(struct cdb *c);
int cdb_begin(struct cdb *c, struct cdb_err *e);
int cdb_commit(struct cdb *c, struct cdb_err *e);
void cdb_rollback(struct cdb *c);
int cdb_exec(struct cdb *c, const char *sql, struct cdb_err *e);
int cdb_check_schema(struct cdb *c, struct cdb_err *e);
const char *cdb_default_path(void);
extern const char cdb_schema_text[];	/* generated from schemas/ */

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

/* ---- notify.c: tell roshd a commit happened ---- */
int cdb_notify(const char *sockpath, long long seq);
int cdb_request(const char *sockpath, const char *line, char *reply, size_t len);
const char *cdb_default_socket(void);

#endif
