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

#include "u8_output.h"
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

// MARK: 8-bit activations (u8 × s8)
//
// `vpdpbusd` multiplies 16 int32 lanes, each four unsigned bytes, by four signed bytes and adds
// the four products to its lane: twice the multiply-adds of `vpdpwssd` at the same rate. The
// activations are quantised per row to int8, q = round(x · 127 / max |x|), and stored as
// u = q + 128 (1 … 255); the weights' row sums undo the offset: Σ q·w = Σ u·w − 128 · Σ w.
// Lanes are 32 activation rows (two vectors) as above, four columns per lane; the weights
// need no widening: four int8 weights are broadcast as one int32.

#define VU_NR 12  // weight rows per tile, as VG_NR

// |u · w| ≤ 255 · 127, four per instruction: a lane stays below 2³¹ − 1 for 16384 quads.
#define VU_MAX_QUADS 16384

// Callers pass k a multiple of 4 (pali_u8_activations_fit).
static long quads_of(long k) { return k / 4; }

long pali_u8_quads_count(long rows, long k) {
    long blocks = (rows + VG_ROWS - 1) / VG_ROWS;
    return blocks * quads_of(k) * VG_ROWS;
}

int pali_u8_activations_fit(long k) { return k % 4 == 0 && k / 4 <= VU_MAX_QUADS; }

// One row x[k] as q + 128 into u[k]; returns its scale, max |x| / 127 (NaN for a NaN or
// infinite row, whose outputs are then NaN as a float product's would be).
static VNNI512 float quantize_u8_row(const float *x, long k, uint8_t *u) {
    float absmax = pali_absmax_avx2(x, k);
    if (!isfinite(absmax)) {
        memset(u, 128, (size_t)k);
        return NAN;
    }
    const float inverse = absmax > 0 ? 127.0f / absmax : 0.0f;
    const __m512 factor = _mm512_set1_ps(inverse);
    const __m512i lo = _mm512_set1_epi32(-127), hi = _mm512_set1_epi32(127);
    const __m512i offset = _mm512_set1_epi32(128);
    long p = 0;
    for (; p + 16 <= k; p += 16) {
        // Nearest even, as lrintf; the clamp only catches rounding past ±127.
        __m512i q = _mm512_cvtps_epi32(_mm512_mul_ps(_mm512_loadu_ps(x + p), factor));
        q = _mm512_add_epi32(_mm512_min_epi32(_mm512_max_epi32(q, lo), hi), offset);
        _mm_storeu_si128((__m128i *)(u + p), _mm512_cvtepi32_epi8(q));
    }
    for (; p < k; p++) {
        long q = lrintf(x[p] * inverse);
        u[p] = (uint8_t)((q < -127 ? -127 : q > 127 ? 127 : q) + 128);
    }
    return absmax / 127.0f;
}

VNNI512 void pali_u8_quantize_quads(const float *a, long rows, long k, long first_block,
                                    long end_block, int32_t *packed, float *scales) {
    long quads = quads_of(k);
    uint8_t u[k];  // one row
    for (long b = first_block; b < end_block; b++) {
        int32_t *block = packed + b * quads * VG_ROWS;
        for (long lane = 0; lane < VG_ROWS; lane++) {
            long r = b * VG_ROWS + lane;
            if (r >= rows) {
                for (long t = 0; t < quads; t++) block[t * VG_ROWS + lane] = 0;
                continue;
            }
            scales[r] = quantize_u8_row(a + r * k, k, u);
            for (long t = 0; t < quads; t++) {
                int32_t quad;
                memcpy(&quad, u + 4 * t, sizeof quad);
                block[t * VG_ROWS + lane] = quad;
            }
        }
    }
}

VNNI512 void pali_u8_quantize_rows(const float *a, long rows, long k, uint8_t *u, float *scales) {
    for (long r = 0; r < rows; r++) scales[r] = quantize_u8_row(a + r * k, k, u + r * k);
}

void pali_int8_row_sums(const int8_t *w, long n, long k, int32_t *sums) {
    for (long j = 0; j < n; j++) {
        int32_t total = 0;
        for (long p = 0; p < k; p++) total += w[j * k + p];
        sums[j] = total;
    }
}

// sums[j · VG_ROWS + lane] = Σ_t u[t][lane] · w_j[t] (four bytes each) for j < nr over every
// quad of the block, whose lanes are `vectors` × 16 rows. Called with constant nr and vectors.
static inline __attribute__((always_inline)) VNNI512 void u8_tile(
    const int32_t *a, const int8_t *w, long k, long quads, int nr, int vectors, int32_t *sums) {
    __m512i acc[VU_NR][2];
    for (int j = 0; j < nr; j++) acc[j][0] = acc[j][1] = _mm512_setzero_si512();
    for (long t = 0; t < quads; t++) {
        __m512i a0 = _mm512_load_si512(a + t * VG_ROWS);
        __m512i a1 = vectors == 2 ? _mm512_load_si512(a + t * VG_ROWS + 16) : a0;
        for (int j = 0; j < nr; j++) {
            int32_t quad;
            memcpy(&quad, w + j * k + 4 * t, sizeof quad);
            __m512i b = _mm512_set1_epi32(quad);
            acc[j][0] = _mm512_dpbusd_epi32(acc[j][0], a0, b);
            if (vectors == 2) acc[j][1] = _mm512_dpbusd_epi32(acc[j][1], a1, b);
        }
    }
    for (int j = 0; j < nr; j++)
        for (int v = 0; v < vectors; v++) _mm512_store_si512(sums + j * VG_ROWS + v * 16, acc[j][v]);
}

#define VU_CASE(NR)                                                                             \
    case NR:                                                                                    \
        if (vectors == 2)                                                                       \
            u8_tile(a, w, k, quads, NR, 2, sums);                                               \
        else                                                                                    \
            u8_tile(a, w, k, quads, NR, 1, sums);                                               \
        break;

static VNNI512 void u8_tile_dispatch(const int32_t *a, const int8_t *w, long k, long quads,
                                     int nr, int vectors, int32_t *sums) {
    switch (nr) {
        VU_CASE(1) VU_CASE(2) VU_CASE(3) VU_CASE(4) VU_CASE(5) VU_CASE(6)
        VU_CASE(7) VU_CASE(8) VU_CASE(9) VU_CASE(10) VU_CASE(11) VU_CASE(12)
    }
}

VNNI512 void pali_int8_gemm_u8s8_range(const int8_t *w, const float *wscales,
                                       const int32_t *wsums, const int32_t *packed,
                                       const float *qscales, float *out, long m, long n, long k,
                                       long first, long end) {
    const long quads = quads_of(k), blocks = (m + VG_ROWS - 1) / VG_ROWS;
    long per_pass = VG_L2_BYTES / (quads * VG_ROWS * 4);
    if (per_pass < 1) per_pass = 1;
    int32_t sums[VU_NR * VG_ROWS] __attribute__((aligned(64)));
    for (long b0 = 0; b0 < blocks; b0 += per_pass) {
        long b1 = b0 + per_pass < blocks ? b0 + per_pass : blocks;
        for (long j0 = first; j0 < end; j0 += VU_NR) {
            int nr = end - j0 < VU_NR ? (int)(end - j0) : VU_NR;
            for (long b = b0; b < b1; b++) {
                long r0 = b * VG_ROWS, live = m - r0 < VG_ROWS ? m - r0 : VG_ROWS;
                u8_tile_dispatch(packed + b * quads * VG_ROWS, w + j0 * k, k, quads, nr,
                                 live > 16 ? 2 : 1, sums);
                for (long lane = 0; lane < live; lane++)
                    for (int j = 0; j < nr; j++)
                        out[(r0 + lane) * n + j0 + j] =
                            pali_u8_output(sums[j * VG_ROWS + lane], wsums[j0 + j],
                                           wscales[j0 + j], qscales[r0 + lane]);
            }
        }
    }
}
