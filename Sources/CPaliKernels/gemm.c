// Many-row products with compact weights (224 px prefill and vision; `Ops.gemmKernelRows`):
// Y = X · Wᵀ with W in bf16 or int8, AVX2 + FMA. Expanding W to float32 for `sgemm` would
// write every weight as float32 to a scratch far larger than the caches and read it back
// (sgemm then packs it again). Here the weights are widened straight into the packed panel the
// microkernel reads, 16 rows at a time, so each weight is read once as 2 or 1 bytes and never
// leaves L1 as float32.
//
// Blocking (BLIS' loop order with the operands' roles chosen for this case):
//   for each KC-column block of k:
//     for each MC-row block of X: X packed in 6-row micro-panels, [p][6] (in L2);
//       for each 16 weight rows of the call's range: widened, transposed to [p][16] (in L1);
//         for each micro-panel: a 6 × 16 tile of Y += micro-panel · panel.
// The microkernel holds 12 accumulators (6 rows × 2 vectors of 8 columns), loads 2 weight
// vectors and broadcasts 6 activations per column of k: 12 FMAs, the FMA latency × throughput
// of the core with room to spare. While a panel is multiplied, the next one's weights are
// prefetched into L2. Rates against expansion + `sgemm` in docs/benchmarks/.
//
// Every output sums its k terms in order within a KC block, blocks added in order: the result
// does not depend on how the outputs are split between cores.

#include "CPaliKernels.h"

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

#include "vector_math.h"

#define GEMM_KC 384  // columns of k per block: a weight panel (16 · KC floats, 24 KB) in L1
#define GEMM_MC 264  // rows of X per block (44 micro-panels, 396 KB packed): in L2
#define GEMM_MR 6    // rows of X per micro-panel
#define GEMM_NR 16   // weight rows per panel

// Packed rows, then the weight panel 32-byte aligned (+ 8 floats of slack to align it).
long pali_compact_gemm_scratch_floats(void) { return GEMM_MC * GEMM_KC + GEMM_NR * GEMM_KC + 8; }

// xp[(b · kc + p) · 6 + i] = x[(row0 + 6b + i) · k + k0 + p] for the block's rows (the last
// micro-panel's missing rows are never read).
static void pack_rows(const float *x, long k, long row0, long rows, long k0, long kc, float *xp) {
    for (long b = 0; b * GEMM_MR < rows; b++) {
        float *dst = xp + b * kc * GEMM_MR;
        long mr = rows - b * GEMM_MR < GEMM_MR ? rows - b * GEMM_MR : GEMM_MR;
        for (long i = 0; i < mr; i++) {
            const float *src = x + (row0 + b * GEMM_MR + i) * k + k0;
            for (long p = 0; p < kc; p++) dst[p * GEMM_MR + i] = src[p];
        }
    }
}

// Transposes 8 vectors (rows) into 8 vectors (columns).
static inline AVX2 void transpose8(__m256 *r) {
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
    r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
    r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// The weights: bf16 rows, or int8 rows with a float32 scale each (w · scale, as
// `pali_int8_dequantize`, so both expansions give the same floats).
typedef struct {
    const uint16_t *bf16;
    const int8_t *int8;
    const float *scales;
    long k;
} weights;

// Byte address of W[j, p].
static inline const char *weight_address(const weights *w, long j, long p) {
    return w->bf16 ? (const char *)(w->bf16 + j * w->k + p)
                   : (const char *)(w->int8 + j * w->k + p);
}

static inline AVX2 __m256 load8(const weights *w, long j, long p) {
    if (w->bf16) return LOAD_BF16_AVX2(w->bf16 + j * w->k + p);
    return _mm256_mul_ps(LOAD_INT8_AVX2(w->int8 + j * w->k + p), _mm256_set1_ps(w->scales[j]));
}

static inline float load1(const weights *w, long j, long p) {
    if (w->bf16) return bf16_scalar(w->bf16 + j * w->k + p);
    return (float)w->int8[j * w->k + p] * w->scales[j];
}

// wp[p · 16 + jj] = W[j0 + jj, k0 + p] as float32 for jj < nr, 0 for nr ≤ jj < 16.
static AVX2 void widen_panel(const weights *w, long j0, long nr, long k0, long kc, float *wp) {
    long p = 0;
    if (nr == GEMM_NR)
        for (; p + 8 <= kc; p += 8)
            for (long half = 0; half < 2; half++) {
                __m256 r[8];
                for (long jj = 0; jj < 8; jj++) r[jj] = load8(w, j0 + half * 8 + jj, k0 + p);
                transpose8(r);
                for (long q = 0; q < 8; q++)
                    _mm256_store_ps(wp + (p + q) * GEMM_NR + half * 8, r[q]);
            }
    for (; p < kc; p++)
        for (long jj = 0; jj < GEMM_NR; jj++)
            wp[p * GEMM_NR + jj] = jj < nr ? load1(w, j0 + jj, k0 + p) : 0;
}

// y[i · ldy + c] (= or +=) Σ_p xp[p · 6 + i] · wp[p · 16 + c] for i < mr, c < nr. Called with a
// constant mr so the accumulators stay in registers.
static inline __attribute__((always_inline)) AVX2 void tile(int mr, long kc, const float *xp,
                                                          const float *wp, float *y, long ldy,
                                                          long nr, int accumulate) {
    __m256 c0[GEMM_MR], c1[GEMM_MR];
    _Pragma("GCC unroll 6") for (int i = 0; i < mr; i++) c0[i] = c1[i] = _mm256_setzero_ps();
    for (long p = 0; p < kc; p++) {
        __m256 b0 = _mm256_load_ps(wp + p * GEMM_NR), b1 = _mm256_load_ps(wp + p * GEMM_NR + 8);
        _Pragma("GCC unroll 6") for (int i = 0; i < mr; i++) {
            __m256 a = _mm256_broadcast_ss(xp + p * GEMM_MR + i);
            c0[i] = _mm256_fmadd_ps(a, b0, c0[i]);
            c1[i] = _mm256_fmadd_ps(a, b1, c1[i]);
        }
    }
    if (nr == GEMM_NR) {
        _Pragma("GCC unroll 6") for (int i = 0; i < mr; i++) {
            float *row = y + i * ldy;
            if (accumulate) {
                c0[i] = _mm256_add_ps(c0[i], _mm256_loadu_ps(row));
                c1[i] = _mm256_add_ps(c1[i], _mm256_loadu_ps(row + 8));
            }
            _mm256_storeu_ps(row, c0[i]);
            _mm256_storeu_ps(row + 8, c1[i]);
        }
        return;
    }
    float t[GEMM_MR][GEMM_NR] __attribute__((aligned(32)));
    _Pragma("GCC unroll 6") for (int i = 0; i < mr; i++) {
        _mm256_store_ps(t[i], c0[i]);
        _mm256_store_ps(t[i] + 8, c1[i]);
    }
    for (int i = 0; i < mr; i++)
        for (long c = 0; c < nr; c++)
            y[i * ldy + c] = accumulate ? y[i * ldy + c] + t[i][c] : t[i][c];
}

static AVX2 void gemm_range(const weights *w, const float *x, float *y, long m, long n,
                            long first, long end, float *scratch) {
    const long k = w->k;
    float *xp = scratch;  // [MC / 6][kc][6] packed rows of X
    float *wp = (float *)(((uintptr_t)(scratch + GEMM_MC * GEMM_KC) + 31) & ~(uintptr_t)31);
    for (long k0 = 0; k0 < k; k0 += GEMM_KC) {
        const long kc = k - k0 < GEMM_KC ? k - k0 : GEMM_KC;
        for (long m0 = 0; m0 < m; m0 += GEMM_MC) {
            const long mc = m - m0 < GEMM_MC ? m - m0 : GEMM_MC;
            pack_rows(x, k, m0, mc, k0, kc, xp);
            for (long j0 = first; j0 < end; j0 += GEMM_NR) {
                const long nr = end - j0 < GEMM_NR ? end - j0 : GEMM_NR;
                widen_panel(w, j0, nr, k0, kc, wp);
                // The next panel's weights (16 rows, each a run of kc elements: 16 streams that
                // the hardware prefetchers follow badly), one cache line per row in turn
                // prefetched into L2 per micro-panel multiplied, so they arrive while this
                // panel is being multiplied. After the range's last panel: its first panel, for
                // the next row block or else the next column block.
                const int last = j0 + GEMM_NR >= end;
                const long nj = last ? first : j0 + GEMM_NR;
                const long nk = last && m0 + GEMM_MC >= m ? k0 + GEMM_KC : k0;
                const long rowLines = (kc * (w->bf16 ? 2 : 1) + 63) / 64;
                const long lines = nk < k ? GEMM_NR * rowLines : 0;
                const long blocks = (mc + GEMM_MR - 1) / GEMM_MR;
                long line = 0;
                for (long b = 0; b * GEMM_MR < mc; b++) {
                    for (long stop = lines * (b + 1) / blocks; line < stop; line++) {
                        const long row = nj + line % GEMM_NR, offset = line / GEMM_NR * 64;
                        if (row < end)
                            _mm_prefetch(weight_address(w, row, nk) + offset, _MM_HINT_T1);
                    }
                    const float *xb = xp + b * kc * GEMM_MR;
                    float *yb = y + (m0 + b * GEMM_MR) * n + j0;
                    switch (mc - b * GEMM_MR < GEMM_MR ? mc - b * GEMM_MR : GEMM_MR) {
                    case 6: tile(6, kc, xb, wp, yb, n, nr, k0 > 0); break;
                    case 5: tile(5, kc, xb, wp, yb, n, nr, k0 > 0); break;
                    case 4: tile(4, kc, xb, wp, yb, n, nr, k0 > 0); break;
                    case 3: tile(3, kc, xb, wp, yb, n, nr, k0 > 0); break;
                    case 2: tile(2, kc, xb, wp, yb, n, nr, k0 > 0); break;
                    default: tile(1, kc, xb, wp, yb, n, nr, k0 > 0); break;
                    }
                }
            }
        }
    }
}

void pali_bf16_gemm_range(const uint16_t *w, const float *x, float *y, long m, long n, long k,
                          long first, long end, float *scratch) {
    const weights source = {w, NULL, NULL, k};
    gemm_range(&source, x, y, m, n, first, end, scratch);
}

void pali_int8_gemm_range(const int8_t *w, const float *scales, const float *x, float *y, long m,
                          long n, long k, long first, long end, float *scratch) {
    const weights source = {NULL, w, scales, k};
    gemm_range(&source, x, y, m, n, first, end, scratch);
}
