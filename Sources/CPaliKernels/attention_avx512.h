// Many-row attention tiles on AVX-512 (private to CPaliKernels). Each output lane adds its
// terms in the same order as the AVX2 kernels of attention.c (scores over components c = 0, 1,
// …; outputs over keys j = 0, 1, …, one FMA each), so both levels give bit-identical results
// and only the width changes.
#ifndef PALI_ATTENTION_AVX512_H
#define PALI_ATTENTION_AVX512_H


// s[r, j] = Σ_c qp[r, c] · key_j[c] for r < rows and the np keys (a multiple of 16) of packed
// 16-key strips kt (kt[(strip · d + c) · 16 + jj]); rows of s are np apart.
void pali_attention_scores_avx512(const float *qp, long rows, long d, const float *kt, long np,
                                  float *s);

// o[r, x] += Σ_j p[r, j] · v[j, x] for r < rows, j < n, x < dp (a multiple of 8); v[j, x] is
// at v[(x / 8) · v_strip + j · 8 + x % 8] (8-column strips); rows of p are ldp apart.
void pali_attention_values_avx512(const float *p, long ldp, long rows, long n, const float *v,
                                  long v_strip, long dp, float *o);

// One score row s[n] of a tile through soft-cap (cap > 0), the mask (keys outside a ..< b,
// 0 ≤ a < b ≤ n, get probability 0) and the online softmax: the running max *m and sum *l
// and the accumulator row o[d] are rescaled to the new max, and s is left holding
// exp(score − max) up to n rounded to 16 (the row must have room). The same bits as
// attention.c's update_avx2.
void pali_attention_update_avx512(float *s, long n, long a, long b, float cap, float *m,
                                  float *l, float *o, long d);

// Decoding, keys j ..< j + 4 (rows k_step apart, d a multiple of 8): s[r, 0 ..< 4] for
// r < rows (rows of s lds apart); the same bits as attention.c's scores_keys4.
void pali_attention_scores_keys4_avx512(const float *qp, long rows, long d, const float *k,
                                        long k_step, float *s, long lds);

// Decoding, n ≤ 4 value rows v_step apart: o[r, x] += Σ_j p[r, j] · v[j, x] for r < rows,
// x < dp; the same bits as attention.c's values_direct_avx2.
void pali_attention_values_keys4_avx512(const float *p, long ldp, long rows, long n,
                                        const float *v, long v_step, long dp, float *o);

// Decoding over a bf16 (int8 == 0) or int8 cache, d (dp) a multiple of 32:
// pali_attention_scores_keys4_avx512 (n keys at once, n a multiple of 4) and
// pali_attention_values_keys4_avx512 on compact rows widened in registers: row u starts
// u · k_step (v_step) elements after k (v); int8 element c is scaled by scales[u · scale_step
// + c / 32] (`scales` unused for bf16). The values are what pali_bf16_widen and
// pali_int8_dequantize give, so the bits are those of the float32 kernels on the widened rows.
// Each row is prefetched `ahead` bytes on, a line at a time as it is read.
void pali_attention_scores_keys_compact_avx512(int int8, const float *qp, long rows, long d,
                                               const void *k, long k_step, long n,
                                               const float *scales, long scale_step, long ahead,
                                               float *s, long lds);
void pali_attention_values_keys4_compact_avx512(int int8, const float *p, long ldp, long rows,
                                                long n, const void *v, long v_step,
                                                const float *scales, long scale_step, long ahead,
                                                long dp, float *o);

#endif
