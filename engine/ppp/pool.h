/* pool.h: addresses handed out from /ip pool ranges. */
#ifndef POOL_H
#define POOL_H

#include <stdint.h>

struct cdb;

/* Take a free address from pool name, moving on to its next-pool when it
 * runs out. *from gets the pool it came from. -1 when none is free. */
int pool_take(struct cdb *db, const char *name, uint32_t *addr, char from[64]);
/* Hold an address that is not from a pool (a fixed remote-address). */
int pool_hold(uint32_t addr);
void pool_give(uint32_t addr);
int pool_in_use(uint32_t addr);

#endif
