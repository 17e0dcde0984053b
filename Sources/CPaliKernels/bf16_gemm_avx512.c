// Many-row bf16 products (prefill, vision) on AVX512_BF16: `vdpbf16ps` multiplies 16 float32
// lanes, each a bf16 pair, by a broadcast pair and adds both products to its lane. The weights
// are bf16 already, so a weight row's column pairs are broadcast straight from the matrix; the
// lanes are 16 activation rows, packed once per product as 32-row blocks of column pairs.
//
// Activations are float32 and the instruction takes bf16, so each is split into two bf16
// parts, hi = bf16(a) and lo = bf16(a − hi), both multiplied: hi + lo carries 16 of a's 24
// significand bits (a relative error below 2⁻¹⁶), and each bf16 × bf16 product is exact in
// float32, so a product deviates from the float32 one by little more than float32 summation
// does. Two instructions per pair still retire more multiply-adds than float32 FMAs on CPUs
// whose bf16 unit is twice as wide as their FMA (BF16Matrix decides where).
#include "CPaliKernels.h"

#include <immintrin.h>
#include <string.h>

#include "vector_math.h"

#define BF16DOT __attribute__((target("avx2,fma,avx512f,avx512bw,avx512dq,avx512vl,avx512bf16")))

#define BG_ROWS 32  // activation rows per packed block: two vectors of 16 lanes
#define BG_NR 12    // weight rows per tile: 24 accumulators, 4 activation vectors, 1 pair

long pali_bf16_pairs_count(long rows, long k) {
    long blocks = (rows + BG_ROWS - 1) / BG_ROWS;
    return blocks * (k / 2) * 2 * BG_ROWS;
}

// float32 → bf16, round to nearest even (NaN kept a NaN).
static inline uint16_t to_bf16(float x) {
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    if ((bits & 0x7FFFFFFF) > 0x7F800000) return (uint16_t)((bits >> 16) | 0x40);
    return (uint16_t)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
}

static inline float from_bf16(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float x;
    memcpy(&x, &bits, sizeof x);
    return x;
}

void pali_bf16_split_pairs(const float *a, long rows, long k, long first_block, long end_block,
                           uint32_t *packed) {
    long pairs = k / 2;
    for (long b = first_block; b < end_block; b++) {
        uint32_t *block = packed + b * pairs * 2 * BG_ROWS;
        for (long lane = 0; lane < BG_ROWS; lane++) {
            long r = b * BG_ROWS + lane;
            for (long u = 0; u < pairs; u++) {
                uint32_t hi = 0, lo = 0;
                if (r < rows) {
                    for (int c = 0; c < 2; c++) {
                        float x = a[r * k + 2 * u + c];
                        uint16_t h = to_bf16(x);
                        uint16_t l = to_bf16(x - from_bf16(h));
                        hi |= (uint32_t)h << (16 * c);
                        lo |= (uint32_t)l << (16 * c);
                    }
                }
                block[(u * 2) * BG_ROWS + lane] = hi;
                block[(u * 2 + 1) * BG_ROWS + lane] = lo;
            }
        }
    }
}

void pali_bf16_split_rows(const float *a, long k, long first, long end, uint16_t *high,
                          uint16_t *low) {
    for (long i = first * k; i < end * k; i++) {
        high[i] = to_bf16(a[i]);
        low[i] = to_bf16(a[i] - from_bf16(high[i]));
    }
}

static inline BF16DOT __m512bh broadcast_bf16_pair(const uint16_t *p) {
    int32_t pair;
    memcpy(&pair, p, sizeof pair);
    return (__m512bh)_mm512_set1_epi32(pair);
}

// out[lane · n + j] = Σ_u w_j[u] · (hi + lo)[u][lane] for j < nr and the block's first `live`
// lanes (vectors × 16 computed). Called with constant nr and vectors.
static inline __attribute__((always_inline)) BF16DOT void tile(
    const uint32_t *a, const uint16_t *w, long k, long pairs, int nr, int vectors, float *out,
    long n, long live) {
    __m512 acc[BG_NR][2];
    for (int j = 0; j < nr; j++) acc[j][0] = acc[j][1] = _mm512_setzero_ps();
    for (long u = 0; u < pairs; u++) {
        const uint32_t *au = a + u * 2 * BG_ROWS;
        __m512bh hi0 = (__m512bh)_mm512_load_si512(au);
        __m512bh lo0 = (__m512bh)_mm512_load_si512(au + BG_ROWS);
        __m512bh hi1 = vectors == 2 ? (__m512bh)_mm512_load_si512(au + 16) : hi0;
        __m512bh lo1 = vectors == 2 ? (__m512bh)_mm512_load_si512(au + BG_ROWS + 16) : lo0;
        for (int j = 0; j < nr; j++) {
            __m512bh b = broadcast_bf16_pair(w + j * k + 2 * u);
            acc[j][0] = _mm512_dpbf16_ps(_mm512_dpbf16_ps(acc[j][0], lo0, b), hi0, b);
            if (vectors == 2)
                acc[j][1] = _mm512_dpbf16_ps(_mm512_dpbf16_ps(acc[j][1], lo1, b), hi1, b);
        }
    }
    float lanes[BG_ROWS];
    for (int j = 0; j < nr; j++) {
        _mm512_storeu_ps(lanes, acc[j][0]);
        if (vectors == 2) _mm512_storeu_ps(lanes + 16, acc[j][1]);
        for (long lane = 0; lane < live; lane++) out[lane * n + j] = lanes[lane];
    }
}

#define BG_CASE(NR)                                                                             \
    case NR:                                                                                    \
        if (vectors == 2)                                                                       \
            tile(a, wj, k, pairs, NR, 2, o, n, live);                                           \
        else                                                                                    \
            tile(a, wj, k, pairs, NR, 1, o, n, live);                                           \
        break;

// Blocks of rows whose packed parts (rows · k · 4 bytes) stay within half of a 1 MiB L2 while
// every weight tile passes over them.
#define BG_L2_BYTES (512L * 1024)

BF16DOT void pali_bf16_gemm_bf16dot_range(const uint16_t *w, const uint32_t *packed, float *out,
                                  long m, long n, long k, long first, long end) {
    long pairs = k / 2, blocks = (m + BG_ROWS - 1) / BG_ROWS;
    long per_pass = BG_L2_BYTES / (pairs * 2 * BG_ROWS * 4);
    if (per_pass < 1) per_pass = 1;
    for (long b0 = 0; b0 < blocks; b0 += per_pass) {
        long b1 = b0 + per_pass < blocks ? b0 + per_pass : blocks;
        for (long j0 = first; j0 < end; j0 += BG_NR) {
            int nr = end - j0 < BG_NR ? (int)(end - j0) : BG_NR;
            for (long b = b0; b < b1; b++) {
                long r0 = b * BG_ROWS, live = m - r0 < BG_ROWS ? m - r0 : BG_ROWS;
                int vectors = live > 16 ? 2 : 1;
                const uint32_t *a = packed + b * pairs * 2 * BG_ROWS;
                const uint16_t *wj = w + j0 * k;
                float *o = out + r0 * n + j0;
                switch (nr) {
                    BG_CASE(1) BG_CASE(2) BG_CASE(3) BG_CASE(4) BG_CASE(5) BG_CASE(6)
                    BG_CASE(7) BG_CASE(8) BG_CASE(9) BG_CASE(10) BG_CASE(11) BG_CASE(12)
                }
            }
        }
    }
}
