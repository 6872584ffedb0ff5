/* tun.h: TUN and TAP interfaces. */
#ifndef TUN_H
#define TUN_H

/* Make an interface named name (tap when tap is set), no packet info
 * header, non-blocking. Returns its fd, or -1 with err set. */
int tun_open(const char *name, int tap, char *err, int errlen);

#endif
