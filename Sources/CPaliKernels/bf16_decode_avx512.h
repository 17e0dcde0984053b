// The 7–8-row bf16 × float32 kernel on 512-bit AVX-512 (private to CPaliKernels).
#ifndef PALI_BF16_DECODE_AVX512_H
#define PALI_BF16_DECODE_AVX512_H

#include <stdint.h>

// Columns per chunk of the activation layout this kernel reads: within every complete chunk
// the 16 even columns, then the 16 odd ones; the last k mod 32 columns in order.
#define BF16_WIDE_CHUNK 32

// out[r · n + j] = Σ_p w[j · k + p] · a_r[p] for rows ≤ 8 and outputs first ≤ j < end, the
// activation rows x [rows, k] in the layout above (pali_bf16_arrange_rows).
void pali_bf16_rows_avx512(const uint16_t *w, const float *x, float *out, long rows, long n,
                           long k, long first, long end);

#endif
