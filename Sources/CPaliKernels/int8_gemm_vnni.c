// Many-row int8 products (prefill, vision) on AVX-512 VNNI: int8 weights × int16 activations,
// summed exactly in integers as the decode kernels do (int8_products.c), so a product's value
// does not depend on how many rows it has or on the instruction set:
// out = float(Σ w·q) · (weight scale · activation scale).
//
// One `vpdpwssd` multiplies 16 int32 lanes, each an int16 pair, by a broadcast pair and adds
// both products to its lane. The lanes here are 16 activation rows: the activations are packed
// once per product as 32-row blocks of column pairs (`pali_int16_quantize_pairs`), and each
// weight row, widened to int16 once per tile, is broadcast a pair at a time. A tile is up to
// 32 activation rows (two vectors) × VG_NR weight rows, its 2 · VG_NR accumulators in registers.
#include "CPaliKernels.h"

#include <immintrin.h>
#include <math.h>
#include <string.h>

#include "vector_math.h"

#define VNNI512 __attribute__((target("avx2,fma,avx512f,avx512bw,avx512dq,avx512vl,avx512vnni")))

#define VG_ROWS 32  // activation rows per packed block: two vectors of 16 lanes
#define VG_NR 12    // weight rows per tile: 24 accumulators of the 32 vector registers

// |w| ≤ 127 and |q| ≤ 32767: a pair adds at most 2 · 127 · 32767 = 8322818 to a lane, so 256
// pairs stay below 2³¹ − 1 (2130641408); the lanes are flushed into 64-bit sums after each run.
#define VG_RUN 256

// Activation rows per block of rows sharing the widened weights: their packed pairs
// (rows · k · 2 bytes) stay within half of a 1 MiB L2 while every weight tile passes over them.
#define VG_L2_BYTES (512L * 1024)

static long pairs_of(long k) { return (k + 1) / 2; }

long pali_int16_pairs_count(long rows, long k) {
    long blocks = (rows + VG_ROWS - 1) / VG_ROWS;
    return blocks * pairs_of(k) * VG_ROWS;
}

long pali_int8_gemm_vnni_scratch_bytes(long k) {
    // Widened weight rows [VG_NR, 2 · pairs] int16, then the 64-bit sums [VG_NR, VG_ROWS].
    return VG_NR * 2 * pairs_of(k) * (long)sizeof(int16_t) +
           VG_NR * VG_ROWS * (long)sizeof(int64_t) + 64;
}

void pali_int16_quantize_pairs(const float *a, long rows, long k, long first_block,
                               long end_block, int32_t *packed, float *scales) {
    long pairs = pairs_of(k);
    int16_t q[2 * pairs];  // one row in column order, a zero column appended for odd k
    for (long b = first_block; b < end_block; b++) {
        int32_t *block = packed + b * pairs * VG_ROWS;
        for (long lane = 0; lane < VG_ROWS; lane++) {
            long r = b * VG_ROWS + lane;
            if (r >= rows) {
                for (long u = 0; u < pairs; u++) block[u * VG_ROWS + lane] = 0;
                continue;
            }
            scales[r] = pali_int16_quantize_row(a + r * k, k, q);
            if (k % 2) q[k] = 0;
            for (long u = 0; u < pairs; u++) {
                int32_t pair;
                memcpy(&pair, q + 2 * u, sizeof pair);
                block[u * VG_ROWS + lane] = pair;
            }
        }
    }
}

static inline VNNI512 __m512i broadcast_pair(const int16_t *p) {
    int32_t pair;
    memcpy(&pair, p, sizeof pair);
    return _mm512_set1_epi32(pair);
}

// sums[j * VG_ROWS + lane] += Σ_u w_j[u] · a[u][lane] for j < nr over every pair, where the
// block's lanes are `vectors` × 16 rows. Called with constant nr and vectors.
static inline __attribute__((always_inline)) VNNI512 void tile(
    const int32_t *a, const int16_t *w, long wstride, long pairs, int nr, int vectors,
    int64_t *sums) {
    for (long u0 = 0; u0 < pairs; u0 += VG_RUN) {
        long u1 = u0 + VG_RUN < pairs ? u0 + VG_RUN : pairs;
        __m512i acc[VG_NR][2];
        for (int j = 0; j < nr; j++) acc[j][0] = acc[j][1] = _mm512_setzero_si512();
        for (long u = u0; u < u1; u++) {
            __m512i a0 = _mm512_load_si512(a + u * VG_ROWS);
            __m512i a1 = vectors == 2 ? _mm512_load_si512(a + u * VG_ROWS + 16) : a0;
            for (int j = 0; j < nr; j++) {
                __m512i b = broadcast_pair(w + j * wstride + 2 * u);
                acc[j][0] = _mm512_dpwssd_epi32(acc[j][0], a0, b);
                if (vectors == 2) acc[j][1] = _mm512_dpwssd_epi32(acc[j][1], a1, b);
            }
        }
        for (int j = 0; j < nr; j++)
            for (int v = 0; v < vectors; v++) {
                int64_t *s = sums + j * VG_ROWS + v * 16;
                __m512i lo = _mm512_cvtepi32_epi64(_mm512_castsi512_si256(acc[j][v]));
                __m512i hi = _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(acc[j][v], 1));
                _mm512_storeu_si512(s, _mm512_add_epi64(_mm512_loadu_si512(s), lo));
                _mm512_storeu_si512(s + 8, _mm512_add_epi64(_mm512_loadu_si512(s + 8), hi));
            }
    }
}

#define VG_CASE(NR)                                                                             \
    case NR:                                                                                    \
        if (vectors == 2)                                                                       \
            tile(a, w, wstride, pairs, NR, 2, sums);                                            \
        else                                                                                    \
            tile(a, w, wstride, pairs, NR, 1, sums);                                            \
        break;

static VNNI512 void tile_dispatch(const int32_t *a, const int16_t *w, long wstride, long pairs,
                                  int nr, int vectors, int64_t *sums) {
    switch (nr) {
        VG_CASE(1) VG_CASE(2) VG_CASE(3) VG_CASE(4) VG_CASE(5) VG_CASE(6)
        VG_CASE(7) VG_CASE(8) VG_CASE(9) VG_CASE(10) VG_CASE(11) VG_CASE(12)
    }
}

// Weight row w[k] as int16 into dst[2 · pairs] (a zero appended for odd k).
static VNNI512 void widen_row(const int8_t *w, long k, int16_t *dst) {
    long p = 0;
    for (; p + 32 <= k; p += 32)
        _mm512_storeu_si512(dst + p,
                            _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(w + p))));
    for (; p < k; p++) dst[p] = w[p];
    if (k % 2) dst[k] = 0;
}

void pali_int8_gemm_vnni_range(const int8_t *w, const float *wscales, const int32_t *packed,
                               const float *qscales, float *out, long m, long n, long k,
                               long first, long end, void *scratch) {
    long pairs = pairs_of(k), wstride = 2 * pairs;
    int16_t *wide = (int16_t *)scratch;  // [VG_NR, wstride]
    int64_t *sums = (int64_t *)(((uintptr_t)(wide + VG_NR * wstride) + 63) & ~(uintptr_t)63);
    long blocks = (m + VG_ROWS - 1) / VG_ROWS;
    long per_pass = VG_L2_BYTES / (pairs * VG_ROWS * 4);
    if (per_pass < 1) per_pass = 1;
    for (long b0 = 0; b0 < blocks; b0 += per_pass) {
        long b1 = b0 + per_pass < blocks ? b0 + per_pass : blocks;
        for (long j0 = first; j0 < end; j0 += VG_NR) {
            int nr = end - j0 < VG_NR ? (int)(end - j0) : VG_NR;
            for (int j = 0; j < nr; j++) widen_row(w + (j0 + j) * k, k, wide + j * wstride);
            for (long b = b0; b < b1; b++) {
                long r0 = b * VG_ROWS, live = m - r0 < VG_ROWS ? m - r0 : VG_ROWS;
                memset(sums, 0, VG_NR * VG_ROWS * sizeof *sums);
                tile_dispatch(packed + b * pairs * VG_ROWS, wide, wstride, pairs, nr,
                              live > 16 ? 2 : 1, sums);
                for (long lane = 0; lane < live; lane++)
                    for (int j = 0; j < nr; j++) {
                        float scale = wscales[j0 + j] * qscales[r0 + lane];
                        out[(r0 + lane) * n + j0 + j] = (float)sums[j * VG_ROWS + lane] * scale;
                    }
            }
        }
    }
}
