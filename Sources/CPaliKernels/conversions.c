#include "CPaliKernels.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vector_math.h"

// ---------------------------------------------------------------------------------------------
// Expansion to float32 (many-row products: blocks of weights for sgemm) and quantisation.

// 32 values (64 bytes, a cache line) per step; with `ahead` > 0 the line `ahead` bytes on is
// prefetched per line widened.
static AVX2 void bf16_widen_avx2(const uint16_t *src, float *dst, long count, long ahead) {
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        if (ahead > 0) _mm_prefetch((const char *)(src + i) + ahead, _MM_HINT_T0);
        for (long u = 0; u < 32; u += 8) _mm256_storeu_ps(dst + i + u, LOAD_BF16_AVX2(src + i + u));
    }
    for (; i < count; i++) dst[i] = bf16_scalar(src + i);
}

static AVX512 void bf16_widen_avx512(const uint16_t *src, float *dst, long count, long ahead) {
    long i = 0;
    for (; i + 32 <= count; i += 32) {
        if (ahead > 0) _mm_prefetch((const char *)(src + i) + ahead, _MM_HINT_T0);
        _mm512_storeu_ps(dst + i, LOAD_BF16_AVX512(src + i));
        _mm512_storeu_ps(dst + i + 16, LOAD_BF16_AVX512(src + i + 16));
    }
    for (; i < count; i++) dst[i] = bf16_scalar(src + i);
}

void pali_bf16_widen_ahead(const uint16_t *src, float *dst, long count, long ahead) {
    unsigned isa = pali_isa();
    if (isa & PALI_ISA_AVX512)
        bf16_widen_avx512(src, dst, count, ahead);
    else if (isa & PALI_ISA_AVX2)
        bf16_widen_avx2(src, dst, count, ahead);
    else
        for (long i = 0; i < count; i++) dst[i] = bf16_scalar(src + i);
}

void pali_bf16_widen(const uint16_t *src, float *dst, long count) {
    pali_bf16_widen_ahead(src, dst, count, 0);
}

// 64 values (a cache line of int8) per step; with `ahead` > 0 the line `ahead` bytes on is
// prefetched per line widened.
static AVX2 void int8_dequantize_avx2(const int8_t *src, float scale, float *dst, long k,
                                      long ahead) {
    __m256 s = _mm256_set1_ps(scale);
    long i = 0;
    for (; i + 64 <= k; i += 64) {
        if (ahead > 0) _mm_prefetch((const char *)(src + i) + ahead, _MM_HINT_T0);
        for (long u = 0; u < 64; u += 8)
            _mm256_storeu_ps(dst + i + u, _mm256_mul_ps(LOAD_INT8_AVX2(src + i + u), s));
    }
    for (; i + 8 <= k; i += 8)
        _mm256_storeu_ps(dst + i, _mm256_mul_ps(LOAD_INT8_AVX2(src + i), s));
    for (; i < k; i++) dst[i] = (float)src[i] * scale;
}

static AVX512 void int8_dequantize_avx512(const int8_t *src, float scale, float *dst, long k,
                                          long ahead) {
    __m512 s = _mm512_set1_ps(scale);
    long i = 0;
    for (; i + 64 <= k; i += 64) {
        if (ahead > 0) _mm_prefetch((const char *)(src + i) + ahead, _MM_HINT_T0);
        for (long u = 0; u < 64; u += 16)
            _mm512_storeu_ps(dst + i + u, _mm512_mul_ps(LOAD_INT8_AVX512(src + i + u), s));
    }
    for (; i + 16 <= k; i += 16)
        _mm512_storeu_ps(dst + i, _mm512_mul_ps(LOAD_INT8_AVX512(src + i), s));
    for (; i < k; i++) dst[i] = (float)src[i] * scale;
}

void pali_int8_dequantize_ahead(const int8_t *src, const float *scales, float *dst, long rows,
                                long k, long ahead) {
    unsigned isa = pali_isa();
    for (long r = 0; r < rows; r++) {
        const int8_t *row = src + r * k;
        float *target = dst + r * k;
        // Rows shorter than a line (an int8 KV cache's 32-element blocks) never reach the
        // kernels' per-line prefetch: each line is prefetched by the row that starts in it.
        if (ahead > 0 && k < 64 && (r * k) % 64 < k)
            _mm_prefetch((const char *)row + ahead, _MM_HINT_T0);
        if (isa & PALI_ISA_AVX512)
            int8_dequantize_avx512(row, scales[r], target, k, ahead);
        else if (isa & PALI_ISA_AVX2)
            int8_dequantize_avx2(row, scales[r], target, k, ahead);
        else
            for (long i = 0; i < k; i++) target[i] = (float)row[i] * scales[r];
    }
}

void pali_int8_dequantize(const int8_t *src, const float *scales, float *dst, long rows, long k) {
    pali_int8_dequantize_ahead(src, scales, dst, rows, k, 0);
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
    float absmax = pali_absmax_avx2(src, k);
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
    return pali_isa() & PALI_ISA_AVX2 ? quantize_row_avx2(src, dst, k)
                                     : quantize_row_portable(src, dst, k);
}
