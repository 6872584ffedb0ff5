/* mssfix.h: TCP MSS clamping on tunnel traffic (see mssfix.c). */
#ifndef OVPN_MSSFIX_H
#define OVPN_MSSFIX_H

#include <stddef.h>
#include <stdint.h>

/* The datagram size the tunnel aims to stay under: OpenVPN 2.6's mssfix
 * default, so a tunnel over a 1500-byte path never fragments. */
#define MSSFIX_DEFAULT 1492

/* 1 when pkt is an IPv4 or IPv6 TCP segment with SYN set (the only ones
 * that carry an MSS option). */
int mss_is_syn(const uint8_t *pkt, size_t len);
/* Lower the MSS option of such a segment so that a full-size segment,
 * sealed with `overhead` bytes of tunnel framing and sent over IPv4/UDP,
 * fits MSSFIX_DEFAULT; the TCP checksum is adjusted. No-op otherwise. */
void mss_clamp(uint8_t *pkt, size_t len, size_t overhead);
/* The same with another datagram size than MSSFIX_DEFAULT (a profile's
 * mssfix N). */
void mss_clamp_to(uint8_t *pkt, size_t len, size_t overhead, unsigned target);

#endif
