/* tun.h: TUN and TAP interfaces. */
#ifndef TUN_H
#define TUN_H

/* Make an interface named name (tap when tap is set), no packet info
 * header, non-blocking. Returns its fd, or -1 with err set. */
int tun_open(const char *name, int tap, char *err, int errlen);

/* Close a tun/tap fd without blocking the caller on the interface's
 * removal (tun_closer_start() once at start-up makes that possible). */
int tun_closer_start(void);
void tun_close(int fd);

#endif
