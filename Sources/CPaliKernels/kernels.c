#include "CPaliKernels.h"

#include <immintrin.h>
#include <string.h>

static float widen1(uint16_t bits) {
    uint32_t word = (uint32_t)bits << 16;
    float value;
    memcpy(&value, &word, sizeof value);
    return value;
}

// Tails and CPUs without AVX-512F: eight partial sums so the loop vectorises.
static float dot_portable(const uint16_t *w, const float *x, long k) {
    float sum[8] = {0};
    long i = 0;
    for (; i + 8 <= k; i += 8)
        for (int j = 0; j < 8; j++) sum[j] += widen1(w[i + j]) * x[i + j];
    float total = 0;
    for (int j = 0; j < 8; j++) total += sum[j];
    for (; i < k; i++) total += widen1(w[i]) * x[i];
    return total;
}

// 16 bf16 weights zero-extended to 32 bits and shifted into the float's upper half; two
// accumulators hide the FMA latency. Bound by reading the weights from memory.
__attribute__((target("avx512f"))) static float dot_avx512(const uint16_t *w, const float *x,
                                                           long k) {
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    long i = 0;
    for (; i + 32 <= k; i += 32) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)(w + i));
        __m256i b1 = _mm256_loadu_si256((const __m256i *)(w + i + 16));
        __m512 w0 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(b0), 16));
        __m512 w1 = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(b1), 16));
        s0 = _mm512_fmadd_ps(w0, _mm512_loadu_ps(x + i), s0);
        s1 = _mm512_fmadd_ps(w1, _mm512_loadu_ps(x + i + 16), s1);
    }
    float total = _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
    for (; i < k; i++) total += widen1(w[i]) * x[i];
    return total;
}

// The same with AVX2 + FMA: 8 lanes, four accumulators.
__attribute__((target("avx2,fma"))) static float dot_avx2(const uint16_t *w, const float *x,
                                                         long k) {
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    __m256 s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    long i = 0;
    for (; i + 32 <= k; i += 32) {
        __m256 w0 = _mm256_castsi256_ps(_mm256_slli_epi32(
            _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(w + i))), 16));
        __m256 w1 = _mm256_castsi256_ps(_mm256_slli_epi32(
            _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(w + i + 8))), 16));
        __m256 w2 = _mm256_castsi256_ps(_mm256_slli_epi32(
            _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(w + i + 16))), 16));
        __m256 w3 = _mm256_castsi256_ps(_mm256_slli_epi32(
            _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)(w + i + 24))), 16));
        s0 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x + i), s0);
        s1 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x + i + 8), s1);
        s2 = _mm256_fmadd_ps(w2, _mm256_loadu_ps(x + i + 16), s2);
        s3 = _mm256_fmadd_ps(w3, _mm256_loadu_ps(x + i + 24), s3);
    }
    __m256 s = _mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3));
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_movehdup_ps(h));
    float total = _mm_cvtss_f32(h);
    for (; i < k; i++) total += widen1(w[i]) * x[i];
    return total;
}

__attribute__((target("avx2"))) static void widen_avx2(const uint16_t *src, float *dst,
                                                       long count) {
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __m128i bits = _mm_loadu_si128((const __m128i *)(src + i));
        _mm256_storeu_si256((__m256i *)(dst + i),
                            _mm256_slli_epi32(_mm256_cvtepu16_epi32(bits), 16));
    }
    for (; i < count; i++) dst[i] = widen1(src[i]);
}

__attribute__((target("avx512f"))) static void widen_avx512(const uint16_t *src, float *dst,
                                                            long count) {
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        __m256i bits = _mm256_loadu_si256((const __m256i *)(src + i));
        _mm512_storeu_si512(dst + i, _mm512_slli_epi32(_mm512_cvtepu16_epi32(bits), 16));
    }
    for (; i < count; i++) dst[i] = widen1(src[i]);
}

// 2: AVX-512F, 1: AVX2 + FMA, 0: portable C.
static int vector_level(void) {
    static int cached = -1;
    if (cached < 0) {
        if (__builtin_cpu_supports("avx512f")) cached = 2;
        else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) cached = 1;
        else cached = 0;
    }
    return cached;
}

void pali_bf16_linear_range(const uint16_t *w, const float *a, float *out, long rows, long n,
                            long k, long first, long end) {
    int level = vector_level();
    for (long j = first; j < end; j++) {
        const uint16_t *row = w + j * k;
        for (long r = 0; r < rows; r++) {
            const float *x = a + r * k;
            out[r * n + j] = level == 2   ? dot_avx512(row, x, k)
                             : level == 1 ? dot_avx2(row, x, k)
                                          : dot_portable(row, x, k);
        }
    }
}

void pali_bf16_widen(const uint16_t *src, float *dst, long count) {
    switch (vector_level()) {
    case 2: widen_avx512(src, dst, count); return;
    case 1: widen_avx2(src, dst, count); return;
    default:
        for (long i = 0; i < count; i++) dst[i] = widen1(src[i]);
    }
}
