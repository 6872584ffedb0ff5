/* pump.c: packets between a tunnel's interface and its session, for
 * server peers and clients alike: both count and rate-limit here, and a
 * full interface queue (EAGAIN) drops the packet quietly, as a full link
 * does. The batching (tun_gso.c, tun_gro.c) is kept: a read may be a whole
 * TCP burst, and written packets are joined while the caller batches. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "configdb.h"
#include "log.h"
#include "pump.h"
#include "net/tun.h"
#include "net/tun_gro.h"
#include "net/tun_gso.h"
#include "net/udp_gso.h"

#define READS 64		/* reads per wake-up, then back to the loop */
#define SEGS 128		/* packets one burst is cut into at most */

void
pump_batch_want(struct pump_batch *b, int udp, int gro)
{
	if (udp && !b->udp)
		b->udp = calloc(1, sizeof(*b->udp));
	if (gro && !b->gro && (b->gro = malloc(sizeof(*b->gro))))
		tun_gro_init(b->gro);
}

void
pump_batch_send(struct pump_batch *b, int fd, const struct sockaddr *to, socklen_t tolen,
		const uint8_t *pkt, size_t len)
{
	if (b->on && b->udp)
		udp_batch_add(b->udp, fd, to, tolen, pkt, len);
	else
		sendto(fd, pkt, len, MSG_DONTWAIT, to, tolen);
}

void
pump_batch_flush(struct pump_batch *b, int fd)
{
	b->on = 0;
	if (b->udp && fd >= 0)
		udp_batch_flush(b->udp, fd);
	if (b->gro)
		tun_gro_flush(b->gro);
}

void
pump_udp_read(int fd, uint8_t (*bufs)[PUMP_RECV_MAX], int rounds, struct pump_batch *b,
	      pump_datagram_fn fn, void *ctx)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl[PUMP_RECV_BATCH];
	struct mmsghdr msgs[PUMP_RECV_BATCH];
	struct iovec iov[PUMP_RECV_BATCH];
	struct sockaddr_storage from[PUMP_RECV_BATCH];
	int n;

	for (int i = 0; i < PUMP_RECV_BATCH; i++) {
		iov[i] = (struct iovec){ bufs[i], PUMP_RECV_MAX };
		msgs[i].msg_hdr = (struct msghdr){ .msg_name = &from[i], .msg_namelen = sizeof(from[i]),
						   .msg_iov = &iov[i], .msg_iovlen = 1,
						   .msg_control = ctl[i].buf,
						   .msg_controllen = sizeof(ctl[i].buf) };
	}
	for (int round = 0; round < rounds &&
	     (n = recvmmsg(fd, msgs, PUMP_RECV_BATCH, MSG_DONTWAIT, NULL)) > 0; round++) {
		uint64_t now = loop_now();

		b->on = 1;
		for (int i = 0; i < n; i++) {
			size_t len = msgs[i].msg_len, seg = udp_gro_size(&msgs[i].msg_hdr);

			if (!seg)
				seg = len;
			for (size_t off = 0; off < len; off += seg)
				fn(ctx, bufs[i] + off, len - off < seg ? len - off : seg, &from[i],
				   msgs[i].msg_hdr.msg_namelen, now);
			/* the kernel rewrites these: give them back their room */
			msgs[i].msg_hdr.msg_namelen = sizeof(from[i]);
			msgs[i].msg_hdr.msg_controllen = sizeof(ctl[i].buf);
		}
		pump_batch_flush(b, fd);
		if (n < PUMP_RECV_BATCH)
			break;
	}
}

void
pump_batch_free(struct pump_batch *b)
{
	free(b->udp);
	free(b->gro);
	b->udp = NULL;
	b->gro = NULL;
}

void
pump_init(struct pump *p, const char *ifname)
{
	memset(p, 0, sizeof(*p));
	p->tun = -1;
	p->ifname = ifname;
}

int
pump_open(struct pump *p, int tap, char *err, size_t errlen)
{
	p->gso = !tap;
	p->tun = p->gso ? tun_open_gso(p->ifname, err, (int)errlen)
			: tun_open(p->ifname, tap, err, (int)errlen);
	return p->tun < 0 ? -1 : 0;
}

void
pump_rate(struct pump *p, const char *rate_limit)
{
	uint64_t rx = 0, tx = 0;

	if (rate_limit && *rate_limit && cdb_parse_rate(rate_limit, &rx, &tx))
		rx = tx = 0;	/* the console validated it; an old row is no reason to refuse */
	rate_init(&p->rx_rate, rx, loop_now());
	rate_init(&p->tx_rate, tx, loop_now());
}

int
pump_to_tun(struct pump *p, struct pump_batch *b, const uint8_t *pkt, size_t len)
{
	struct tun_gro *gro = b->on ? b->gro : NULL;
	int r;

	if (p->rx_rate.bps && !rate_allow(&p->rx_rate, len, loop_now()))
		return -1;	/* over the rate-limit: dropped, as a policer does */
	p->rx_pkts++;
	p->rx_bytes += len;
	if (p->tun < 0)
		return 0;
	if (p->gso && gro)
		r = tun_gro_add(gro, p->tun, pkt, len);
	else if (p->gso)
		r = tun_gso_write(p->tun, pkt, len);
	else
		r = write(p->tun, pkt, len) < 0 ? -1 : 0;
	if (r < 0 && errno != EAGAIN)
		log_msg(LOG_DEBUG, "ovpn", "%s: write: %s", p->ifname, strerror(errno));
	return 0;
}

void
pump_from_tun(struct pump *p, struct ovpn_sess *sess, const int *stop)
{
	/* one per thread: the loop's, and each worker's (workers.c) */
	static _Thread_local uint8_t buf[TUN_GSO_FRAME_MAX], segs[2 * TUN_GSO_FRAME_MAX];
	struct tun_pkt pkts[SEGS];
	ssize_t n;

	for (int i = 0; i < READS && p->tun >= 0 && (n = read(p->tun, buf, sizeof(buf))) > 0; i++) {
		uint64_t now = loop_now();
		int k = 1;

		if (!sess || *stop)
			continue;
		if (p->gso)
			k = tun_gso_split(buf, (size_t)n, segs, sizeof(segs), pkts, SEGS);
		else
			pkts[0] = (struct tun_pkt){ buf, (size_t)n };
		for (int j = 0; j < k && !*stop; j++) {
			if (p->tx_rate.bps && !rate_allow(&p->tx_rate, pkts[j].len, now))
				continue;
			p->tx_pkts++;
			p->tx_bytes += pkts[j].len;
			ovpn_sess_output(sess, pkts[j].data, pkts[j].len, now);
		}
	}
}

void
pump_close(struct pump *p, struct loop *loop, struct pump_batch *b)
{
	if (p->tun < 0)
		return;
	loop_del(loop, p->tun);
	if (b->gro && b->gro->fd == p->tun)
		tun_gro_init(b->gro);	/* its fd number may come back */
	tun_close(p->tun);
	p->tun = -1;
}
