/* tun_gso.h: TUN interfaces with segmentation offload (see tun_gso.c). */
#ifndef TUN_GSO_H
#define TUN_GSO_H

#include <stddef.h>
#include <stdint.h>

/* Read buffers for such an interface: a virtio_net header and up to 64 KB. */
#define TUN_GSO_FRAME_MAX (65536 + 16)

struct tun_pkt {
	uint8_t *data;
	size_t len;
};

/* A layer-3 TUN interface (no packet info) whose reads carry a virtio_net
 * header and may be TCP bursts of up to 64 KB. fd, or -1 with err set. */
int tun_open_gso(const char *name, char *err, int errlen);

/* Cut one frame read from such an interface into IP packets: pkts[] point
 * into frame (a single packet) or into out (segments). Count, or -1 for a
 * frame that is malformed or does not fit maxpkts / cap. */
int tun_gso_split(uint8_t *frame, size_t len, uint8_t *out, size_t cap, struct tun_pkt *pkts,
		  int maxpkts);

/* Write one whole IP packet to such an interface. 0 or -1 (errno). */
int tun_gso_write(int fd, const uint8_t *pkt, size_t len);

#endif
