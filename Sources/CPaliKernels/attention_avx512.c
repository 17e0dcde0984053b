// Attention on AVX-512. Many-row tiles (prefill, vision): 16-lane FMAs where the AVX2 kernels
// use 8, with up to 12 query rows × 32 keys (or 32 output columns) in 24 accumulators.
// Decoding: scores and values over cached rows, float32 or widened from bf16 or int8 in
// registers.
#include "attention_avx512.h"

#include <immintrin.h>
#include <math.h>

#include "vector_math.h"

#define INLINE static inline __attribute__((always_inline))

#define SCORE_ROWS 12  // query rows per tile: 2 · 12 accumulators of the 32 registers

// Loops over a tile's rows unrolled in full, so the accumulators live in registers.
#define UNROLL _Pragma("clang loop unroll(full)")

// mr query rows × ns (1 or 2) 16-key strips, the second d · 16 floats after the first: per
// component two key loads and mr broadcasts.
INLINE AVX512 void scores_tile(int mr, int ns, const float *qp, long d, const float *kt,
                               float *s, long lds) {
    __m512 acc[SCORE_ROWS][2];
    UNROLL for (int i = 0; i < mr; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    for (long c = 0; c < d; c++) {
        __m512 b0 = _mm512_loadu_ps(kt + c * 16);
        __m512 b1 = ns == 2 ? _mm512_loadu_ps(kt + (d + c) * 16) : b0;
        UNROLL for (int i = 0; i < mr; i++) {
            __m512 a = _mm512_set1_ps(qp[i * d + c]);
            acc[i][0] = _mm512_fmadd_ps(a, b0, acc[i][0]);
            if (ns == 2) acc[i][1] = _mm512_fmadd_ps(a, b1, acc[i][1]);
        }
    }
    UNROLL for (int i = 0; i < mr; i++) {
        _mm512_storeu_ps(s + i * lds, acc[i][0]);
        if (ns == 2) _mm512_storeu_ps(s + i * lds + 16, acc[i][1]);
    }
}

#define SCORES_CASE(M)                                                                          \
    case M:                                                                                     \
        if (ns == 2)                                                                            \
            scores_tile(M, 2, qp, d, kt, s, lds);                                               \
        else                                                                                    \
            scores_tile(M, 1, qp, d, kt, s, lds);                                               \
        break;

static AVX512 void scores_rows(int mr, int ns, const float *qp, long d, const float *kt,
                               float *s, long lds) {
    switch (mr) {
        SCORES_CASE(12) SCORES_CASE(11) SCORES_CASE(10) SCORES_CASE(9) SCORES_CASE(8)
        SCORES_CASE(7) SCORES_CASE(6) SCORES_CASE(5) SCORES_CASE(4) SCORES_CASE(3)
        SCORES_CASE(2) SCORES_CASE(1)
    default: break;
    }
}

AVX512 void pali_attention_scores_avx512(const float *qp, long rows, long d, const float *kt,
                                         long np, float *s) {
    // Strip-pair-major so two strips (2 · d · 16 floats) stay in L1 while every row group
    // reads them.
    const long strips = np / 16;
    for (long strip = 0; strip < strips; strip += 2) {
        const int ns = strip + 1 < strips ? 2 : 1;
        const float *k = kt + strip * d * 16;
        for (long r = 0; r < rows; r += SCORE_ROWS) {
            const int mr = rows - r < SCORE_ROWS ? (int)(rows - r) : SCORE_ROWS;
            scores_rows(mr, ns, qp + r * d, d, k, s + r * np + strip * 16, np);
        }
    }
}

// 16 columns of value row j from two 8-column strips v_strip apart.
INLINE AVX512 __m512 value16(const float *v, long v_strip) {
    return _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(v)),
                              _mm256_loadu_ps(v + v_strip), 1);
}

// o[mr rows, 16 · nv columns] += p[mr rows, n] · v[n, 16 · nv columns], the columns starting at
// strip v (8-column strips v_strip apart, rows 8 floats apart).
INLINE AVX512 void values_tile(int mr, int nv, const float *p, long ldp, long n, const float *v,
                               long v_strip, float *o, long dp) {
    __m512 c0[SCORE_ROWS], c1[SCORE_ROWS];
    UNROLL for (int i = 0; i < mr; i++) {
        c0[i] = _mm512_loadu_ps(o + i * dp);
        c1[i] = nv == 2 ? _mm512_loadu_ps(o + i * dp + 16) : c0[i];
    }
    for (long j = 0; j < n; j++) {
        __m512 b0 = value16(v + j * 8, v_strip);
        __m512 b1 = nv == 2 ? value16(v + 2 * v_strip + j * 8, v_strip) : b0;
        UNROLL for (int i = 0; i < mr; i++) {
            __m512 a = _mm512_set1_ps(p[i * ldp + j]);
            c0[i] = _mm512_fmadd_ps(a, b0, c0[i]);
            if (nv == 2) c1[i] = _mm512_fmadd_ps(a, b1, c1[i]);
        }
    }
    UNROLL for (int i = 0; i < mr; i++) {
        _mm512_storeu_ps(o + i * dp, c0[i]);
        if (nv == 2) _mm512_storeu_ps(o + i * dp + 16, c1[i]);
    }
}

// o[mr rows, 8 columns] += p[mr rows, n] · v[n, 8 columns] (the last 8 columns of an odd
// count of strips).
INLINE AVX512 void values_tile8(int mr, const float *p, long ldp, long n, const float *v,
                                float *o, long dp) {
    __m256 c[SCORE_ROWS];
    UNROLL for (int i = 0; i < mr; i++) c[i] = _mm256_loadu_ps(o + i * dp);
    for (long j = 0; j < n; j++) {
        __m256 b = _mm256_loadu_ps(v + j * 8);
        UNROLL for (int i = 0; i < mr; i++)
            c[i] = _mm256_fmadd_ps(_mm256_set1_ps(p[i * ldp + j]), b, c[i]);
    }
    UNROLL for (int i = 0; i < mr; i++) _mm256_storeu_ps(o + i * dp, c[i]);
}

#define VALUES_CASE(M)                                                                          \
    case M:                                                                                     \
        if (columns == 32)                                                                      \
            values_tile(M, 2, p, ldp, n, v, v_strip, o, dp);                                    \
        else if (columns == 16)                                                                 \
            values_tile(M, 1, p, ldp, n, v, v_strip, o, dp);                                    \
        else                                                                                    \
            values_tile8(M, p, ldp, n, v, o, dp);                                               \
        break;

static AVX512 void values_rows(int mr, int columns, const float *p, long ldp, long n,
                               const float *v, long v_strip, float *o, long dp) {
    switch (mr) {
        VALUES_CASE(12) VALUES_CASE(11) VALUES_CASE(10) VALUES_CASE(9) VALUES_CASE(8)
        VALUES_CASE(7) VALUES_CASE(6) VALUES_CASE(5) VALUES_CASE(4) VALUES_CASE(3)
        VALUES_CASE(2) VALUES_CASE(1)
    default: break;
    }
}

AVX512 void pali_attention_values_avx512(const float *p, long ldp, long rows, long n,
                                         const float *v, long v_strip, long dp, float *o) {
    // Column-chunk-major so the chunk of v (n · 32 floats) stays in L1 across row groups.
    for (long x = 0; x < dp;) {
        const int columns = dp - x >= 32 ? 32 : dp - x >= 16 ? 16 : 8;
        const float *chunk = v + (x / 8) * v_strip;
        for (long r = 0; r < rows; r += SCORE_ROWS) {
            const int mr = rows - r < SCORE_ROWS ? (int)(rows - r) : SCORE_ROWS;
            values_rows(mr, columns, p + r * ldp, ldp, n, chunk, v_strip, o + r * dp + x, dp);
        }
        x += columns;
    }
}

AVX512 void pali_attention_update_avx512(float *s, long n, long a, long b, float cap, float *m,
                                         float *l, float *o, long d) {
    const long n16 = (n + 15) & ~15L;
    const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m512 capv = _mm512_set1_ps(cap), minusInf = _mm512_set1_ps(-INFINITY);
    __m512 vmax = minusInf;
    for (long j = 0; j < n16; j += 16) {
        __m512 x = _mm512_loadu_ps(s + j);
        if (cap > 0) x = _mm512_mul_ps(capv, pali_tanh512(_mm512_div_ps(x, capv)));
        __m512i idx = _mm512_add_epi32(_mm512_set1_epi32((int)j), lane);
        __mmask16 inside = _mm512_cmp_epi32_mask(idx, _mm512_set1_epi32((int)a), _MM_CMPINT_NLT) &
                           _mm512_cmp_epi32_mask(idx, _mm512_set1_epi32((int)b), _MM_CMPINT_LT);
        x = _mm512_mask_blend_ps(inside, minusInf, x);
        _mm512_storeu_ps(s + j, x);
        vmax = _mm512_max_ps(vmax, x);
    }
    float blockMax = _mm512_reduce_max_ps(vmax);
    float newMax = blockMax > *m ? blockMax : *m;
    float factor = expf(*m - newMax);
    if (factor != 1)
        for (long c = 0; c < d; c++) o[c] *= factor;
    const __m512 maxv = _mm512_set1_ps(newMax);
    // Summed as update_avx2 sums: 8 lanes, each key added in order.
    __m256 vsum = _mm256_setzero_ps();
    for (long j = 0; j < n16; j += 16) {
        __m512 e = pali_exp512(_mm512_sub_ps(_mm512_loadu_ps(s + j), maxv));
        _mm512_storeu_ps(s + j, e);
        vsum = _mm256_add_ps(vsum, _mm512_castps512_ps256(e));
        vsum = _mm256_add_ps(vsum, _mm512_extractf32x8_ps(e, 1));
    }
    *l = *l * factor + pali_hsum256(vsum);
    *m = newMax;
}

// MARK: decoding

// mr ≤ 2 query rows × keys j ..< j + 4 (rows k_step apart). Each vector carries two keys' AVX2
// accumulators, one per 8-lane half, so a score adds the same terms in the same lanes as
// attention.c's scores_keys4 and is reduced in the same order, with half the FMAs.
INLINE AVX512 void scores_keys4(int mr, const float *qp, long d, const float *key, long k_step,
                                float *s, long lds) {
    __m512 acc[2][2];  // [row][keys 0|1, keys 2|3]
    UNROLL for (int i = 0; i < mr; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    for (long c = 0; c < d; c += 8) {
        __m512 k01 = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_loadu_ps(key + c)),
                                        _mm256_loadu_ps(key + k_step + c), 1);
        __m512 k23 = _mm512_insertf32x8(
            _mm512_castps256_ps512(_mm256_loadu_ps(key + 2 * k_step + c)),
            _mm256_loadu_ps(key + 3 * k_step + c), 1);
        UNROLL for (int i = 0; i < mr; i++) {
            __m512 a = _mm512_broadcast_f32x8(_mm256_loadu_ps(qp + i * d + c));
            acc[i][0] = _mm512_fmadd_ps(a, k01, acc[i][0]);
            acc[i][1] = _mm512_fmadd_ps(a, k23, acc[i][1]);
        }
    }
    UNROLL for (int i = 0; i < mr; i++)
        _mm_storeu_ps(s + i * lds, pali_hsum4x256(_mm512_castps512_ps256(acc[i][0]),
                                                  _mm512_extractf32x8_ps(acc[i][0], 1),
                                                  _mm512_castps512_ps256(acc[i][1]),
                                                  _mm512_extractf32x8_ps(acc[i][1], 1)));
}

AVX512 void pali_attention_scores_keys4_avx512(const float *qp, long rows, long d,
                                               const float *k, long k_step, float *s, long lds) {
    for (long r = 0; r < rows; r += 2) {
        if (rows - r >= 2)
            scores_keys4(2, qp + r * d, d, k, k_step, s + r * lds, lds);
        else
            scores_keys4(1, qp + r * d, d, k, k_step, s + r * lds, lds);
    }
}

// o[mr rows, dp] += p[mr rows, j ..< j + nk] · v[j ..< j + nk, dp], nk ≤ 4 value rows v_step
// apart, every output element adding its keys in order (as attention.c's values_keys).
INLINE AVX512 void values_keys(int mr, int nk, const float *p, long ldp, const float *v,
                               long v_step, long dp, float *o) {
    __m512 w[8][4];
    UNROLL for (int i = 0; i < mr; i++) UNROLL for (int u = 0; u < nk; u++)
        w[i][u] = _mm512_set1_ps(p[i * ldp + u]);
    long x = 0;
    for (; x + 16 <= dp; x += 16) {
        __m512 b[4];
        UNROLL for (int u = 0; u < nk; u++) b[u] = _mm512_loadu_ps(v + u * v_step + x);
        UNROLL for (int i = 0; i < mr; i++) {
            __m512 acc = _mm512_loadu_ps(o + i * dp + x);
            UNROLL for (int u = 0; u < nk; u++) acc = _mm512_fmadd_ps(w[i][u], b[u], acc);
            _mm512_storeu_ps(o + i * dp + x, acc);
        }
    }
    if (x < dp) {  // the last 8 columns
        UNROLL for (int i = 0; i < mr; i++) {
            __m256 acc = _mm256_loadu_ps(o + i * dp + x);
            UNROLL for (int u = 0; u < nk; u++)
                acc = _mm256_fmadd_ps(_mm512_castps512_ps256(w[i][u]),
                                      _mm256_loadu_ps(v + u * v_step + x), acc);
            _mm256_storeu_ps(o + i * dp + x, acc);
        }
    }
}

#undef VALUES_CASE
#define VALUES_CASE(M)                                                                         \
    case M:                                                                                    \
        if (n == 4)                                                                            \
            values_keys(M, 4, pr, ldp, v, v_step, dp, or);                                     \
        else                                                                                   \
            for (long j = 0; j < n; j++)                                                       \
                values_keys(M, 1, pr + j, ldp, v + j * v_step, v_step, dp, or);                \
        break;

AVX512 void pali_attention_values_keys4_avx512(const float *p, long ldp, long rows, long n,
                                               const float *v, long v_step, long dp, float *o) {
    for (long r = 0; r < rows; r += 8) {
        const float *pr = p + r * ldp;
        float *or = o + r * dp;
        switch (rows - r < 8 ? rows - r : 8) {
            VALUES_CASE(8) VALUES_CASE(7) VALUES_CASE(6) VALUES_CASE(5)
            VALUES_CASE(4) VALUES_CASE(3) VALUES_CASE(2) VALUES_CASE(1)
        default: break;
        }
    }
}

// MARK: decoding over a compact cache, rows widened in registers

// Elements per scale of int8 rows (and the step of the loops below, for bf16 rows too).
#define COMPACT_BLOCK 32

// Element e of a compact row: bf16 (int8 == 0) or int8 elements.
INLINE const void *compact_at(int int8, const void *row, long e) {
    return (const char *)row + (int8 ? e : 2 * e);
}

// Components c ..< c + 16 of rows r0 and r1 widened (int8: and scaled), two rows a vector as
// scores_keys4 holds them: lo = [r0 c..c+7 | r1 c..c+7], hi = [r0 c+8..c+15 | r1 c+8..c+15].
// `scale` is [scale of r0 × 8 | scale of r1 × 8]; the values are what pali_bf16_widen and
// pali_int8_dequantize give.
INLINE AVX512 void widen_pair(int int8, const void *r0, const void *r1, long c, __m512 scale,
                              __m512 *lo, __m512 *hi) {
    if (int8) {
        const __m128i a = _mm_loadu_si128((const __m128i *)compact_at(1, r0, c));
        const __m128i b = _mm_loadu_si128((const __m128i *)compact_at(1, r1, c));
        *lo = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_unpacklo_epi64(a, b))),
                            scale);
        *hi = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_unpackhi_epi64(a, b))),
                            scale);
    } else {
        const __m256i a = _mm256_loadu_si256((const __m256i *)compact_at(0, r0, c));
        const __m256i b = _mm256_loadu_si256((const __m256i *)compact_at(0, r1, c));
        const __m256i l = _mm256_inserti128_si256(a, _mm256_castsi256_si128(b), 1);
        const __m256i h = _mm256_permute2x128_si256(a, b, 0x31);
        *lo = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(l), 16));
        *hi = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    }
}

// Elements x ..< x + 16 of a row widened (int8: and scaled).
INLINE AVX512 __m512 widen16(int int8, const void *row, long x, __m512 scale) {
    if (int8)
        return _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(
                                 _mm_loadu_si128((const __m128i *)compact_at(1, row, x)))),
                             scale);
    return _mm512_castsi512_ps(_mm512_slli_epi32(
        _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)compact_at(0, row, x))), 16));
}

// [a × 8 | b × 8].
INLINE AVX512 __m512 halves(float a, float b) {
    return _mm512_insertf32x8(_mm512_set1_ps(a), _mm256_set1_ps(b), 1);
}

// scores_keys4 over 4 · nq (1 or 2) compact keys widened in registers (key row u starts
// u · k_step elements after `key`; int8 component c is scaled by scales[u · scale_step +
// c / COMPACT_BLOCK]): the same terms in the same lanes and order, so the same bits as
// scores_keys4 over the keys widened first. Eight keys at a time keep eight accumulators in
// flight, where four would wait on the FMAs' latency. Each row is prefetched `ahead` bytes on
// a line at a time as it is read (a burst of prefetches per call would find the memory's
// queues full).
INLINE AVX512 void scores_keys_compact(int int8, int mr, int nq, const float *qp, long d,
                                       const void *key, long k_step, const float *scales,
                                       long scale_step, long ahead, float *s, long lds) {
    __m512 acc[2][4];  // [row][keys 0|1, 2|3, 4|5, 6|7]
    UNROLL for (int i = 0; i < mr; i++) UNROLL for (int h = 0; h < 2 * nq; h++)
        acc[i][h] = _mm512_setzero_ps();
    for (long first = 0; first < d; first += COMPACT_BLOCK) {
        __m512 scale[4];  // [keys 0|1, 2|3, 4|5, 6|7]
        UNROLL for (int h = 0; h < 2 * nq; h++)
            scale[h] = int8 ? halves(scales[2 * h * scale_step + first / COMPACT_BLOCK],
                                     scales[(2 * h + 1) * scale_step + first / COMPACT_BLOCK])
                            : _mm512_setzero_ps();
        if (!int8 || first % 64 == 0)  // a cache line of each row, `ahead` bytes on
            UNROLL for (int u = 0; u < 4 * nq; u++)
                _mm_prefetch((const char *)compact_at(int8, key, u * k_step + first) + ahead,
                             _MM_HINT_T0);
        UNROLL for (long c = first; c < first + COMPACT_BLOCK; c += 16) {
            __m512 k[4][2];  // [key pair][components c ..< c + 8, then c + 8 ..< c + 16]
            UNROLL for (int h = 0; h < 2 * nq; h++)
                widen_pair(int8, compact_at(int8, key, 2 * h * k_step),
                           compact_at(int8, key, (2 * h + 1) * k_step), c, scale[h], &k[h][0],
                           &k[h][1]);
            UNROLL for (int half = 0; half < 2; half++) UNROLL for (int i = 0; i < mr; i++) {
                __m512 a = _mm512_broadcast_f32x8(_mm256_loadu_ps(qp + i * d + c + 8 * half));
                UNROLL for (int h = 0; h < 2 * nq; h++)
                    acc[i][h] = _mm512_fmadd_ps(a, k[h][half], acc[i][h]);
            }
        }
    }
    UNROLL for (int i = 0; i < mr; i++) UNROLL for (int q = 0; q < nq; q++)
        _mm_storeu_ps(s + i * lds + 4 * q,
                      pali_hsum4x256(_mm512_castps512_ps256(acc[i][2 * q]),
                                     _mm512_extractf32x8_ps(acc[i][2 * q], 1),
                                     _mm512_castps512_ps256(acc[i][2 * q + 1]),
                                     _mm512_extractf32x8_ps(acc[i][2 * q + 1], 1)));
}

// One instantiation per format, row count and key count, so each unrolls in full.
INLINE AVX512 void scores_keys_format(int int8, const float *qp, long rows, long d,
                                      const void *k, long k_step, long n, const float *scales,
                                      long scale_step, long ahead, float *s, long lds) {
    for (long r = 0; r < rows; r += 2) {
        const int mr = rows - r >= 2 ? 2 : 1;
        const float *q = qp + r * d;
        float *sr = s + r * lds;
        for (long j = 0; j < n; j += 8) {
            const int nq = n - j >= 8 ? 2 : 1;
            const void *kj = compact_at(int8, k, j * k_step);
            const float *sj = int8 ? scales + j * scale_step : scales;
            if (mr == 2 && nq == 2)
                scores_keys_compact(int8, 2, 2, q, d, kj, k_step, sj, scale_step, ahead, sr + j,
                                    lds);
            else if (mr == 2)
                scores_keys_compact(int8, 2, 1, q, d, kj, k_step, sj, scale_step, ahead, sr + j,
                                    lds);
            else if (nq == 2)
                scores_keys_compact(int8, 1, 2, q, d, kj, k_step, sj, scale_step, ahead, sr + j,
                                    lds);
            else
                scores_keys_compact(int8, 1, 1, q, d, kj, k_step, sj, scale_step, ahead, sr + j,
                                    lds);
        }
    }
}

AVX512 void pali_attention_scores_keys_compact_avx512(int int8, const float *qp, long rows,
                                                      long d, const void *k, long k_step, long n,
                                                      const float *scales, long scale_step,
                                                      long ahead, float *s, long lds) {
    if (int8)
        scores_keys_format(1, qp, rows, d, k, k_step, n, scales, scale_step, ahead, s, lds);
    else
        scores_keys_format(0, qp, rows, d, k, k_step, n, scales, scale_step, ahead, s, lds);
}

// values_keys over compact value rows widened in registers (row u starts u · v_step
// elements after `v`; int8 column x is scaled by scales[u · scale_step + x / COMPACT_BLOCK]):
// the same bits as values_keys over the rows widened first. Rows are prefetched `ahead` bytes
// on as scores_keys_compact prefetches them.
INLINE AVX512 void values_keys_compact(int int8, int mr, int nk, const float *p, long ldp,
                                       const void *v, long v_step, const float *scales,
                                       long scale_step, long ahead, long dp, float *o) {
    __m512 w[8][4], scale[4];
    UNROLL for (int i = 0; i < mr; i++) UNROLL for (int u = 0; u < nk; u++)
        w[i][u] = _mm512_set1_ps(p[i * ldp + u]);
    for (long first = 0; first < dp; first += COMPACT_BLOCK) {
        UNROLL for (int u = 0; u < nk; u++)
            scale[u] = int8 ? _mm512_set1_ps(scales[u * scale_step + first / COMPACT_BLOCK])
                            : _mm512_setzero_ps();
        if (!int8 || first % 64 == 0)
            UNROLL for (int u = 0; u < nk; u++)
                _mm_prefetch((const char *)compact_at(int8, v, u * v_step + first) + ahead,
                             _MM_HINT_T0);
        UNROLL for (long x = first; x < first + COMPACT_BLOCK; x += 16) {
            __m512 b[4];
            UNROLL for (int u = 0; u < nk; u++)
                b[u] = widen16(int8, compact_at(int8, v, u * v_step), x, scale[u]);
            UNROLL for (int i = 0; i < mr; i++) {
                __m512 acc = _mm512_loadu_ps(o + i * dp + x);
                UNROLL for (int u = 0; u < nk; u++) acc = _mm512_fmadd_ps(w[i][u], b[u], acc);
                _mm512_storeu_ps(o + i * dp + x, acc);
            }
        }
    }
}

#define VALUES_COMPACT_CASE(M)                                                                 \
    case M:                                                                                    \
        if (n == 4)                                                                            \
            values_keys_compact(int8, M, 4, pr, ldp, v, v_step, scales, scale_step, ahead, dp, \
                                or);                                                           \
        else                                                                                   \
            for (long j = 0; j < n; j++)                                                       \
                values_keys_compact(int8, M, 1, pr + j, ldp, compact_at(int8, v, j * v_step),  \
                                    v_step, int8 ? scales + j * scale_step : scales,           \
                                    scale_step, ahead, dp, or);                                \
        break;

INLINE AVX512 void values_keys_format(int int8, const float *p, long ldp, long rows, long n,
                                      const void *v, long v_step, const float *scales,
                                      long scale_step, long ahead, long dp, float *o) {
    for (long r = 0; r < rows; r += 8) {
        const float *pr = p + r * ldp;
        float *or = o + r * dp;
        switch (rows - r < 8 ? rows - r : 8) {
            VALUES_COMPACT_CASE(8) VALUES_COMPACT_CASE(7) VALUES_COMPACT_CASE(6)
            VALUES_COMPACT_CASE(5) VALUES_COMPACT_CASE(4) VALUES_COMPACT_CASE(3)
            VALUES_COMPACT_CASE(2) VALUES_COMPACT_CASE(1)
        default: break;
        }
    }
}

AVX512 void pali_attention_values_keys4_compact_avx512(int int8, const float *p, long ldp,
                                                       long rows, long n, const void *v,
                                                       long v_step, const float *scales,
                                                       long scale_step, long ahead, long dp,
                                                       float *o) {
    if (int8)
        values_keys_format(1, p, ldp, rows, n, v, v_step, scales, scale_step, ahead, dp, o);
    else
        values_keys_format(0, p, ldp, rows, n, v, v_step, scales, scale_step, ahead, dp, o);
}
