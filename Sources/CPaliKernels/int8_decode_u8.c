// u8 × s8 products of 1–8 activation rows (decode steps of `w8a8`) on 512-bit AVX-512 VNNI.
// Each row is quantised as the many-row u8 kernel quantises it (q + 128 per column, one scale
// per row) but kept row-major; one `vpdpbusd` then multiplies 64 of a row's bytes by 64 bytes
// of one weight row as they lie in memory, so the weights need no widening and each
// instruction does twice the multiply-adds of the int16 path's `vpdpwssd`. A step reads up to
// three weight rows against every activation row (24 accumulators); a single activation row
// streams one weight row at a time instead. The sums are those of
// `pali_int8_gemm_u8s8_range`: a row's output does not depend on how many rows the product has.
#include "CPaliKernels.h"
#include "u8_output.h"

#include <immintrin.h>

#define U8ROWS __attribute__((target("avx2,fma,avx512f,avx512bw,avx512vl,avx512vnni")))
#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("clang loop unroll(full)")

#define U_GROUP 3     // weight rows per step
#define U_MAX_ROWS 8  // activation rows per call
#define U_STEP 64     // columns per step

// Activation bytes (rows · k) above which the rows crowd L1 (eight rows of Gemma's 9216-wide
// MLP input are 74 KB): the weights are then prefetched row by row, one group ahead, so the
// lines arrive shortly before use instead of being evicted on the way.
#define U_L1_ROWS_BYTES (32 * 1024)

// sums[r] = the sum of acc[r]'s 16 lanes for r < rows (the rest 0): the eight accumulators
// folded to 256 bits and added pairwise across rows (`vphaddd`): about a third of the
// instructions of a horizontal reduction per row, which weigh on short rows at eight rows.
INLINE U8ROWS void sums_of_rows(const __m512i acc[U_MAX_ROWS], int rows,
                                int32_t sums[U_MAX_ROWS]) {
    __m256i f[U_MAX_ROWS];
    UNROLL for (int r = 0; r < U_MAX_ROWS; r++)
        f[r] = r < rows ? _mm256_add_epi32(_mm512_castsi512_si256(acc[r]),
                                           _mm512_extracti64x4_epi64(acc[r], 1))
                        : _mm256_setzero_si256();
    // h01 = [f0 pairs, f1 pairs | …]; after two levels each 128-bit half holds four rows'
    // partial sums (low half: columns 0–3 of each row's fold, high half: 4–7).
    __m256i h01 = _mm256_hadd_epi32(f[0], f[1]), h23 = _mm256_hadd_epi32(f[2], f[3]);
    __m256i h45 = _mm256_hadd_epi32(f[4], f[5]), h67 = _mm256_hadd_epi32(f[6], f[7]);
    __m256i h0123 = _mm256_hadd_epi32(h01, h23), h4567 = _mm256_hadd_epi32(h45, h67);
    __m256i total = _mm256_add_epi32(_mm256_permute2x128_si256(h0123, h4567, 0x20),
                                     _mm256_permute2x128_si256(h0123, h4567, 0x31));
    _mm256_storeu_si256((__m256i *)sums, total);
}

// sums[g][r] = Σ_p w_g[p] · u_r[p] for g < ng weight rows and r < rows activation rows, both
// k apart. A lane gains at most 4 · 255 · 127 per step, so the k ≤ 65536 that
// pali_u8_activations_fit allows stay below 2³¹ − 1 in int32 (no flushes). As this group's
// bytes are consumed the weights ahead are prefetched into L1: with `per_row`, the same
// columns of the next group's rows (`ahead`); else the group after next (`ahead`, contiguous)
// as one sequential run. Called with constant ng, rows and per_row.
INLINE U8ROWS void group_sums(const int8_t *w, const uint8_t *u, long k, int ng, int rows,
                              int per_row, const char *ahead,
                              int32_t sums[U_GROUP][U_MAX_ROWS]) {
    __m512i acc[U_GROUP][U_MAX_ROWS];
    UNROLL for (int g = 0; g < ng; g++) UNROLL for (int r = 0; r < rows; r++)
        acc[g][r] = _mm512_setzero_si512();
    const long body = k - k % U_STEP;
    for (long i = 0; i < body; i += U_STEP) {
        if (per_row)
            UNROLL for (int g = 0; g < ng; g++) _mm_prefetch(ahead + g * k + i, _MM_HINT_T0);
        else
            UNROLL for (int g = 0; g < ng; g++) _mm_prefetch(ahead + ng * i + 64 * g, _MM_HINT_T0);
        __m512i wv[U_GROUP];
        UNROLL for (int g = 0; g < ng; g++) wv[g] = _mm512_loadu_si512(w + g * k + i);
        UNROLL for (int r = 0; r < rows; r++) {
            __m512i x = _mm512_loadu_si512(u + r * k + i);
            UNROLL for (int g = 0; g < ng; g++) acc[g][r] = _mm512_dpbusd_epi32(acc[g][r], x, wv[g]);
        }
    }
    if (body < k) {  // the last k % 64 columns, the bytes past them read as zero
        const __mmask64 live = _cvtu64_mask64((~0ULL) >> (64 - (k - body)));
        __m512i wv[U_GROUP];
        UNROLL for (int g = 0; g < ng; g++) wv[g] = _mm512_maskz_loadu_epi8(live, w + g * k + body);
        UNROLL for (int r = 0; r < rows; r++) {
            __m512i x = _mm512_maskz_loadu_epi8(live, u + r * k + body);
            UNROLL for (int g = 0; g < ng; g++) acc[g][r] = _mm512_dpbusd_epi32(acc[g][r], x, wv[g]);
        }
    }
    UNROLL for (int g = 0; g < ng; g++) sums_of_rows(acc[g], rows, sums[g]);
}

#define GROUPS_CASE(R, P)                                                                       \
    if (ng == 3)                                                                                \
        group_sums(w, u, k, 3, R, P, ahead, sums);                                              \
    else if (ng == 2)                                                                           \
        group_sums(w, u, k, 2, R, P, ahead, sums);                                              \
    else                                                                                        \
        group_sums(w, u, k, 1, R, P, ahead, sums);

#define ROWS_CASE(R)                                                                            \
    case R:                                                                                     \
        if (per_row) {                                                                          \
            GROUPS_CASE(R, 1)                                                                   \
        } else {                                                                                \
            GROUPS_CASE(R, 0)                                                                   \
        }                                                                                       \
        break;

static U8ROWS void group_dispatch(const int8_t *w, const uint8_t *u, long k, int ng, int rows,
                                  int per_row, const char *ahead,
                                  int32_t sums[U_GROUP][U_MAX_ROWS]) {
    switch (rows) {
        ROWS_CASE(1) ROWS_CASE(2) ROWS_CASE(3) ROWS_CASE(4) ROWS_CASE(5) ROWS_CASE(6)
        ROWS_CASE(7) ROWS_CASE(8)
    default: break;
    }
}

// Bytes ahead of the row being read that one_row prefetches into L1.
#define ONE_ROW_AHEAD 4096

// One activation row: each weight row read alone, front to back, into four accumulators (a
// single sequential stream, prefetched ONE_ROW_AHEAD bytes on, keeps closer to the memory's
// rate than three rows read side by side). The sums, and so the outputs, are group_sums'.
static U8ROWS void one_row(const int8_t *w, const float *wscales, const int32_t *wsums,
                           const uint8_t *u, float qscale, float *out, long k, long first,
                           long end) {
    const long body = k - k % U_STEP, quads = body - body % (4 * U_STEP);
    // The columns of the last partial step (none when k is a multiple of 64).
    const __mmask64 live = body < k ? _cvtu64_mask64((~0ULL) >> (64 - (k - body))) : 0;
    for (long j = first; j < end; j++) {
        const int8_t *wj = w + j * k;
        __m512i acc[4];
        UNROLL for (int a = 0; a < 4; a++) acc[a] = _mm512_setzero_si512();
        for (long i = 0; i < quads; i += 4 * U_STEP) {
            UNROLL for (int a = 0; a < 4; a++) {
                const long c = i + a * U_STEP;
                _mm_prefetch((const char *)wj + c + ONE_ROW_AHEAD, _MM_HINT_T0);
                acc[a] = _mm512_dpbusd_epi32(acc[a], _mm512_loadu_si512(u + c),
                                             _mm512_loadu_si512(wj + c));
            }
        }
        for (long i = quads; i < body; i += U_STEP)  // fewer than four steps
            acc[0] = _mm512_dpbusd_epi32(acc[0], _mm512_loadu_si512(u + i),
                                         _mm512_loadu_si512(wj + i));
        if (live)  // the last k % 64 columns, the bytes past them read as zero
            acc[1] = _mm512_dpbusd_epi32(acc[1], _mm512_maskz_loadu_epi8(live, u + body),
                                         _mm512_maskz_loadu_epi8(live, wj + body));
        __m512i all = _mm512_add_epi32(_mm512_add_epi32(acc[0], acc[1]),
                                       _mm512_add_epi32(acc[2], acc[3]));
        out[j] = pali_u8_output(_mm512_reduce_add_epi32(all), wsums[j], wscales[j], qscale);
    }
}

U8ROWS void pali_int8_u8_rows_range(const int8_t *w, const float *wscales, const int32_t *wsums,
                                    const uint8_t *u, const float *qscales, float *out, long rows,
                                    long n, long k, long first, long end) {
    if (rows == 1) {
        one_row(w, wscales, wsums, u, qscales[0], out, k, first, end);
        return;
    }
    const int per_row = rows * k > U_L1_ROWS_BYTES;
    for (long j = first; j < end; j += U_GROUP) {
        const int ng = end - j < U_GROUP ? (int)(end - j) : U_GROUP;
        const int8_t *wj = w + j * k;
        int32_t sums[U_GROUP][U_MAX_ROWS];
        // Past the matrix for the last groups: prefetches never fault.
        const int8_t *ahead = wj + (per_row ? 1 : 2) * ng * k;
        group_dispatch(wj, u, k, ng, (int)rows, per_row, (const char *)ahead, sums);
        for (int g = 0; g < ng; g++)
            for (long r = 0; r < rows; r++)
                out[r * n + j + g] =
                    pali_u8_output(sums[g][r], wsums[j + g], wscales[j + g], qscales[r]);
    }
}
