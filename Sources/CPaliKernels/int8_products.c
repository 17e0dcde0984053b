#include "CPaliKernels.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "int8_decode_avx512.h"
#include "vector_math.h"

// ---------------------------------------------------------------------------------------------
// int8 weights × int16 activations (decode steps). Widening every int8 weight to float would
// cost two conversions per FMA and leave the kernel compute-bound well below the memory
// bandwidth; instead each input row is quantised to int16 (symmetric, absmax / 32767, round to
// nearest even: a relative step of 3e-5 of the row's largest value, far below the int8 weights'
// own rounding) and the products are integer multiply-adds (AVX2 vpmaddwd). Integer sums are
// exact, so every instruction-set level gives the same result:
// out = float(Σ w·q) · (weight scale · activation scale).
//
// Activation layout. The AVX2 kernel loads 32 weights at once and splits them into int16 lanes
// without crossing 128-bit halves: word m of the load holds columns 2m (low byte: sign-extended
// by a left shift and an arithmetic right shift) and 2m + 1 (high byte: one arithmetic right
// shift), three cheap shifts per 32 weights where vpmovsxbw needs a lane-crossing shuffle per
// 16. So the activations are stored in the matching order, once per product: within every
// complete chunk of Q16_CHUNK columns the 16 even columns, then the 16 odd ones; the last
// k mod Q16_CHUNK columns stay in order.
#define Q16_CHUNK 32

// |w| ≤ 127 and |q| ≤ 32767, so one product is at most 127 · 32767 = 4161409 in magnitude. A
// vpmaddwd lane adds 2 products; per chunk each int32 lane of a row's accumulator receives the
// even and the odd vpmaddwd, 4 products (the one-row kernel keeps the two in separate
// accumulators, 2 each, and adds them at the flush). A run of Q16_RUN columns is Q16_RUN / 32
// chunks, so a lane holds at most Q16_RUN / 8 = 512 products: |sum| ≤ 512 · 4161409 =
// 2130641408 < 2³¹ − 1 = 2147483647, and the lanes are flushed into 64-bit totals after every
// run, before they can overflow.
#define Q16_RUN 4096

// Where column p of a k-column activation row is stored (see the layout above).
static inline long q16_slot(long p, long k) {
    long chunk = p - p % Q16_CHUNK;
    if (chunk + Q16_CHUNK > k) return p;
    return chunk + (p % 2) * (Q16_CHUNK / 2) + (p % Q16_CHUNK) / 2;
}

// q = round-half-even(x · 32767 / absmax), clamped; the same float operations on every level.
static inline int16_t quantize_int16(float x, float inverse) {
    return (int16_t)fminf(fmaxf(rintf(x * inverse), -32767.0f), 32767.0f);
}

static void quantize_int16_portable(const float *x, long k, float inverse, int16_t *q) {
    for (long p = 0; p < k; p++) q[q16_slot(p, k)] = quantize_int16(x[p], inverse);
}

// 8 consecutive activations quantised as quantize_int16, as int32 lanes.
static inline AVX2 __m256 quantize8_avx2(const float *x, __m256 factor) {
    const __m256 low = _mm256_set1_ps(-32767.0f), high = _mm256_set1_ps(32767.0f);
    __m256 v = _mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x), factor),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    return _mm256_castsi256_ps(_mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(v, low), high)));
}

// Columns c, c + 2, …, c + 30 as int16, from the int32 lanes of columns c…c+15 (a, b) and
// c+16…c+31 (c, d); `pick` selects the even (2, 0, 2, 0) or odd (3, 1, 3, 1) lanes.
#define Q16_SELECT(a, b, c, d, pick)                                                            \
    _mm256_permutevar8x32_epi32(                                                                \
        _mm256_packs_epi32(_mm256_castps_si256(_mm256_shuffle_ps(a, b, pick)),                  \
                           _mm256_castps_si256(_mm256_shuffle_ps(c, d, pick))),                 \
        _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7))

static AVX2 void quantize_int16_avx2(const float *x, long k, float inverse, int16_t *q) {
    const __m256 factor = _mm256_set1_ps(inverse);
    long p = 0;
    for (; p + Q16_CHUNK <= k; p += Q16_CHUNK) {
        // Lanes of a: columns [0 1 2 3 | 4 5 6 7]; the shuffles take [0 2 8 10 | 4 6 12 14]
        // from a and b, the pack interleaves the two halves' pairs, the permute sorts them.
        __m256 a = quantize8_avx2(x + p, factor), b = quantize8_avx2(x + p + 8, factor);
        __m256 c = quantize8_avx2(x + p + 16, factor), d = quantize8_avx2(x + p + 24, factor);
        _mm256_storeu_si256((__m256i *)(q + p), Q16_SELECT(a, b, c, d, _MM_SHUFFLE(2, 0, 2, 0)));
        _mm256_storeu_si256((__m256i *)(q + p + 16),
                            Q16_SELECT(a, b, c, d, _MM_SHUFFLE(3, 1, 3, 1)));
    }
    for (; p < k; p++) q[p] = quantize_int16(x[p], inverse);
}

// The scale of row x[k], *scale = absmax / 32767, and the factor quantize_int16 multiplies by,
// 32767 / absmax (0 for an all-zero row). A NaN or infinite activation makes the scale NaN and
// so the row's outputs NaN, as a float product would.
static inline float int16_row_scale(const float *x, long k, int vector, float *scale) {
    float absmax = 0;
    if (vector) {
        absmax = pali_absmax_avx2(x, k);
    } else {
        for (long p = 0; p < k; p++) absmax = fmaxf(absmax, fabsf(x[p]));
    }
    int finite = isfinite(absmax);
    *scale = finite ? absmax / 32767.0f : NAN;
    return absmax > 0 && finite ? 32767.0f / absmax : 0.0f;
}

// Per row r: scales[r] and q[r] as above.
static void quantize_int16_rows(const float *a, long rows, long k, int16_t *q, float *scales,
                                int vector) {
    for (long r = 0; r < rows; r++) {
        const float *x = a + r * k;
        float inverse = int16_row_scale(x, k, vector, scales + r);
        if (vector)
            quantize_int16_avx2(x, k, inverse, q + r * k);
        else
            quantize_int16_portable(x, k, inverse, q + r * k);
    }
}

// One row in column order (the many-row kernels' packing).
static AVX2 void quantize_int16_in_order_avx2(const float *x, long k, float inverse, int16_t *q) {
    const __m256 factor = _mm256_set1_ps(inverse);
    long p = 0;
    for (; p + 16 <= k; p += 16) {
        __m256i a = _mm256_castps_si256(quantize8_avx2(x + p, factor));
        __m256i b = _mm256_castps_si256(quantize8_avx2(x + p + 8, factor));
        // packs interleaves the halves: [a0-3 b0-3 | a4-7 b4-7]; the permute restores order.
        _mm256_storeu_si256((__m256i *)(q + p),
                            _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), 0xD8));
    }
    for (; p < k; p++) q[p] = quantize_int16(x[p], inverse);
}

float pali_int16_quantize_row(const float *x, long k, int16_t *q) {
    int vector = (pali_isa() & PALI_ISA_AVX2) != 0;
    float scale;
    float inverse = int16_row_scale(x, k, vector, &scale);
    if (vector)
        quantize_int16_in_order_avx2(x, k, inverse, q);
    else
        for (long p = 0; p < k; p++) q[p] = quantize_int16(x[p], inverse);
    return scale;
}

#define Q16_MAX_RB 8  // input rows per call (Ops.streamingRows)

static void q16_range_portable(const int8_t *w, const float *wscales, const int16_t *q,
                               const float *qscales, float *out, long rows, long n, long k,
                               long first, long end) {
    for (long j = first; j < end; j++)
        for (long r = 0; r < rows; r++) {
            int64_t total = 0;
            for (long p = 0; p < k; p++)
                total += (int32_t)w[j * k + p] * q[r * k + q16_slot(p, k)];
            out[r * n + j] = (float)total * (wscales[j] * qscales[r]);
        }
}

static inline AVX2 int64_t hsum_epi32_avx2(__m256i v) {
    __m256i wide = _mm256_add_epi64(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(v)),
                                    _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v, 1)));
    __m128i h = _mm_add_epi64(_mm256_castsi256_si128(wide), _mm256_extracti128_si256(wide, 1));
    return _mm_cvtsi128_si64(h) + _mm_extract_epi64(h, 1);
}

// One input row: memory-bound, so each core reads its share of the weights as one sequential
// stream, one weight row after another (rows read side by side stream worse from DRAM),
// prefetched Q16_ROW_PREFETCH bytes ahead: beyond the few hundred bytes the out-of-order window
// reaches alone, short of keeping so many lines in flight that the stream slows (see
// docs/benchmarks/). The even and odd products go to separate accumulators: two dependency
// chains of one add per chunk instead of one of two, caught up faster after a stall.
#define Q16_ROW_PREFETCH 1024

// The decode kernels per instruction set (int8_decode_kernels.h).
#define Q16_TARGET AVX2
#define Q16_NAME(x) q16_##x##_avx2
#define Q16_DOT(acc, a, b) _mm256_add_epi32(acc, _mm256_madd_epi16(a, b))
#include "int8_decode_kernels.h"
#undef Q16_TARGET
#undef Q16_NAME
#undef Q16_DOT

#define Q16_TARGET __attribute__((target("avx2,fma,avxvnni")))
#define Q16_NAME(x) q16_##x##_avxvnni
#define Q16_DOT(acc, a, b) _mm256_dpwssd_avx_epi32(acc, a, b)
#include "int8_decode_kernels.h"
#undef Q16_TARGET
#undef Q16_NAME
#undef Q16_DOT


// Whether the rows run the 512-bit kernel (int8_decode_avx512.c; with AVX-512 VNNI, one row
// too, which it streams one weight row at a time as the kernels here do), whose activations
// are in column order: quantisation and product agree on the layout by asking the same
// question.
static int q16_rows_wide(long rows) {
    return rows >= 1 && (pali_isa() & PALI_ISA_AVX512_VNNI) != 0;
}

void pali_int16_quantize_rows(const float *a, long rows, long k, int16_t *q, float *scales) {
    if (q16_rows_wide(rows)) {
        for (long r = 0; r < rows; r++) scales[r] = pali_int16_quantize_row(a + r * k, k, q + r * k);
        return;
    }
    quantize_int16_rows(a, rows, k, q, scales, (pali_isa() & PALI_ISA_AVX2) != 0);
}

void pali_int8_linear_range(const int8_t *w, const float *scales, const int16_t *q,
                            const float *qscales, float *out, long rows, long n, long k,
                            long first, long end) {
    // Every level computes the same integer sums; VNNI only needs fewer instructions.
    unsigned isa = pali_isa();
    if (q16_rows_wide(rows)) {
        pali_q16_rows_avx512(w, scales, q, qscales, out, rows, n, k, first, end);
    } else if (isa & PALI_ISA_AVX_VNNI) {
        if (rows == 1)
            q16_range1_avxvnni(w, scales, q, qscales, out, k, first, end);
        else
            q16_range_avxvnni(w, scales, q, qscales, out, rows, n, k, first, end);
    } else if (isa & PALI_ISA_AVX2) {
        if (rows == 1)
            q16_range1_avx2(w, scales, q, qscales, out, k, first, end);
        else
            q16_range_avx2(w, scales, q, qscales, out, rows, n, k, first, end);
    } else {
        q16_range_portable(w, scales, q, qscales, out, rows, n, k, first, end);
    }
}
