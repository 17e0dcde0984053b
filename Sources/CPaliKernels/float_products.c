#include "CPaliKernels.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bf16_decode_avx512.h"
#include "vector_math.h"

// ---------------------------------------------------------------------------------------------
// bf16 weights × float32 activations (decode steps: 1–8 input rows).
//
// Activation layout. A bf16 value is the upper half of a float32, so the AVX2 kernels load 16
// weights (32 bytes) and widen them in two cheap operations without crossing 128-bit halves:
// a left shift by 16 gives the even columns as floats, masking off the low halves the odd
// ones (vpmovzxwd + vpslld would take a lane-crossing shuffle and a shift per 8). So the
// activations are stored in the matching order, once per product (`pali_bf16_arrange_rows`):
// within every complete chunk of BF16_CHUNK columns the 8 even columns, then the 8 odd ones;
// the last k mod BF16_CHUNK columns stay in order. A single row keeps its order and the
// widening kernel: it is memory-bound, so cheaper widening gains nothing there. Rates in
// docs/benchmarks/.
#define BF16_CHUNK 16

// Where column p of a k-column activation row is stored with chunks of `chunk` columns (see
// the layout above).
static inline long bf16_slot_in(long p, long k, long chunk) {
    long start = p - p % chunk;
    if (start + chunk > k) return p;
    return start + (p % 2) * (chunk / 2) + (p % chunk) / 2;
}

static inline long bf16_slot(long p, long k) { return bf16_slot_in(p, k, BF16_CHUNK); }

// Whether the rows run the 512-bit kernel (bf16_decode_avx512.c), whose chunks are
// BF16_WIDE_CHUNK columns: arrangement and product agree by asking the same question. Only 7
// and 8 rows, which the AVX2 kernel takes in two row blocks and where its FMAs bound it; up to
// 6 rows it streams the weights as fast (see docs/benchmarks/).
static int bf16_rows_wide(long rows) {
    return rows >= 7 && rows <= 8 && (pali_isa() & PALI_ISA_AVX512) != 0;
}

void pali_bf16_arrange_rows(const float *a, long rows, long k, float *x) {
    if (rows == 1) {
        memcpy(x, a, (size_t)k * sizeof *a);
        return;
    }
    const long chunk = bf16_rows_wide(rows) ? BF16_WIDE_CHUNK : BF16_CHUNK;
    for (long r = 0; r < rows; r++)
        for (long p = 0; p < k; p++) x[r * k + bf16_slot_in(p, k, chunk)] = a[r * k + p];
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

// AVX2 decode products. From DRAM, weight rows read side by side stream worse than one row
// after another, so:

// One input row (in column order): memory-bound (2 bytes per FMA), so each core reads its
// share of the weights as one sequential stream, one weight row after another, a cache line
// (32 columns) per step, into four accumulators (one FMA chain would wait out the FMA's
// latency), prefetched `bf16_row_prefetch()` bytes ahead: 1 KB on AVX2-only CPUs; 4 KB where
// the CPU has AVX-512, whose cores stream their share faster with more lines in flight
// (docs/benchmarks/).
static long bf16_row_prefetch(void) { return (pali_isa() & PALI_ISA_AVX512) ? 4096 : 1024; }

static AVX2 void bf16_range1_avx2(const uint16_t *w, const float *a, float *out, long k,
                                  long first, long end) {
    const long body = k - k % 32, ahead = bf16_row_prefetch();
    for (long j = first; j < end; j++) {
        const uint16_t *wj = w + j * k;
        __m256 s0 = _mm256_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        long i = 0;
        for (; i < body; i += 32) {
            _mm_prefetch((const char *)(wj + i) + ahead, _MM_HINT_T0);
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
// re-reads the tile's weights from L1, which is cheaper than the register spills of a 3 × 4
// block; see docs/benchmarks/). Accumulators stay in memory between tiles. The group's rows
// are read side by side, which alone streams badly from DRAM; so while a group is multiplied
// the next one (contiguous) is prefetched into L2 as one sequential stream, one cache line per
// 64 bytes consumed. Neither size is critical: larger groups and narrower tiles do as well.

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

// s[jj * rb + r] += wv[jj] · the 8 floats at x + r * k, for jj < jw, r < rb: every weight
// vector serves all rb input rows from registers.
static inline __attribute__((always_inline)) AVX2 void tile_fma(__m256 *s, const __m256 *wv,
                                                               const float *x, long k, int jw,
                                                               int rb) {
    for (int r = 0; r < rb; r++) {
        __m256 xv = _mm256_loadu_ps(x + r * k);
        for (int jj = 0; jj < jw; jj++)
            s[jj * rb + r] = _mm256_fmadd_ps(wv[jj], xv, s[jj * rb + r]);
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
        tile_fma(s, wv, x + i, k, jw, rb);
        for (int jj = 0; jj < jw; jj++) wv[jj] = BF16_ODD_AVX2(raw[jj]);
        tile_fma(s, wv, x + i + BF16_CHUNK / 2, k, jw, rb);
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
// packs its operands before multiplying, which at a few rows costs more than the product
// itself (see docs/benchmarks/). This kernel streams each weight row once as the bf16 one does
// (same groups, tiles, blocks and prefetch), 8 columns per step and no widening.
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
        tile_fma(s, wv, x + i, k, jw, rb);
    }
    tile_accumulators(s, acc, jw, rb, stride, 0);
}

DEFINE_STREAM_RANGE(f32_range_avx2, float, F32_CHUNK, f32_tile_avx2, f32_scalar)

void pali_f32_linear_range(const float *w, const float *a, float *out, long rows, long n, long k,
                           long first, long end) {
    if (!(pali_isa() & PALI_ISA_AVX2)) {
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
void pali_bf16_linear_range(const uint16_t *w, const float *x, float *out, long rows, long n,
                            long k, long first, long end) {
    if (!(pali_isa() & PALI_ISA_AVX2)) {
        bf16_range_portable(w, x, out, rows, n, k, first, end);
        return;
    }
    if (bf16_rows_wide(rows)) {
        pali_bf16_rows_avx512(w, x, out, rows, n, k, first, end);
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
