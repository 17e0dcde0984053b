#include "CPaliKernels.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vector_math.h"

// ---------------------------------------------------------------------------------------------
// Instruction-set dispatch.

static int level_cap = 2;

static int detected_level(void) {
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
    return 0;
}

int pali_kernels_level(void) {
    int cap = __atomic_load_n(&level_cap, __ATOMIC_RELAXED);
    int level = detected_level();
    return level < cap ? level : cap;
}

int pali_kernels_limit_level(int level) {
    __atomic_store_n(&level_cap, level, __ATOMIC_RELAXED);
    return pali_kernels_level();
}


// ---------------------------------------------------------------------------------------------
// bf16 weights × float32 activations (decode steps: 1–8 input rows).
//
// Activation layout. A bf16 value is the upper half of a float32, so the AVX2 kernels load 16
// weights (32 bytes) and widen them in two cheap operations without crossing 128-bit halves:
// a left shift by 16 gives the even columns as floats, masking off the low halves the odd
// ones (vpmovzxwd + vpslld, as before, took a lane-crossing shuffle and a shift per 8). So the
// activations are stored in the matching order, once per product (`pali_bf16_arrange_rows`):
// within every complete chunk of BF16_CHUNK columns the 8 even columns, then the 8 odd ones;
// the last k mod BF16_CHUNK columns stay in order. A single row keeps its order and the
// widening kernel: it is memory-bound, and the layout gained nothing there (a 224 px decode
// step measured 207–210 against 195–201 ms). Measured (2 threads, a Gemma 2 2B MLP matrix
// from DRAM): 8 rows 62–67 against 56–57 G MAC/s for the previous kernel; one thread from L2,
// 37 against 30 (74 % of this core's FMA peak).
#define BF16_CHUNK 16

// Where column p of a k-column activation row is stored (see the layout above).
static inline long bf16_slot(long p, long k) {
    long chunk = p - p % BF16_CHUNK;
    if (chunk + BF16_CHUNK > k) return p;
    return chunk + (p % 2) * (BF16_CHUNK / 2) + (p % BF16_CHUNK) / 2;
}

void pali_bf16_arrange_rows(const float *a, long rows, long k, float *x) {
    if (rows == 1) {
        memcpy(x, a, (size_t)k * sizeof *a);
        return;
    }
    for (long r = 0; r < rows; r++)
        for (long p = 0; p < k; p++) x[r * k + bf16_slot(p, k)] = a[r * k + p];
}

// Portable C: each dot product sums in column order.
static void bf16_range_portable(const uint16_t *w, const float *x, float *out, long rows,
                                long n, long k, long first, long end) {
    for (long j = first; j < end; j++)
        for (long r = 0; r < rows; r++) {
            float total = 0;
            for (long p = 0; p < k; p++) {
                long slot = rows == 1 ? p : bf16_slot(p, k);
                total += bf16_scalar(w + j * k + p) * x[r * k + slot];
            }
            out[r * n + j] = total;
        }
}

// The even (shift) and odd (mask) columns of 16 bf16 weights as floats, exact.
#define BF16_EVEN_AVX2(v) _mm256_castsi256_ps(_mm256_slli_epi32(v, 16))
#define BF16_ODD_AVX2(v) _mm256_castsi256_ps(_mm256_and_si256(v, _mm256_set1_epi32(-65536)))

// AVX2 decode products. From DRAM, weight rows read side by side stream badly (the int8 kernel
// measured 10 against 15 GB/s per thread), so:

// One input row (in column order): memory-bound (2 bytes per FMA), so each core reads its
// share of the weights as one sequential stream, one weight row after another, a cache line
// (32 columns) per step, into four accumulators (one FMA chain would wait out the FMA's
// latency), prefetched BF16_ROW_PREFETCH bytes ahead. Measured (2 threads, weights from DRAM,
// a Gemma 2 2B layer's matrices, cores shared with other work): 20–24 GB/s, on a par with 4
// rows side by side (19–23); prefetching 0, 512, 1536, 2048 or 4096 bytes ahead gave 17–24.
#define BF16_ROW_PREFETCH 1024
static AVX2 void bf16_range1_avx2(const uint16_t *w, const float *a, float *out, long k,
                                  long first, long end) {
    long body = k - k % 32;
    for (long j = first; j < end; j++) {
        const uint16_t *wj = w + j * k;
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        long i = 0;
        for (; i < body; i += 32) {
            _mm_prefetch((const char *)(wj + i) + BF16_ROW_PREFETCH, _MM_HINT_T0);
            s0 = _mm256_fmadd_ps(LOAD_BF16_AVX2(wj + i), _mm256_loadu_ps(a + i), s0);
            s1 = _mm256_fmadd_ps(LOAD_BF16_AVX2(wj + i + 8), _mm256_loadu_ps(a + i + 8), s1);
            s2 = _mm256_fmadd_ps(LOAD_BF16_AVX2(wj + i + 16), _mm256_loadu_ps(a + i + 16), s2);
            s3 = _mm256_fmadd_ps(LOAD_BF16_AVX2(wj + i + 24), _mm256_loadu_ps(a + i + 24), s3);
        }
        for (; i + 8 <= k; i += 8)
            s0 = _mm256_fmadd_ps(LOAD_BF16_AVX2(wj + i), _mm256_loadu_ps(a + i), s0);
        float total = pali_hsum256(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
        for (; i < k; i++) total += bf16_scalar(wj + i) * a[i];
        out[j] = total;
    }
}

// 2–8 input rows: compute-bound, so every widened weight vector should serve several input
// rows from registers. Weight rows go in groups of STREAM_GROUP and the columns in tiles of
// STREAM_TILE, so a tile's activations (≤ 8 rows × 2 KB) stay in L1 while the group's rows run
// over it. Within a tile a block of jw weight rows × rb input rows keeps its jw · rb
// accumulators in registers (≤ 12 of AVX2's 16, beside jw weight vectors and one input
// vector): 4 × 2 for 2 rows, 2 × rb for 3–6; 7–8 rows take two row blocks of ≤ 4 (the second
// re-reads the tile's weights from L1; 3 × 4 spills registers and ran at 52 against 65 G MAC/s,
// 1 × 8 at 54, 2 × 6 + 2 × 2 at 60). Accumulators stay in memory between tiles. The group's
// rows are read side by side, which alone streams badly from DRAM; so while a group is
// multiplied the next one (contiguous) is prefetched into L2 as one sequential stream, one
// cache line per 64 bytes consumed. Groups of 8 or 16 rows and tiles of 128 or 256 columns
// measured the same.

// One chunk of a block of jw weight rows: `before` bytes of the block consumed so far, then
// chunk_bytes per row; a prefetched line of `ahead` per 64 bytes consumed.
static inline __attribute__((always_inline)) void stream_prefetch(const char *ahead, long before,
                                                                  int jw, long chunk_bytes) {
    for (int jj = 0; jj < jw; jj++) {
        long consumed = before + jj * chunk_bytes;
        if (consumed % 64 == 0) _mm_prefetch(ahead + consumed, _MM_HINT_T1);
    }
}

// A tile's jw × rb accumulators between their place in the range driver (acc, rows `stride`
// apart) and registers (s, [jw, rb]): loaded before the tile (`load`), stored after it.
static inline __attribute__((always_inline)) AVX2 void tile_accumulators(
    __m256 *s, __m256 *acc, int jw, int rb, int stride, int load) {
    for (int jj = 0; jj < jw; jj++)
        for (int r = 0; r < rb; r++) {
            if (load)
                s[jj * rb + r] = acc[jj * stride + r];
            else
                acc[jj * stride + r] = s[jj * rb + r];
        }
}

// acc[jj * stride + r] += Σ_{i0 ≤ p < i1} w[jj * k + p] · a[r * k + p] for jj < jw, r < rb
// over whole chunks (a arranged in x), prefetching `ahead` onward by as many bytes as it
// consumes. Called with constant jw and rb, so the accumulators live in registers once
// inlined.
static inline __attribute__((always_inline)) AVX2 void bf16_tile_avx2(
    const uint16_t *w, const float *x, long k, long i0, long i1, int jw, int rb, __m256 *acc,
    int stride, const char *ahead) {
    __m256 s[12];  // [jw, rb]
    tile_accumulators(s, acc, jw, rb, stride, 1);
    for (long i = i0; i < i1; i += BF16_CHUNK) {
        stream_prefetch(ahead, (i - i0) * jw * 2, jw, BF16_CHUNK * 2);
        __m256i raw[4];
        __m256 wv[4];
        for (int jj = 0; jj < jw; jj++) {
            raw[jj] = _mm256_loadu_si256((const __m256i *)(w + jj * k + i));
            wv[jj] = BF16_EVEN_AVX2(raw[jj]);
        }
        for (int r = 0; r < rb; r++) {
            __m256 xv = _mm256_loadu_ps(x + r * k + i);
            for (int jj = 0; jj < jw; jj++)
                s[jj * rb + r] = _mm256_fmadd_ps(wv[jj], xv, s[jj * rb + r]);
        }
        for (int jj = 0; jj < jw; jj++) wv[jj] = BF16_ODD_AVX2(raw[jj]);
        for (int r = 0; r < rb; r++) {
            __m256 xv = _mm256_loadu_ps(x + r * k + i + BF16_CHUNK / 2);
            for (int jj = 0; jj < jw; jj++)
                s[jj * rb + r] = _mm256_fmadd_ps(wv[jj], xv, s[jj * rb + r]);
        }
    }
    tile_accumulators(s, acc, jw, rb, stride, 0);
}

// The range driver shared by the bf16 and float32 kernels: out[r * n + j] for outputs
// first ≤ j < end over groups of STREAM_GROUP weight rows and tiles of STREAM_TILE columns as
// described above, TILE multiplying one block of (bw, rb) weight and input rows over one tile
// of whole CHUNKs, SCALAR reading one weight of the k mod CHUNK tail.
#define STREAM_GROUP 4
#define STREAM_TILE 512  // a multiple of every CHUNK
#define STREAM_MAX_RB 8  // input rows per pass (Ops.streamingRows)
#define STREAM_TILE_CASE(TILE, J, R)                                                           \
    case J * 16 + R:                                                                           \
        TILE(wg, x + r0 * k, k, t0, t1, J, R, acc + g * rows + r0, rows, ahead);               \
        break;
#define DEFINE_STREAM_RANGE(NAME, T, CHUNK, TILE, SCALAR)                                      \
    static AVX2 void NAME(const T *w, const float *x, float *out, int rows, long n, long k,    \
                          long first, long end) {                                              \
        long body = k - k % CHUNK;                                                             \
        /* weight rows, input rows per block */                                               \
        int jw = rows == 2 ? 4 : 2, per = rows <= 6 ? rows : 4;                                \
        for (long j = first; j < end; j += STREAM_GROUP) {                                     \
            int group = end - j < STREAM_GROUP ? (int)(end - j) : STREAM_GROUP;                \
            /* The next group's bytes (past the matrix for the last group: prefetches never    \
               fault). */                                                                      \
            const char *next = (const char *)(w + (j + group) * k);                            \
            __m256 acc[STREAM_GROUP * STREAM_MAX_RB]; /* [group, rows] */                      \
            for (int m = 0; m < group * rows; m++) acc[m] = _mm256_setzero_ps();               \
            for (long t0 = 0; t0 < body; t0 += STREAM_TILE) {                                  \
                long t1 = t0 + STREAM_TILE < body ? t0 + STREAM_TILE : body;                   \
                for (int g = 0; g < group; g += jw) {                                          \
                    const T *wg = w + (j + g) * k;                                             \
                    /* Every row block prefetches the same lines; after the first, L2 hits. */ \
                    const char *ahead = next + (t0 * group + g * (t1 - t0)) * sizeof(T);       \
                    int bw = group - g < jw ? group - g : jw;                                  \
                    for (int r0 = 0; r0 < rows; r0 += per) {                                   \
                        switch (bw * 16 + (rows - r0 < per ? rows - r0 : per)) {               \
                            STREAM_TILE_CASE(TILE, 1, 1) STREAM_TILE_CASE(TILE, 2, 1)          \
                            STREAM_TILE_CASE(TILE, 1, 2) STREAM_TILE_CASE(TILE, 2, 2)          \
                            STREAM_TILE_CASE(TILE, 3, 2) STREAM_TILE_CASE(TILE, 4, 2)          \
                            STREAM_TILE_CASE(TILE, 1, 3) STREAM_TILE_CASE(TILE, 2, 3)          \
                            STREAM_TILE_CASE(TILE, 1, 4) STREAM_TILE_CASE(TILE, 2, 4)          \
                            STREAM_TILE_CASE(TILE, 1, 5) STREAM_TILE_CASE(TILE, 2, 5)          \
                            STREAM_TILE_CASE(TILE, 1, 6) STREAM_TILE_CASE(TILE, 2, 6)          \
                        }                                                                      \
                    }                                                                          \
                }                                                                              \
            }                                                                                  \
            for (int g = 0; g < group; g++) {                                                  \
                const T *wg = w + (j + g) * k;                                                 \
                for (int r = 0; r < rows; r++) {                                               \
                    float total = pali_hsum256(acc[g * rows + r]);                             \
                    for (long p = body; p < k; p++) total += SCALAR(wg + p) * x[r * k + p];    \
                    out[r * n + j + g] = total;                                                \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
    }

DEFINE_STREAM_RANGE(bf16_range_avx2, uint16_t, BF16_CHUNK, bf16_tile_avx2, bf16_scalar)

// float32 weights, 2–8 input rows (batched decode steps with f32 weights). OpenBLAS `sgemm`
// packs its operands before multiplying, which at a few rows costs more than the product: a
// 224 px step took 939 ms at 4 rows and 951 at 8 against 327 at one (`sgemv`). This kernel
// streams each weight row once as the bf16 one does (same groups, tiles, blocks and prefetch),
// 8 columns per step and no widening.
#define F32_CHUNK 8

static inline float f32_scalar(const float *p) { return *p; }

// As bf16_tile_avx2, for float32 weights and activations in column order.
static inline __attribute__((always_inline)) AVX2 void f32_tile_avx2(
    const float *w, const float *x, long k, long i0, long i1, int jw, int rb, __m256 *acc,
    int stride, const char *ahead) {
    __m256 s[12];  // [jw, rb]
    tile_accumulators(s, acc, jw, rb, stride, 1);
    for (long i = i0; i < i1; i += F32_CHUNK) {
        stream_prefetch(ahead, (i - i0) * jw * 4, jw, F32_CHUNK * 4);
        __m256 wv[4];
        for (int jj = 0; jj < jw; jj++) wv[jj] = _mm256_loadu_ps(w + jj * k + i);
        for (int r = 0; r < rb; r++) {
            __m256 xv = _mm256_loadu_ps(x + r * k + i);
            for (int jj = 0; jj < jw; jj++)
                s[jj * rb + r] = _mm256_fmadd_ps(wv[jj], xv, s[jj * rb + r]);
        }
    }
    tile_accumulators(s, acc, jw, rb, stride, 0);
}

DEFINE_STREAM_RANGE(f32_range_avx2, float, F32_CHUNK, f32_tile_avx2, f32_scalar)

void pali_f32_linear_range(const float *w, const float *a, float *out, long rows, long n, long k,
                           long first, long end) {
    if (pali_kernels_level() < 1) {
        for (long j = first; j < end; j++)
            for (long r = 0; r < rows; r++) {
                float total = 0;
                for (long p = 0; p < k; p++) total += w[j * k + p] * a[r * k + p];
                out[r * n + j] = total;
            }
        return;
    }
    // Equal passes of at most STREAM_MAX_RB input rows, none of one row (the one-row case is
    // OpenBLAS `sgemv`'s; a single row here runs as a block of one).
    for (long r0 = 0, passes = (rows + STREAM_MAX_RB - 1) / STREAM_MAX_RB; r0 < rows;
         passes--) {
        long rb = (rows - r0 + passes - 1) / passes;
        f32_range_avx2(w, a + r0 * k, out + r0 * n, (int)rb, n, k, first, end);
        r0 += rb;
    }
}

// AVX-512F: used for the expansion to float32 only. AVX-512 CPUs run the AVX2 decode kernels,
// which read the activation layout above.
#define AVX512 __attribute__((target("avx512f")))

#define LOAD_BF16_AVX512(p)                                                                     \
    _mm512_castsi512_ps(                                                                        \
        _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(p))), 16))
#define LOAD_INT8_AVX512(p)                                                                     \
    _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)(p))))

void pali_bf16_linear_range(const uint16_t *w, const float *x, float *out, long rows, long n,
                            long k, long first, long end) {
    if (pali_kernels_level() < 1) {
        bf16_range_portable(w, x, out, rows, n, k, first, end);
        return;
    }
    // Equal passes of at most STREAM_MAX_RB input rows (the callers send at most 8); a pass has
    // one row only when the call has.
    for (long r0 = 0, passes = (rows + STREAM_MAX_RB - 1) / STREAM_MAX_RB; r0 < rows; passes--) {
        long rb = (rows - r0 + passes - 1) / passes;
        if (rb == 1)
            bf16_range1_avx2(w, x + r0 * k, out + r0 * n, k, first, end);
        else
            bf16_range_avx2(w, x + r0 * k, out + r0 * n, (int)rb, n, k, first, end);
        r0 += rb;
    }
}

// ---------------------------------------------------------------------------------------------
// int8 weights × int16 activations (decode steps). Widening every int8 weight to float costs
// two conversions per FMA and left the int8 kernel compute-bound at a third of the memory
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

static AVX2 float absmax_avx2(const float *x, long k) {
    const __m256 magnitude = _mm256_castsi256_ps(_mm256_set1_epi32(0x7FFFFFFF));
    __m256 peak = _mm256_setzero_ps();
    long p = 0;
    for (; p + 8 <= k; p += 8)
        peak = _mm256_max_ps(peak, _mm256_and_ps(_mm256_loadu_ps(x + p), magnitude));
    __m128 h = _mm_max_ps(_mm256_castps256_ps128(peak), _mm256_extractf128_ps(peak, 1));
    h = _mm_max_ps(h, _mm_movehl_ps(h, h));
    h = _mm_max_ss(h, _mm_movehdup_ps(h));
    float absmax = _mm_cvtss_f32(h);
    for (; p < k; p++) absmax = fmaxf(absmax, fabsf(x[p]));
    return absmax;
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

// Per row r: scales[r] = absmax / 32767 and q[r] as above. A NaN or infinite activation makes
// the row's outputs NaN, as a float product would.
static void quantize_int16_rows(const float *a, long rows, long k, int16_t *q, float *scales,
                                int vector) {
    for (long r = 0; r < rows; r++) {
        const float *x = a + r * k;
        float absmax = 0;
        if (vector) {
            absmax = absmax_avx2(x, k);
        } else {
            for (long p = 0; p < k; p++) absmax = fmaxf(absmax, fabsf(x[p]));
        }
        int finite = isfinite(absmax);
        scales[r] = finite ? absmax / 32767.0f : NAN;
        float inverse = absmax > 0 && finite ? 32767.0f / absmax : 0.0f;
        if (vector)
            quantize_int16_avx2(x, k, inverse, q + r * k);
        else
            quantize_int16_portable(x, k, inverse, q + r * k);
    }
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
// stream, one weight row after another (2 or 4 rows read side by side measured slower from
// DRAM: 10 against 15 GB/s per thread), prefetched 1 KB ahead (the out-of-order window alone
// reaches a few hundred bytes; 2 KB, as before, keeps twice as many lines in flight and streamed
// slower: harness, clang -O2, another process on the machine, 1 thread 17.8–17.9 against
// 14.0–14.9 GB/s, 2 threads 16.1–16.8 against 13.6–14.0; 256 B–1.5 KB in between). The even and
// odd products go to separate accumulators: two dependency chains of one add per chunk instead
// of one of two, caught up faster after a stall.
#define Q16_ROW_PREFETCH 1024

static AVX2 void q16_range1_avx2(const int8_t *w, const float *wscales, const int16_t *q,
                                 const float *qscales, float *out, long k, long first,
                                 long end) {
    long body = k - k % Q16_CHUNK;
    for (long j = first; j < end; j++) {
        const int8_t *wj = w + j * k;
        int64_t total = 0;
        for (long i = 0; i < body;) {
            long stop = i + Q16_RUN < body ? i + Q16_RUN : body;
            __m256i even_sum = _mm256_setzero_si256(), odd_sum = _mm256_setzero_si256();
            for (; i < stop; i += Q16_CHUNK) {
                _mm_prefetch((const char *)(wj + i) + Q16_ROW_PREFETCH, _MM_HINT_T0);
                __m256i v = _mm256_loadu_si256((const __m256i *)(wj + i));
                __m256i even = _mm256_srai_epi16(_mm256_slli_epi16(v, 8), 8);
                __m256i odd = _mm256_srai_epi16(v, 8);
                even_sum = _mm256_add_epi32(
                    even_sum, _mm256_madd_epi16(even, _mm256_loadu_si256((const __m256i *)(q + i))));
                odd_sum = _mm256_add_epi32(
                    odd_sum, _mm256_madd_epi16(
                                 odd, _mm256_loadu_si256((const __m256i *)(q + i + Q16_CHUNK / 2))));
            }
            total += hsum_epi32_avx2(_mm256_add_epi32(even_sum, odd_sum));
        }
        for (long p = body; p < k; p++) total += (int32_t)wj[p] * q[p];
        out[j] = (float)total * (wscales[j] * qscales[0]);
    }
}

// 2–8 input rows: compute-bound on vpmaddwd + vpaddd, so every activation load should serve
// several weight rows. Weight rows go in groups of Q16_GROUP and the columns in tiles of
// Q16_TILE: within a tile, the group's rows go in pairs against up to Q16_PAIR_RB input rows at
// once (two passes for 5–8 rows, the pair's tile then in L1), an odd last row against all input
// rows; accumulators stay in registers within the tile and in memory between tiles, so the
// tile's activations (≤ 8 KB) are read from L1. The group's rows are read side by side, which
// alone streams badly from DRAM; so while a group is multiplied the next one (contiguous) is
// prefetched into L2 as one sequential stream, as many bytes as consumed. Measured (2 threads,
// weights from DRAM, a Gemma 2 2B layer's matrices): 8 rows 98–106 G MAC/s against 77–81 for
// one weight row at a time; from L2 (1 thread) 62–69 G MAC/s at 4–8 rows for k = 2304 and 9216
// against 45–72. Pairs of weight rows (one thread, weights from DRAM, clang -O2, another
// process on the other core): 2 rows 30–34 against 19–25 G MAC/s for one weight row at a time,
// 4 rows 43–47 against 42–44, 8 rows 50–51 against 44–45.
#define Q16_GROUP 4
#define Q16_TILE 512  // divides Q16_RUN

// acc[r] += Σ_{i0 ≤ p < i1} w[p] · q[r * k + slot(p)] (whole chunks), prefetching `ahead` onward
// by as many bytes as it consumes. Called with constant rb.
static inline __attribute__((always_inline)) AVX2 void q16_tile_avx2(
    const int8_t *w, const int16_t *q, long k, long i0, long i1, int rb, __m256i *acc,
    const char *ahead) {
    __m256i a[Q16_MAX_RB];
    for (int r = 0; r < rb; r++) a[r] = _mm256_load_si256(acc + r);
    for (long i = i0; i < i1; i += Q16_CHUNK) {
        _mm_prefetch(ahead + (i - i0), _MM_HINT_T1);
        __m256i v = _mm256_loadu_si256((const __m256i *)(w + i));
        __m256i even = _mm256_srai_epi16(_mm256_slli_epi16(v, 8), 8);
        __m256i odd = _mm256_srai_epi16(v, 8);
        for (int r = 0; r < rb; r++) {
            const int16_t *x = q + r * k + i;
            __m256i pe = _mm256_madd_epi16(even, _mm256_loadu_si256((const __m256i *)x));
            __m256i po = _mm256_madd_epi16(
                odd, _mm256_loadu_si256((const __m256i *)(x + Q16_CHUNK / 2)));
            a[r] = _mm256_add_epi32(a[r], _mm256_add_epi32(pe, po));
        }
    }
    for (int r = 0; r < rb; r++) _mm256_store_si256(acc + r, a[r]);
}

// Two weight rows w0 = w, w1 = w + k against rb ≤ Q16_PAIR_RB input rows: each activation load
// serves both weight rows (8 accumulators at rb = 4, the registers AVX2 has left). acc0[r],
// acc1[r] as q16_tile_avx2's acc[r]; with `prefetch`, prefetches `ahead` onward by as many bytes
// as the two rows consume. Called with constant rb and prefetch.
#define Q16_PAIR_RB 4
static inline __attribute__((always_inline)) AVX2 void q16_pair_tile_avx2(
    const int8_t *w, const int16_t *q, long k, long i0, long i1, int rb, __m256i *acc0,
    __m256i *acc1, const char *ahead, int prefetch) {
    __m256i a[Q16_PAIR_RB], b[Q16_PAIR_RB];
    for (int r = 0; r < rb; r++) {
        a[r] = _mm256_load_si256(acc0 + r);
        b[r] = _mm256_load_si256(acc1 + r);
    }
    for (long i = i0; i < i1; i += Q16_CHUNK) {
        if (prefetch) _mm_prefetch(ahead + 2 * (i - i0), _MM_HINT_T1);  // one line per step
        __m256i v0 = _mm256_loadu_si256((const __m256i *)(w + i));
        __m256i v1 = _mm256_loadu_si256((const __m256i *)(w + k + i));
        __m256i even0 = _mm256_srai_epi16(_mm256_slli_epi16(v0, 8), 8);
        __m256i odd0 = _mm256_srai_epi16(v0, 8);
        __m256i even1 = _mm256_srai_epi16(_mm256_slli_epi16(v1, 8), 8);
        __m256i odd1 = _mm256_srai_epi16(v1, 8);
        for (int r = 0; r < rb; r++) {
            const int16_t *x = q + r * k + i;
            __m256i xe = _mm256_loadu_si256((const __m256i *)x);
            __m256i xo = _mm256_loadu_si256((const __m256i *)(x + Q16_CHUNK / 2));
            a[r] = _mm256_add_epi32(
                a[r], _mm256_add_epi32(_mm256_madd_epi16(even0, xe), _mm256_madd_epi16(odd0, xo)));
            b[r] = _mm256_add_epi32(
                b[r], _mm256_add_epi32(_mm256_madd_epi16(even1, xe), _mm256_madd_epi16(odd1, xo)));
        }
    }
    for (int r = 0; r < rb; r++) {
        _mm256_store_si256(acc0 + r, a[r]);
        _mm256_store_si256(acc1 + r, b[r]);
    }
}

#define Q16_TILE_CASE(R)                                                                        \
    case R: q16_tile_avx2(wg, q, k, t0, t1, R, acc[g], ahead); break;
#define Q16_PAIR_CASE(R, P)                                                                     \
    case R:                                                                                     \
        q16_pair_tile_avx2(wg, q + r0 * k, k, t0, t1, R, acc[g] + r0, acc[g + 1] + r0, ahead, P); \
        break;

static AVX2 void q16_range_avx2(const int8_t *w, const float *wscales, const int16_t *q,
                                const float *qscales, float *out, long rows, long n, long k,
                                long first, long end) {
    long body = k - k % Q16_CHUNK;
    for (long j = first; j < end; j += Q16_GROUP) {
        int rb = (int)rows, group = end - j < Q16_GROUP ? (int)(end - j) : Q16_GROUP;
        // The next group's bytes, prefetched in order as this group's are consumed (past the
        // matrix for the last group: prefetches never fault).
        const char *next = (const char *)(w + (j + group) * k);
        int64_t sums[Q16_GROUP][Q16_MAX_RB];
        __m256i acc[Q16_GROUP][Q16_MAX_RB];
        for (int g = 0; g < group; g++)
            for (int r = 0; r < rb; r++) {
                sums[g][r] = 0;
                acc[g][r] = _mm256_setzero_si256();
            }
        for (long t0 = 0; t0 < body; t0 += Q16_TILE) {
            long t1 = t0 + Q16_TILE < body ? t0 + Q16_TILE : body;
            int g = 0;
            // Weight rows in pairs, input rows Q16_PAIR_RB at a time (the pair's tile stays in
            // L1 for the second pass of 5–8 rows, which does not prefetch again).
            for (; g + 2 <= group; g += 2) {
                const int8_t *wg = w + (j + g) * k;
                const char *ahead = next + t0 * group + g * (t1 - t0);
                int r0 = 0;
                switch (rb < Q16_PAIR_RB ? rb : Q16_PAIR_RB) {
                    Q16_PAIR_CASE(2, 1) Q16_PAIR_CASE(3, 1) Q16_PAIR_CASE(4, 1)
                }
                for (r0 = Q16_PAIR_RB; r0 < rb; r0 += Q16_PAIR_RB) {
                    switch (rb - r0 < Q16_PAIR_RB ? rb - r0 : Q16_PAIR_RB) {
                        Q16_PAIR_CASE(1, 0) Q16_PAIR_CASE(2, 0) Q16_PAIR_CASE(3, 0)
                        Q16_PAIR_CASE(4, 0)
                    }
                }
            }
            if (g < group) {  // an odd last row: every input row at once
                const int8_t *wg = w + (j + g) * k;
                const char *ahead = next + t0 * group + g * (t1 - t0);
                switch (rb) {
                    Q16_TILE_CASE(2) Q16_TILE_CASE(3) Q16_TILE_CASE(4) Q16_TILE_CASE(5)
                    Q16_TILE_CASE(6) Q16_TILE_CASE(7) Q16_TILE_CASE(8)
                }
            }
            if (t1 % Q16_RUN == 0 || t1 == body)
                for (int g = 0; g < group; g++)
                    for (int r = 0; r < rb; r++) {
                        sums[g][r] += hsum_epi32_avx2(acc[g][r]);
                        acc[g][r] = _mm256_setzero_si256();
                    }
        }
        for (int g = 0; g < group; g++) {
            const int8_t *wg = w + (j + g) * k;
            for (long p = body; p < k; p++)
                for (int r = 0; r < rb; r++) sums[g][r] += (int32_t)wg[p] * q[r * k + p];
            for (int r = 0; r < rb; r++)
                out[r * n + j + g] = (float)sums[g][r] * (wscales[j + g] * qscales[r]);
        }
    }
}

void pali_int16_quantize_rows(const float *a, long rows, long k, int16_t *q, float *scales) {
    quantize_int16_rows(a, rows, k, q, scales, pali_kernels_level() >= 1);
}

void pali_int8_linear_range(const int8_t *w, const float *scales, const int16_t *q,
                            const float *qscales, float *out, long rows, long n, long k,
                            long first, long end) {
    // AVX-512 CPUs run the AVX2 kernel (the result is the same integer sum either way).
    if (pali_kernels_level() >= 1 && rows == 1)
        q16_range1_avx2(w, scales, q, qscales, out, k, first, end);
    else if (pali_kernels_level() >= 1)
        q16_range_avx2(w, scales, q, qscales, out, rows, n, k, first, end);
    else
        q16_range_portable(w, scales, q, qscales, out, rows, n, k, first, end);
}

// ---------------------------------------------------------------------------------------------
// Expansion to float32 (prefill: blocks of weights for sgemm).

static AVX2 void bf16_widen_avx2(const uint16_t *src, float *dst, long count) {
    long i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(dst + i, LOAD_BF16_AVX2(src + i));
    for (; i < count; i++) dst[i] = bf16_scalar(src + i);
}

static AVX512 void bf16_widen_avx512(const uint16_t *src, float *dst, long count) {
    long i = 0;
    for (; i + 16 <= count; i += 16) _mm512_storeu_ps(dst + i, LOAD_BF16_AVX512(src + i));
    for (; i < count; i++) dst[i] = bf16_scalar(src + i);
}

void pali_bf16_widen(const uint16_t *src, float *dst, long count) {
    switch (pali_kernels_level()) {
    case 2: bf16_widen_avx512(src, dst, count); return;
    case 1: bf16_widen_avx2(src, dst, count); return;
    default:
        for (long i = 0; i < count; i++) dst[i] = bf16_scalar(src + i);
    }
}

static AVX2 void int8_dequantize_avx2(const int8_t *src, float scale, float *dst, long k) {
    __m256 s = _mm256_set1_ps(scale);
    long i = 0;
    for (; i + 8 <= k; i += 8)
        _mm256_storeu_ps(dst + i, _mm256_mul_ps(LOAD_INT8_AVX2(src + i), s));
    for (; i < k; i++) dst[i] = (float)src[i] * scale;
}

static AVX512 void int8_dequantize_avx512(const int8_t *src, float scale, float *dst, long k) {
    __m512 s = _mm512_set1_ps(scale);
    long i = 0;
    for (; i + 16 <= k; i += 16)
        _mm512_storeu_ps(dst + i, _mm512_mul_ps(LOAD_INT8_AVX512(src + i), s));
    for (; i < k; i++) dst[i] = (float)src[i] * scale;
}

void pali_int8_dequantize(const int8_t *src, const float *scales, float *dst, long rows, long k) {
    int level = pali_kernels_level();
    for (long r = 0; r < rows; r++) {
        const int8_t *row = src + r * k;
        float *target = dst + r * k;
        switch (level) {
        case 2: int8_dequantize_avx512(row, scales[r], target, k); break;
        case 1: int8_dequantize_avx2(row, scales[r], target, k); break;
        default:
            for (long i = 0; i < k; i++) target[i] = (float)row[i] * scales[r];
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Quantisation at load. round(v / scale) with scale = absmax / 127 lies in [-127, 127]; the
// clamp only guards against the division rounding a hair above 127.

static float quantize_row_portable(const float *src, int8_t *dst, long k) {
    float absmax = 0;
    for (long i = 0; i < k; i++) absmax = fmaxf(absmax, fabsf(src[i]));
    float scale = absmax / 127.0f;
    for (long i = 0; i < k; i++) {
        float q = scale > 0 ? rintf(src[i] / scale) : 0.0f;
        dst[i] = (int8_t)fminf(fmaxf(q, -127.0f), 127.0f);
    }
    return scale;
}

static AVX2 float quantize_row_avx2(const float *src, int8_t *dst, long k) {
    float absmax = absmax_avx2(src, k);
    float scale = absmax / 127.0f;
    if (!(scale > 0)) {
        memset(dst, 0, (size_t)k);
        return scale;
    }
    const __m256 divisor = _mm256_set1_ps(scale);
    const __m256 low = _mm256_set1_ps(-127.0f), high = _mm256_set1_ps(127.0f);
    long i = 0;
    for (; i + 8 <= k; i += 8) {
        __m256 q = _mm256_div_ps(_mm256_loadu_ps(src + i), divisor);
        q = _mm256_round_ps(q, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        __m256i v = _mm256_cvttps_epi32(_mm256_min_ps(_mm256_max_ps(q, low), high));
        // 8 int32 in [-127, 127] → 8 int8 (saturating packs keep the values).
        __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        _mm_storel_epi64((__m128i *)(dst + i), _mm_packs_epi16(words, words));
    }
    for (; i < k; i++) dst[i] = (int8_t)fminf(fmaxf(rintf(src[i] / scale), -127.0f), 127.0f);
    return scale;
}

float pali_int8_quantize_row(const float *src, int8_t *dst, long k) {
    return pali_kernels_level() >= 1 ? quantize_row_avx2(src, dst, k)
                                     : quantize_row_portable(src, dst, k);
}
