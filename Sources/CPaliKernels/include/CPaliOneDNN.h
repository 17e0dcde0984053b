// Many-row int8 products through oneDNN (loaded on first use), for CPUs with AMX, whose tile
// units oneDNN drives. Outputs are bit for bit those of palidoc's own AVX-512 VNNI kernels.
#ifndef CPALIONEDNN_H
#define CPALIONEDNN_H

#include <stdint.h>

/// NULL when oneDNN is loaded and usable; else why not (the loader's message). Loads the
/// library (`libdnnl.so.2`) on the first call.
const char *pali_onednn_failure(void);

/// The loaded library's version ("2.6.3"), or "" when it is not usable.
const char *pali_onednn_version(void);

/// The instruction set oneDNN's kernels run at on this CPU ("avx512_core_amx"), or "".
const char *pali_onednn_isa(void);

/// Whether oneDNN is usable and runs its AMX kernels here (the CPU has AMX and the operating
/// system lets the process use the tile registers).
int pali_onednn_runs_amx(void);

/// Whether oneDNN is usable and its int8 kernels sum exactly: AVX-512 VNNI or AMX (its AVX2
/// ones saturate 16-bit sums; `DNNL_MAX_CPU_ISA` can hold it below what the CPU has).
int pali_onednn_sums_exactly(void);

/// Whether oneDNN is usable and multiplies bf16 natively (AVX512_BF16 or AMX-BF16).
int pali_onednn_runs_bf16(void);

/// `pali_int8_gemm_u8s8_range`'s outputs (first ≤ j < end) for u [rows, k] row-major from
/// `pali_u8_quantize_rows`, with the sums from oneDNN. 0 on success; non-zero when oneDNN
/// could not run it (the caller then runs its own kernel), with `out` unspecified.
int pali_onednn_u8s8_range(const int8_t *w, const float *wscales, const int32_t *wsums,
                           const uint8_t *u, const float *qscales, float *out, long rows, long n,
                           long k, long first, long end);

/// `pali_int8_gemm_vnni_range`'s outputs (first ≤ j < end) for int16 activations q [rows, k]
/// given as bytes by `pali_int16_quantize_bytes`, with the sums from
/// oneDNN (two int8 products, combined exactly). k ≤ 65536. Returns as
/// `pali_onednn_u8s8_range`.
int pali_onednn_int16_range(const int8_t *w, const float *wscales, const int8_t *high,
                            const uint8_t *low, const float *qscales, float *out, long rows,
                            long n, long k, long first, long end);

/// out[r · n + j] = Σ_p w[j · k + p] · (high + low)[r][p] for r < rows and first ≤ j < end,
/// summed in float32 by oneDNN (a bf16 weight matrix w [n, k]; `pali_bf16_split_rows`' two bf16
/// parts of the activations, each multiplied, the second product added to the first). Returns
/// as `pali_onednn_u8s8_range`.
int pali_onednn_bf16_range(const uint16_t *w, const uint16_t *high, const uint16_t *low,
                           float *out, long rows, long n, long k, long first, long end);

/// Quantises rows first ≤ r < end of a [rows, k] to int16 as `pali_int16_quantize_row` does
/// (scales[r] its scale) and stores each value q as q = 256 · high + low: high [rows, k]
/// signed, low [rows, k] unsigned, row-major.
void pali_int16_quantize_bytes(const float *a, long k, long first, long end, int8_t *high,
                               uint8_t *low, float *scales);

#endif
