// int8 × int16 products of 1–8 activation rows (decode steps, batched or not) on 512-bit
// AVX-512 VNNI.
// The weights widen with one vpmovsxbw per 32 (no even/odd split), so the activations are
// in column order, as pali_int16_quantize_row writes them; each `vpdpwssd` then multiplies
// 32 weights by one row's 32 activations, and a step reads up to three weight rows against
// every activation row (24 accumulators); a single activation row streams one weight row at a
// time instead. The integer sums are those of the other levels.
#include "int8_decode_avx512.h"

#include <immintrin.h>

#define WIDE512 __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")))
#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("clang loop unroll(full)")

#define W_GROUP 3    // weight rows per step
#define W_MAX_ROWS 8 // activation rows per call
#define W_STEP 32    // columns per step

// |w| ≤ 127 and |q| ≤ 32767: a step adds at most 2 · 127 · 32767 = 8322818 to a lane, so 256
// steps stay below 2³¹ − 1 (2130641408); the lanes are flushed into 64-bit sums after each run.
#define W_RUN 256

INLINE WIDE512 int64_t hsum_epi32_512(__m512i v) {
    __m512i wide = _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(v)),
                                    _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(v, 1)));
    return _mm512_reduce_add_epi64(wide);
}

// sums[g][r] += Σ_{p < body} w_g[p] · q_r[p] for g < ng weight rows k apart and r < rows
// activation rows k apart; the bytes of the group after next (`ahead`, contiguous) are
// prefetched into L1 in order as this group's are consumed, so the weights stream as one
// sequential run (one group ahead arrives too late at 8 rows, which keep the units busy).
// Called with constant ng and rows.
INLINE WIDE512 void group_sums(const int8_t *w, const int16_t *q, long k, long body, int ng,
                               int rows, const char *ahead, int64_t sums[W_GROUP][W_MAX_ROWS]) {
    for (long i0 = 0; i0 < body; i0 += W_RUN * W_STEP) {
        long i1 = i0 + W_RUN * W_STEP < body ? i0 + W_RUN * W_STEP : body;
        __m512i acc[W_GROUP][W_MAX_ROWS];
        UNROLL for (int g = 0; g < ng; g++) UNROLL for (int r = 0; r < rows; r++)
            acc[g][r] = _mm512_setzero_si512();
        for (long i = i0; i < i1; i += W_STEP) {
            _mm_prefetch(ahead + ng * i, _MM_HINT_T0);
            _mm_prefetch(ahead + ng * i + 64, _MM_HINT_T0);
            __m512i wv[W_GROUP];
            UNROLL for (int g = 0; g < ng; g++)
                wv[g] = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(w + g * k + i)));
            UNROLL for (int r = 0; r < rows; r++) {
                __m512i x = _mm512_loadu_si512(q + r * k + i);
                UNROLL for (int g = 0; g < ng; g++)
                    acc[g][r] = _mm512_dpwssd_epi32(acc[g][r], wv[g], x);
            }
        }
        UNROLL for (int g = 0; g < ng; g++) UNROLL for (int r = 0; r < rows; r++)
            sums[g][r] += hsum_epi32_512(acc[g][r]);
    }
}

#define ROWS_CASE(R)                                                                            \
    case R:                                                                                     \
        if (ng == 3)                                                                            \
            group_sums(w, q, k, body, 3, R, ahead, sums);                                        \
        else if (ng == 2)                                                                       \
            group_sums(w, q, k, body, 2, R, ahead, sums);                                        \
        else                                                                                    \
            group_sums(w, q, k, body, 1, R, ahead, sums);                                        \
        break;

static WIDE512 void group_dispatch(const int8_t *w, const int16_t *q, long k, long body, int ng,
                                   int rows, const char *ahead,
                                   int64_t sums[W_GROUP][W_MAX_ROWS]) {
    switch (rows) {
        ROWS_CASE(1) ROWS_CASE(2) ROWS_CASE(3) ROWS_CASE(4) ROWS_CASE(5) ROWS_CASE(6)
        ROWS_CASE(7) ROWS_CASE(8)
    default: break;
    }
}

// Bytes ahead of the row being read that one_row prefetches into L1.
#define ONE_ROW_AHEAD 4096

// out[j] = Σ_p w_j[p] · q[p] · wscales[j] · qscale for first ≤ j < end: one activation row,
// each weight row read alone, front to back, into four accumulators. With a single row the
// activations cost no reloads worth sharing, and one sequential stream (prefetched
// ONE_ROW_AHEAD bytes on) keeps closer to the memory's rate than three rows read side by side.
static WIDE512 void one_row(const int8_t *w, const float *wscales, const int16_t *q,
                            float qscale, float *out, long k, long first, long end) {
    const long body = k - k % W_STEP, quads = body - body % (4 * W_STEP);
    for (long j = first; j < end; j++) {
        const int8_t *wj = w + j * k;
        int64_t total = 0;
        // Each accumulator gains one step per 4 · W_STEP columns: flushed every W_RUN of them.
        for (long i0 = 0; i0 < quads; i0 += W_RUN * 4 * W_STEP) {
            long i1 = i0 + W_RUN * 4 * W_STEP < quads ? i0 + W_RUN * 4 * W_STEP : quads;
            __m512i acc[4];
            UNROLL for (int a = 0; a < 4; a++) acc[a] = _mm512_setzero_si512();
            for (long i = i0; i < i1; i += 4 * W_STEP) {
                _mm_prefetch((const char *)wj + i + ONE_ROW_AHEAD, _MM_HINT_T0);
                _mm_prefetch((const char *)wj + i + ONE_ROW_AHEAD + 64, _MM_HINT_T0);
                UNROLL for (int a = 0; a < 4; a++) {
                    const long c = i + a * W_STEP;
                    __m512i wv = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(wj + c)));
                    acc[a] = _mm512_dpwssd_epi32(acc[a], wv, _mm512_loadu_si512(q + c));
                }
            }
            UNROLL for (int a = 0; a < 4; a++) total += hsum_epi32_512(acc[a]);
        }
        __m512i rest = _mm512_setzero_si512();  // fewer than four steps
        for (long i = quads; i < body; i += W_STEP) {
            __m512i wv = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i *)(wj + i)));
            rest = _mm512_dpwssd_epi32(rest, wv, _mm512_loadu_si512(q + i));
        }
        total += hsum_epi32_512(rest);
        for (long p = body; p < k; p++) total += (int32_t)wj[p] * q[p];
        out[j] = (float)total * (wscales[j] * qscale);
    }
}

WIDE512 void pali_q16_rows_avx512(const int8_t *w, const float *wscales, const int16_t *q,
                                  const float *qscales, float *out, long rows, long n, long k,
                                  long first, long end) {
    if (rows == 1) {
        one_row(w, wscales, q, qscales[0], out, k, first, end);
        return;
    }
    const long body = k - k % W_STEP;
    for (long j = first; j < end; j += W_GROUP) {
        const int ng = end - j < W_GROUP ? (int)(end - j) : W_GROUP;
        const int8_t *wj = w + j * k;
        int64_t sums[W_GROUP][W_MAX_ROWS] = {{0}};
        // Past the matrix for the last groups: prefetches never fault.
        group_dispatch(wj, q, k, body, ng, (int)rows, (const char *)(wj + 2 * ng * k), sums);
        for (int g = 0; g < ng; g++)
            for (long r = 0; r < rows; r++) {
                int64_t total = sums[g][r];
                for (long p = body; p < k; p++) total += (int32_t)wj[g * k + p] * q[r * k + p];
                out[r * n + j + g] = (float)total * (wscales[j + g] * qscales[r]);
            }
    }
}
