/* cpu.c: the same binary on any x86-64 CPU. A wolfSSL built with AES-NI and
 * the Intel assembly picks its code by CPUID flags, but trusts them further
 * than it should: its AES-GCM takes the AVX path before it asks for AES-NI,
 * no path asks for PCLMULQDQ, and AVX is taken from CPUID alone, not from
 * whether the kernel saves the AVX registers. Before any crypto runs, the
 * flags wolfSSL will read are narrowed to what this CPU and kernel can run.
 * ROSH_CRYPTO=portable takes the C code on any CPU: the fallback's test,
 * and a measure of what the assembly gains. */
#include <wolfssl/options.h>
#include <wolfssl/wolfcrypt/settings.h>
#include <wolfssl/wolfcrypt/cpuid.h>

#include "pki.h"

#if defined(WOLFSSL_AESNI) && defined(HAVE_CPUID_INTEL) && defined(__x86_64__)
#include <stdlib.h>
#include <string.h>

/* What the CPU offers that wolfSSL's assembly needs. */
struct cpu_has {
	int aesni, pclmul, avx_os, avx2;
};

static void
cpuid(unsigned leaf, unsigned sub, unsigned *a, unsigned *b, unsigned *c, unsigned *d)
{
	__asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static struct cpu_has
cpu_probe(void)
{
	struct cpu_has h = { 0 };
	unsigned max, a, b, c, d;

	cpuid(0, 0, &max, &b, &c, &d);
	if (max < 1)
		return h;
	cpuid(1, 0, &a, &b, &c, &d);
	h.aesni = (c >> 25) & 1;
	h.pclmul = (c >> 1) & 1;
	/* AVX needs the CPU's bit and the kernel's consent (OSXSAVE, then
	 * XCR0 saving the SSE and AVX state) */
	if (((c >> 28) & 1) && ((c >> 27) & 1)) {
		unsigned lo, hi;

		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		h.avx_os = (lo & 6) == 6;
	}
	if (h.avx_os && max >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		h.avx2 = (b >> 5) & 1;
	}
	return h;
}

static const char *crypto_path = "portable C";

/* Runs before main, so before any AES key is set: wolfSSL reads the
 * flags once, at its first AES key. */
__attribute__((constructor)) static void
cpu_select(void)
{
	struct cpu_has h = cpu_probe();
	word32 f = cpuid_get_flags();
	const char *force = getenv("ROSH_CRYPTO");

	if (force && !strcmp(force, "portable"))
		h.aesni = h.avx_os = h.avx2 = 0;

	if (!h.avx_os)
		f &= ~(word32)(CPUID_AVX1 | CPUID_AVX2);
	if (!h.avx2)
		f &= ~(word32)CPUID_AVX2;
	/* without AES-NI or PCLMULQDQ every AES path must be the C one, and
	 * the AVX GCM paths use both */
	if (!h.aesni || !h.pclmul)
		f &= ~(word32)(CPUID_AESNI | CPUID_AVX1 | CPUID_AVX2);
	cpuid_select_flags(f);
	if (IS_INTEL_AESNI(f))
		crypto_path = IS_INTEL_AVX2(f) ? "AES-NI, AVX2" :
			      IS_INTEL_AVX1(f) ? "AES-NI, AVX" : "AES-NI";
}

const char *
pki_crypto_path(void)
{
	return crypto_path;
}
#else
const char *
pki_crypto_path(void)
{
	return "wolfSSL's portable C";
}
#endif
