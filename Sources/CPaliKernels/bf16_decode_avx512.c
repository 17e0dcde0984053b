// bf16 weights × float32 activations of 7–8 rows (full batched decode steps) on 512-bit
// AVX-512, where the AVX2 kernel (float_products.c) is bound by its FMAs; laid out as that
// kernel but twice as wide: weight rows in groups of
// W_GROUP and columns in tiles of W_TILE, so a tile's activations (≤ 8 rows × 2 KB) stay in L1
// while the group's blocks of W_JW weight rows × all input rows (≤ 24 accumulators in
// registers, in memory between tiles) run over it; the next group prefetched into L2 as one
// sequential stream, a line per 64 bytes consumed. 32 weights widen into their 16 even columns
// (a left shift) and 16 odd ones (a mask), against activations stored even/odd apart in
// 32-column chunks.
#include "bf16_decode_avx512.h"

#include <immintrin.h>

#include "vector_math.h"

#define INLINE static inline __attribute__((always_inline))
#define UNROLL _Pragma("clang loop unroll(full)")

#define W_GROUP 12   // weight rows per group: four blocks share each tile's activations
#define W_JW 3       // weight rows per block
#define W_MAX_RB 8   // input rows per call
#define W_TILE 512   // columns per tile

// acc[jj · W_MAX_RB + r] += Σ_{i0 ≤ p < i1} w[jj · k + p] · a_r[p] for jj < jw, r < rb over
// whole chunks, prefetching `ahead` onward a line per 64 bytes consumed. Called with constant
// jw and rb.
INLINE AVX512 void tile_block(const uint16_t *w, const float *x, long k, long i0, long i1,
                              int jw, int rb, __m512 *acc, const char *ahead) {
    const __m512i high = _mm512_set1_epi32(-65536);
    __m512 s[W_JW][W_MAX_RB];
    UNROLL for (int jj = 0; jj < jw; jj++) UNROLL for (int r = 0; r < rb; r++)
        s[jj][r] = acc[jj * W_MAX_RB + r];
    for (long i = i0; i < i1; i += BF16_WIDE_CHUNK) {
        UNROLL for (int jj = 0; jj < jw; jj++)
            _mm_prefetch(ahead + 2 * jw * (i - i0) + 64 * jj, _MM_HINT_T1);
        __m512i raw[W_JW];
        __m512 wv[W_JW];
        UNROLL for (int jj = 0; jj < jw; jj++) {
            raw[jj] = _mm512_loadu_si512(w + jj * k + i);
            wv[jj] = _mm512_castsi512_ps(_mm512_slli_epi32(raw[jj], 16));
        }
        UNROLL for (int r = 0; r < rb; r++) {
            __m512 xv = _mm512_loadu_ps(x + r * k + i);
            UNROLL for (int jj = 0; jj < jw; jj++) s[jj][r] = _mm512_fmadd_ps(wv[jj], xv, s[jj][r]);
        }
        UNROLL for (int jj = 0; jj < jw; jj++)
            wv[jj] = _mm512_castsi512_ps(_mm512_and_si512(raw[jj], high));
        UNROLL for (int r = 0; r < rb; r++) {
            __m512 xv = _mm512_loadu_ps(x + r * k + i + BF16_WIDE_CHUNK / 2);
            UNROLL for (int jj = 0; jj < jw; jj++) s[jj][r] = _mm512_fmadd_ps(wv[jj], xv, s[jj][r]);
        }
    }
    UNROLL for (int jj = 0; jj < jw; jj++) UNROLL for (int r = 0; r < rb; r++)
        acc[jj * W_MAX_RB + r] = s[jj][r];
}

#define BLOCK_CASE(J, R)                                                                        \
    case J * 16 + R:                                                                            \
        tile_block(wg, x, k, t0, t1, J, R, acc + g * W_MAX_RB, ahead);                          \
        break;
#define BLOCK_CASES(R) BLOCK_CASE(1, R) BLOCK_CASE(2, R) BLOCK_CASE(3, R)

AVX512 void pali_bf16_rows_avx512(const uint16_t *w, const float *x, float *out, long rows,
                                  long n, long k, long first, long end) {
    const long body = k - k % BF16_WIDE_CHUNK;
    const int rb = (int)rows;
    for (long j = first; j < end; j += W_GROUP) {
        const int group = end - j < W_GROUP ? (int)(end - j) : W_GROUP;
        // The next group's bytes (past the matrix for the last group: prefetches never fault).
        const char *next = (const char *)(w + (j + group) * k);
        __m512 acc[W_GROUP * W_MAX_RB];  // [group, W_MAX_RB]
        for (int m = 0; m < group * W_MAX_RB; m++) acc[m] = _mm512_setzero_ps();
        for (long t0 = 0; t0 < body; t0 += W_TILE) {
            const long t1 = t0 + W_TILE < body ? t0 + W_TILE : body;
            for (int g = 0; g < group; g += W_JW) {
                const uint16_t *wg = w + (j + g) * k;
                const char *ahead = next + 2 * (t0 * group + g * (t1 - t0));
                const int bw = group - g < W_JW ? group - g : W_JW;
                switch (bw * 16 + rb) {
                    BLOCK_CASES(2) BLOCK_CASES(3) BLOCK_CASES(4) BLOCK_CASES(5) BLOCK_CASES(6)
                    BLOCK_CASES(7) BLOCK_CASES(8)
                default: break;
                }
            }
        }
        for (int g = 0; g < group; g++)
            for (int r = 0; r < rb; r++) {
                const uint16_t *wg = w + (j + g) * k;
                float total = _mm512_reduce_add_ps(acc[g * W_MAX_RB + r]);
                for (long p = body; p < k; p++) total += bf16_scalar(wg + p) * x[r * k + p];
                out[r * n + j + g] = total;
            }
    }
}
