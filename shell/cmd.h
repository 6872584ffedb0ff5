/* cmd.h: a command as run.c hands it over (its menu, its arguments as
 * typed), and the commands: the common ones and each menu's actions. */
#ifndef CMD_H
#define CMD_H

#include "sh.h"

/* An argument of a command as typed. */
struct arg {
	char *name;			/* NULL for an unnamed value */
	struct val v;
	size_t pos;			/* where it starts */
	int unset;			/* !name */
	int bare;			/* a bare word, no '=' */
};

struct cmdctx {
	struct sh *sh;
	struct src *src;
	const struct cdb_menu *m;
	const char *cmd;
	size_t cmdpos;
	struct arg *args;
	int nargs;
	struct where *where;
	struct val *ret;		/* value the command returns */
};

/* cmd_edit.c */
int cmd_add(struct cmdctx *c);
int cmd_set(struct cmdctx *c);
int cmd_unset(struct cmdctx *c);
int cmd_remove(struct cmdctx *c);
int cmd_enable(struct cmdctx *c);
int cmd_disable(struct cmdctx *c);
int cmd_comment(struct cmdctx *c);
int cmd_move(struct cmdctx *c);
int cmd_get(struct cmdctx *c);
int cmd_find(struct cmdctx *c);
int cmd_reset(struct cmdctx *c);
int cmd_active_remove(struct cmdctx *c);
/* cmd_edit_value.c: edit ITEM PROPERTY through the console's editor, which
 * gives the edited text in *out (caller frees): 0, 1 when the admin left
 * it unchanged (Ctrl-C), -1 with the failure recorded. NULL outside the
 * interactive console. */
typedef int (*sh_editor_fn)(struct sh *sh, const char *name, const char *old, char **out);
extern sh_editor_fn sh_value_editor;
int cmd_edit_value(struct cmdctx *c);
int cmd_help(struct cmdctx *c);
/* cmd_print.c, cmd_export.c, cmd_import.c */
int cmd_print(struct cmdctx *c);
int cmd_export(struct cmdctx *c);
int cmd_import(struct cmdctx *c);
/* files.c, cmd_backup.c, cmd_monitor.c, script_cmds.c */
int cmd_file_add(struct cmdctx *c);
int cmd_backup_save(struct cmdctx *c);
int cmd_backup_load(struct cmdctx *c);
int cmd_monitor(struct cmdctx *c);
int cmd_monitor_traffic(struct cmdctx *c);	/* cmd_traffic.c */
int cmd_script_run(struct cmdctx *c);
/* sshkey.c: /user ssh-keys */
int cmd_sshkey_add(struct cmdctx *c);
int cmd_sshkey_import(struct cmdctx *c);
/* cmd_cert.c */
int cmd_cert_sign(struct cmdctx *c);
int cmd_cert_import(struct cmdctx *c);
int cmd_cert_export(struct cmdctx *c);
int cmd_cert_revoke(struct cmdctx *c);
int sh_cert_import_text(struct cmdctx *c, const unsigned char *data, size_t len,
			const char *pass, const char *want, char **first, int counts[3]);
/* cmd_crl.c */
int sh_cert_revoke(struct cmdctx *c, const struct cdb_item *it);
int sh_crl_import_text(struct cmdctx *c, const unsigned char *data, size_t len, const char *url);
int cmd_crl_add(struct cmdctx *c);
int sh_crl_url(const char *host, const char *serial, char *out, size_t len);
/* cmd_ovpn.c */
int cmd_ovpn_export(struct cmdctx *c);
int cmd_ovpn_import(struct cmdctx *c);
/* cmd_user.c: /password */
int cmd_password(struct cmdctx *c);
/* cmd_history.c: /undo, /redo, /system history print */
int cmd_undo(struct cmdctx *c);
int cmd_redo(struct cmdctx *c);
int cmd_history_print(struct cmdctx *c);
/* safemode.c: /system safe-mode, and Ctrl-X */
int cmd_safe_mode(struct cmdctx *c);
int sh_safe_toggle(struct sh *sh, char *msg, size_t len);
void sh_safe_end(struct sh *sh);

#endif
