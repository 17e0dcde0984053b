// Hand-vectorised kernels for bf16 weights (AVX-512F or AVX2 + FMA where the CPU has them,
// portable C otherwise). bf16 values are widened exactly to float32; all arithmetic is float32.
#ifndef CPALIKERNELS_H
#define CPALIKERNELS_H

#include <stdint.h>

/// out[r * n + j] = Σ_p a[r * k + p] · w[j * k + p] for rows r < rows and outputs
/// first ≤ j < end; w is a row-major bf16 matrix [n, k], a float32 [rows, k].
void pali_bf16_linear_range(const uint16_t *w, const float *a, float *out, long rows, long n,
                            long k, long first, long end);

/// dst[i] = float(src[i]) for i < count (bf16 → float32, exact).
void pali_bf16_widen(const uint16_t *src, float *dst, long count);

#endif
