// The 1–8-row int8 × int16 kernel on 512-bit AVX-512 VNNI (private to CPaliKernels).
#ifndef PALI_INT8_DECODE_AVX512_H
#define PALI_INT8_DECODE_AVX512_H

#include <stdint.h>

// out[r · n + j] = float(Σ_p w[j · k + p] · q[r · k + p]) · (wscales[j] · qscales[r]) for
// 1 ≤ rows ≤ 8 and outputs first ≤ j < end, q in column order (pali_int16_quantize_row):
// exact integer sums, as every level's decode kernel computes them.
void pali_q16_rows_avx512(const int8_t *w, const float *wscales, const int16_t *q,
                          const float *qscales, float *out, long rows, long n, long k,
                          long first, long end);

#endif
