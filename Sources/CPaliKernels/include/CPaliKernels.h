// Hand-vectorised kernels: products with compact weights, bf16 (widened exactly to float32) and
// int8 with one float32 scale per output row, tanh-based activations, and fused attention
// (CPaliAttention.h), each at the instruction-set levels the dispatcher (CPaliCPU.h) allows,
// portable C otherwise. Arithmetic is float32, except the int8 products with int16
// activations: exact integer sums of int8 weights × int16 activations, scaled once.
#ifndef CPALIKERNELS_H
#define CPALIKERNELS_H

#include <stdint.h>

/// Copies float32 activation rows a [rows, k] into x [rows, k] in the column order that
/// `pali_bf16_linear_range` reads at the current instruction-set level (even and odd columns
/// apart in chunks of 32 for 7–8 rows on AVX-512, of 16 otherwise; a single row is copied as
/// it is).
void pali_bf16_arrange_rows(const float *a, long rows, long k, float *x);

/// out[r * n + j] = Σ_p a[r * k + p] · w[j * k + p] for rows r < rows and outputs
/// first ≤ j < end; w is a row-major bf16 matrix [n, k], x the rows of a float32 [rows, k]
/// arranged by `pali_bf16_arrange_rows`. Sums in float32 (in an order that differs between
/// instruction-set levels); fastest for rows ≤ 8 (decode).
void pali_bf16_linear_range(const uint16_t *w, const float *x, float *out, long rows, long n,
                            long k, long first, long end);

/// out[r * n + j] = Σ_p a[r * k + p] · w[j * k + p] for rows r < rows and outputs
/// first ≤ j < end; w is a row-major float32 matrix [n, k], a float32 [rows, k] in column
/// order. Each weight row is read once for all rows: for 2–8 rows (batched decode), where
/// `sgemm` packs more than it multiplies.
void pali_f32_linear_range(const float *w, const float *a, float *out, long rows, long n, long k,
                           long first, long end);

/// Many-row products with compact weights (prefill, vision), AVX2 + FMA only (callers check
/// `pali_isa() & PALI_ISA_AVX2`): y[r * n + j] = Σ_p x[r * k + p] · W[j, p] for r < m and
/// first ≤ j < end, the weights widened to float32 on the fly (int8: w · scales[j], as
/// `pali_int8_dequantize`). `scratch` holds `pali_compact_gemm_scratch_floats()` floats.
long pali_compact_gemm_scratch_floats(void);
void pali_bf16_gemm_range(const uint16_t *w, const float *x, float *y, long m, long n, long k,
                          long first, long end, float *scratch);
void pali_int8_gemm_range(const int8_t *w, const float *scales, const float *x, float *y, long m,
                          long n, long k, long first, long end, float *scratch);

/// Quantises each of `rows` activation rows a [rows, k] to int16 for `pali_int8_linear_range`:
/// scales[r] = absmax / 32767 (NaN when the row holds NaN or infinity), value = round-half-even
/// (a · 32767 / absmax). q [rows, k] holds each row's values in the kernel's order: in column
/// order on AVX-512 VNNI; otherwise within every complete chunk of 32 columns the
/// 16 even columns, then the 16 odd ones, the last k mod 32 columns in order.
void pali_int16_quantize_rows(const float *a, long rows, long k, int16_t *q, float *scales);

/// out[r * n + j] = float(Σ_p w[j * k + p] · q_r[p]) · (scales[j] · qscales[r]) for a
/// row-major int8 matrix w [n, k] (values in [-127, 127]) with one scale per row, rows ≤ 8
/// int16 activation rows q_r from `pali_int16_quantize_rows`, outputs first ≤ j < end: an exact
/// integer sum, the same on every instruction-set level.
void pali_int8_linear_range(const int8_t *w, const float *scales, const int16_t *q,
                            const float *qscales, float *out, long rows, long n, long k,
                            long first, long end);

/// Quantises one activation row x[k] to int16 in column order as `pali_int16_quantize_rows`
/// does (same values and scale) and returns its scale.
float pali_int16_quantize_row(const float *x, long k, int16_t *q);

/// int32 values `pali_int16_quantize_pairs` writes for `rows` rows of k columns.
long pali_int16_pairs_count(long rows, long k);

/// Quantises activation rows a [rows, k] as `pali_int16_quantize_rows` (scales[r] the same) for
/// `pali_int8_gemm_vnni_range`, blocks `first_block ..< end_block` of 32 rows (rows past the
/// last are zero): packed[(b · pairs + u) · 32 + lane] holds columns 2u and 2u + 1 of row
/// 32b + lane as an int16 pair (pairs = ⌈k / 2⌉, a zero column appended for odd k).
void pali_int16_quantize_pairs(const float *a, long rows, long k, long first_block,
                               long end_block, int32_t *packed, float *scales);

/// Bytes of scratch one `pali_int8_gemm_vnni_range` call needs, on a 64-byte boundary.
long pali_int8_gemm_vnni_scratch_bytes(long k);

/// Many-row int8 products on AVX-512 VNNI only (callers check `pali_isa()`): out[r · n + j]
/// = float(Σ_p w[j · k + p] · q_r[p]) · (scales[j] · qscales[r]) for r < m and outputs
/// first ≤ j < end, q the rows packed by `pali_int16_quantize_pairs`: the exact integer sums of
/// `pali_int8_linear_range`.
void pali_int8_gemm_vnni_range(const int8_t *w, const float *scales, const int32_t *packed,
                               const float *qscales, float *out, long m, long n, long k,
                               long first, long end, void *scratch);

/// int32 values `pali_u8_quantize_quads` writes for `rows` rows of k columns.
long pali_u8_quads_count(long rows, long k);

/// Whether `pali_int8_gemm_u8s8_range` takes rows of k columns (k a multiple of 4, its int32
/// lanes cannot overflow).
int pali_u8_activations_fit(long k);

/// Quantises activation rows a [rows, k] (k as `pali_u8_activations_fit` takes) to int8 per
/// row, scales[r] = max |a_r| / 127,
/// q = round(a / scale) (nearest even), for `pali_int8_gemm_u8s8_range` (AVX-512 only: callers
/// check `pali_isa()`), blocks `first_block ..< end_block` of 32 rows (rows past the last are
/// zero): packed[(b · k/4 + t) · 32 + lane] holds q + 128 of columns 4t … 4t + 3 of row
/// 32b + lane as four unsigned bytes.
void pali_u8_quantize_quads(const float *a, long rows, long k, long first_block,
                            long end_block, int32_t *packed, float *scales);

/// Quantises activation rows a [rows, k] as `pali_u8_quantize_quads` does (AVX-512 only), but
/// row-major for `pali_int8_u8_rows_range`: u[r · k + p] = q + 128, scales[r] = max |a_r| / 127.
void pali_u8_quantize_rows(const float *a, long rows, long k, uint8_t *u, float *scales);

/// Decode-step products of 1–8 rows with 8-bit activations on AVX-512 VNNI only: the values of
/// `pali_int8_gemm_u8s8_range` for u, scales from `pali_u8_quantize_rows`, outputs
/// first ≤ j < end.
void pali_int8_u8_rows_range(const int8_t *w, const float *scales, const int32_t *wsums,
                             const uint8_t *u, const float *qscales, float *out, long rows,
                             long n, long k, long first, long end);

/// sums[j] = Σ_p w[j · k + p] for j < n (the offset correction of the u8 × s8 products).
void pali_int8_row_sums(const int8_t *w, long n, long k, int32_t *sums);

/// Many-row int8 products with 8-bit activations on AVX-512 VNNI only (`vpdpbusd`):
/// out[r · n + j] = float(Σ_p w[j · k + p] · q_r[p]) · (scales[j] · qscales[r]) for r < m and
/// outputs first ≤ j < end, q the rows packed by `pali_u8_quantize_quads`, wsums the weights'
/// `pali_int8_row_sums`; exact integer sums of the 8-bit activations.
void pali_int8_gemm_u8s8_range(const int8_t *w, const float *scales, const int32_t *wsums,
                               const int32_t *packed, const float *qscales, float *out, long m,
                               long n, long k, long first, long end);

/// uint32 values `pali_bf16_split_pairs` writes for `rows` rows of an even k.
long pali_bf16_pairs_count(long rows, long k);

/// Splits activation rows a [rows, k] (k even) into bf16 parts for
/// `pali_bf16_gemm_bf16dot_range`, blocks `first_block ..< end_block` of 32 rows (rows past the
/// last are zero): packed[((b · k/2 + u) · 2 + part) · 32 + lane] holds columns 2u and 2u + 1 of
/// row 32b + lane as a bf16 pair, part 0 hi = bf16(a), part 1 lo = bf16(a − hi) (nearest even).
void pali_bf16_split_pairs(const float *a, long rows, long k, long first_block, long end_block,
                           uint32_t *packed);

/// Splits rows first ≤ r < end of a [rows, k] into two bf16 parts as `pali_bf16_split_pairs`
/// does, row-major: high[r · k + p] = bf16(a), low[r · k + p] = bf16(a − high).
void pali_bf16_split_rows(const float *a, long k, long first, long end, uint16_t *high,
                          uint16_t *low);

/// Many-row bf16 products on AVX512_BF16 only (callers check `pali_isa()`): out[r · n + j] =
/// Σ_p w[j · k + p] · (hi + lo)[r][p] for r < m and outputs first ≤ j < end, k even, summed in
/// float32 by `vdpbf16ps`.
void pali_bf16_gemm_bf16dot_range(const uint16_t *w, const uint32_t *packed, float *out,
                                  long m, long n, long k, long first, long end);

/// dst[i] = float(src[i]) for i < count (bf16 → float32, exact).
void pali_bf16_widen(const uint16_t *src, float *dst, long count);

/// `pali_bf16_widen`, prefetching the source `ahead` bytes on (into L1) per cache line widened:
/// for a stream whose consumer works between widenings and would leave the memory idle.
void pali_bf16_widen_ahead(const uint16_t *src, float *dst, long count, long ahead);

/// dst[r * k + p] = scales[r] · src[r * k + p] for r < rows, p < k (int8 → float32).
void pali_int8_dequantize(const int8_t *src, const float *scales, float *dst, long rows, long k);

/// `pali_int8_dequantize`, prefetching the source `ahead` bytes on (into L1) per cache line
/// widened, as `pali_bf16_widen_ahead`.
void pali_int8_dequantize_ahead(const int8_t *src, const float *scales, float *dst, long rows,
                                long k, long ahead);

/// Quantises src[k] to dst[k] = round(src / scale) (nearest even, in [-127, 127]) and returns
/// scale = max |src| / 127 (0 for an all-zero row, whose values all become 0).
float pali_int8_quantize_row(const float *src, int8_t *dst, long k);

/// x[i] = GELU(x[i]), tanh form (`gelu_pytorch_tanh`), for i < count.
void pali_gelu_tanh(float *x, long count);

/// x[i] = cap · tanh(x[i] / cap) for i < count (soft-capping); NaN stays NaN.
void pali_softcap(float *x, long count, float cap);

/// The first index of the largest of x[0 ..< n] (n ≥ 1), NaNs never largest: the index a
/// scan keeping each strictly larger value ends on (0 when x[0] is NaN).
long pali_argmax(const float *x, long n);

/// Reads bytes [0, bytes) of p once, in order, and returns their sum as unsigned bytes (so
/// the reads cannot be dropped): a plain streaming read, the pace a weight stream is held
/// against.
uint64_t pali_read_bytes(const void *p, long bytes);

#include "CPaliAttention.h"
#include "CPaliCPU.h"
#include "CPaliOneDNN.h"
#include "CPaliPool.h"

#endif
