/* compneg.c: what the two ends agree on about compression. A client
 * starts with its profile's framing and takes what the server pushes
 * (options.c comp-lzo and compress, init.c do_deferred_options); a server
 * answers a client that has compression on (",comp-lzo" in its options
 * string) with a push, as multi.c compress migrate does, or, with
 * allow-compression asym, with the best algorithm the client announces
 * (comp.c comp_generate_peer_info_string), which we then expand. */
#include <string.h>

#include "peerinfo.h"
#include "session_int.h"

/* The framing and the expanded algorithms of each client setting. */
static const struct {
	enum comp_frame frame;
	unsigned accept;
} client_comp[] = {
	[OVPN_COMP_NO] = { COMP_FRAME_NONE, 0 },
	[OVPN_COMP_LZO_STUB] = { COMP_FRAME_V1, 0 },
	[OVPN_COMP_STUB] = { COMP_FRAME_V1_SWAP, 0 },
	[OVPN_COMP_STUB_V2] = { COMP_FRAME_V2, 0 },
	[OVPN_COMP_LZO] = { COMP_FRAME_V1, COMP_ACCEPT_LZO },
	[OVPN_COMP_LZ4] = { COMP_FRAME_V1_SWAP, COMP_ACCEPT_LZ4 },
	[OVPN_COMP_LZ4_V2] = { COMP_FRAME_V2, COMP_ACCEPT_LZ4 },
};

/* the console's names of the client settings, for the log */
static const char *const client_comp_names[] = { "no", "lzo-stub", "stub", "stub-v2", "lzo",
	"lz4", "lz4-v2", "asym" };

const char *comp_alg_name(unsigned accept)
{
	return accept == COMP_ACCEPT_LZO ? "LZO" : accept == COMP_ACCEPT_LZ4 ? "LZ4" : "none";
}

static int client_may_expand(const struct ovpn_sess *s)
{
	enum ovpn_comp c = s->sh->cfg.compression;

	return c >= OVPN_COMP_LZO && c <= OVPN_COMP_LZ4_V2;
}

void neg_comp_init(struct ovpn_sess *s)
{
	enum ovpn_comp c = s->sh->cfg.compression;

	if (s->server || (unsigned)c >= sizeof(client_comp) / sizeof(client_comp[0]))
		return;
	s->comp = client_comp[c].frame;
	s->comp_accept = client_comp[c].accept;
}

/* The client's announcement (IV_x=1) of an algorithm. */
static int announces(const struct ovpn_sess *s, const char *key)
{
	char v[8];

	return peerinfo_get(s->peer_info, key, v, sizeof(v)) == 0 && !strcmp(v, "1");
}

void neg_comp_server(struct ovpn_sess *s)
{
	if (!occ_uses_comp(s->remote_occ ? s->remote_occ : ""))
		return;
	if (s->sh->cfg.compression == OVPN_COMP_ASYM) {
		if (announces(s, "IV_LZ4v2")) {
			s->comp = COMP_FRAME_V2;
			s->comp_accept = COMP_ACCEPT_LZ4;
			s->comp_push = "compress lz4-v2";
			return;
		}
		if (announces(s, "IV_LZ4")) {
			s->comp = COMP_FRAME_V1_SWAP;
			s->comp_accept = COMP_ACCEPT_LZ4;
			s->comp_push = "compress lz4";
			return;
		}
		if (announces(s, "IV_LZO")) {
			s->comp = COMP_FRAME_V1;
			s->comp_accept = COMP_ACCEPT_LZO;
			s->comp_push = "comp-lzo yes";
			return;
		}
	}
	/* compress migrate: keep the framing, never compress */
	if (announces(s, "IV_COMP_STUBv2")) {
		s->comp = COMP_FRAME_V2;
		s->comp_push = "compress stub-v2";
	} else {
		s->comp = COMP_FRAME_V1;
		s->comp_push = "comp-lzo no";
	}
}

/* A pushed comp-lzo or compress: its framing and the algorithm the peer
 * may then send (0 for the stubs). */
static int pushed(const char *opts, enum comp_frame *frame, unsigned *alg)
{
	char v[32] = "";

	if (push_opt_has(opts, "comp-lzo")) {
		push_opt_get(opts, "comp-lzo", v, sizeof(v));
		*frame = COMP_FRAME_V1;
		*alg = strcmp(v, "no") ? COMP_ACCEPT_LZO : 0;
		return 1;
	}
	if (!push_opt_has(opts, "compress"))
		return 0;
	push_opt_get(opts, "compress", v, sizeof(v));
	*alg = !strcmp(v, "lzo") ? COMP_ACCEPT_LZO
	       : !strcmp(v, "lz4") || !strcmp(v, "lz4-v2") ? COMP_ACCEPT_LZ4 : 0;
	if (!strcmp(v, "stub-v2") || !strcmp(v, "lz4-v2"))
		*frame = COMP_FRAME_V2;
	else if (!strcmp(v, "lzo"))
		*frame = COMP_FRAME_V1;
	else if (!strcmp(v, "migrate"))
		*frame = COMP_FRAME_NONE;
	else
		*frame = COMP_FRAME_V1_SWAP;	/* compress, compress stub, compress lz4 */
	return 1;
}

/* A pushed algorithm replaces ours when the profile has compression (2.6
 * takes it then); with none or a stub, the framing is taken but what
 * arrives compressed is dropped, where 2.6 would refuse the push. */
void neg_comp_pushed(struct ovpn_sess *s, const char *opts)
{
	enum comp_frame frame;
	unsigned alg;

	if (!pushed(opts, &frame, &alg))
		return;
	s->comp = frame;
	s->comp_accept = client_may_expand(s) ? alg : 0;
	if (alg && !s->comp_accept)
		sess_log(s, 1, "the server pushed %s compression, which compression=%s does not "
			 "accept: what it compresses will be dropped",
			 comp_alg_name(alg),
			 (unsigned)s->sh->cfg.compression <= OVPN_COMP_ASYM
				 ? client_comp_names[s->sh->cfg.compression] : "?");
}
