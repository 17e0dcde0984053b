#include "CPaliKernels.h"

#include <immintrin.h>
#include <math.h>
#include <string.h>

// Element-wise tanh-based activations (GELU's tanh form, soft-capping). libm's tanhf costs
// ≈ 10 ns per element through expm1f, which made 6 % of a 896 px prefill and of a batched
// decode step; these run 8 lanes at a time. tanh follows Cephes' tanhf (≤ 2 ulp): an odd
// polynomial below 0.625, 1 − 2 / (e^{2|x|} + 1) above, sign restored. The portable path
// performs the same float operations (fmaf where the vector code fuses), so both levels give
// the same bits.

#define AVX2 __attribute__((target("avx2,fma")))

// No implicit fusing of a·b + c: the two levels must round the same operations.
#pragma STDC FP_CONTRACT OFF

// e^x for x ≤ 88 (Cephes' polynomial, ≤ 2 ulp): x = n·ln2 + r with ln2 split in two so r is
// exact, e^r by a degree-6 polynomial, 2^n through the exponent bits.
static float exp_portable(float x) {
    float n = floorf(fmaf(x, 1.44269504088896341f, 0.5f));
    float r = fmaf(-n, 0.693359375f, x);
    r = fmaf(-n, -2.12194440e-4f, r);
    float y = 1.9875691500e-4f;
    y = fmaf(y, r, 1.3981999507e-3f);
    y = fmaf(y, r, 8.3334519073e-3f);
    y = fmaf(y, r, 4.1665795894e-2f);
    y = fmaf(y, r, 1.6666665459e-1f);
    y = fmaf(y, r, 5.0000001201e-1f);
    y = fmaf(y, r * r, r) + 1.0f;
    uint32_t bits = (uint32_t)((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return y * scale;
}

// |x| ≥ 44 gives ±1 (e^{2|x|} would overflow; tanh is 1 in float32 from |x| ≈ 9 on).
static float tanh_portable(float x) {
    if (isnan(x)) return x;
    float a = fabsf(x), y;
    if (a < 0.625f) {
        float z = a * a;
        float p = -5.70498872745e-3f;
        p = fmaf(p, z, 2.06390887954e-2f);
        p = fmaf(p, z, -5.37397155531e-2f);
        p = fmaf(p, z, 1.33314422036e-1f);
        p = fmaf(p, z, -3.33332819422e-1f);
        y = fmaf(a * z, p, a);
    } else if (a < 44.0f) {
        y = 1.0f - 2.0f / (exp_portable(2.0f * a) + 1.0f);
    } else {
        y = 1.0f;
    }
    return copysignf(y, x);
}

static inline AVX2 __m256 exp_avx2(__m256 x) {
    __m256 n = _mm256_floor_ps(
        _mm256_fmadd_ps(x, _mm256_set1_ps(1.44269504088896341f), _mm256_set1_ps(0.5f)));
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 y = _mm256_set1_ps(1.9875691500e-4f);
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.3981999507e-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(8.3334519073e-3f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(4.1665795894e-2f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(1.6666665459e-1f));
    y = _mm256_fmadd_ps(y, r, _mm256_set1_ps(5.0000001201e-1f));
    y = _mm256_add_ps(_mm256_fmadd_ps(y, _mm256_mul_ps(r, r), r), _mm256_set1_ps(1.0f));
    __m256i bits = _mm256_slli_epi32(
        _mm256_add_epi32(_mm256_cvttps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(bits));
}

// Both branches on every lane, then a blend; the large branch's argument is clamped to 44 so
// no lane overflows.
static inline AVX2 __m256 tanh_avx2(__m256 x) {
    const __m256 sign = _mm256_set1_ps(-0.0f), one = _mm256_set1_ps(1.0f);
    __m256 a = _mm256_andnot_ps(sign, x);
    __m256 z = _mm256_mul_ps(a, a);
    __m256 p = _mm256_set1_ps(-5.70498872745e-3f);
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(2.06390887954e-2f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-5.37397155531e-2f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(1.33314422036e-1f));
    p = _mm256_fmadd_ps(p, z, _mm256_set1_ps(-3.33332819422e-1f));
    __m256 small = _mm256_fmadd_ps(_mm256_mul_ps(a, z), p, a);
    __m256 clamped = _mm256_min_ps(a, _mm256_set1_ps(44.0f));
    __m256 e = exp_avx2(_mm256_add_ps(clamped, clamped));
    __m256 large = _mm256_sub_ps(one, _mm256_div_ps(_mm256_set1_ps(2.0f), _mm256_add_ps(e, one)));
    large = _mm256_blendv_ps(large, one, _mm256_cmp_ps(a, _mm256_set1_ps(44.0f), _CMP_GE_OQ));
    __m256 y = _mm256_blendv_ps(large, small, _mm256_cmp_ps(a, _mm256_set1_ps(0.625f), _CMP_LT_OQ));
    y = _mm256_or_ps(y, _mm256_and_ps(sign, x));
    return _mm256_blendv_ps(y, x, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));  // NaN stays NaN
}

// GELU, tanh form: 0.5 · v · (1 + tanh(√(2/π) · (v + 0.044715 · v³))), left to right as
// transformers' `gelu_pytorch_tanh` writes it.
#define GELU_C 0.7978845608028654f

static void gelu_tanh_portable(float *x, long count) {
    for (long i = 0; i < count; i++) {
        float v = x[i];
        float inner = GELU_C * (v + 0.044715f * v * v * v);
        x[i] = 0.5f * v * (1.0f + tanh_portable(inner));
    }
}

static AVX2 void gelu_tanh_avx2(float *x, long count) {
    const __m256 c = _mm256_set1_ps(GELU_C), k = _mm256_set1_ps(0.044715f);
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m256 cube = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(k, v), v), v);
        __m256 t = tanh_avx2(_mm256_mul_ps(c, _mm256_add_ps(v, cube)));
        _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_mul_ps(half, v), _mm256_add_ps(one, t)));
    }
    gelu_tanh_portable(x + i, count - i);
}

void pali_gelu_tanh(float *x, long count) {
    if (pali_kernels_level() >= 1)
        gelu_tanh_avx2(x, count);
    else
        gelu_tanh_portable(x, count);
}

static void softcap_portable(float *x, long count, float cap) {
    for (long i = 0; i < count; i++) x[i] = cap * tanh_portable(x[i] / cap);
}

static AVX2 void softcap_avx2(float *x, long count, float cap) {
    const __m256 c = _mm256_set1_ps(cap);
    long i = 0;
    for (; i + 8 <= count; i += 8)
        _mm256_storeu_ps(x + i, _mm256_mul_ps(c, tanh_avx2(_mm256_div_ps(_mm256_loadu_ps(x + i), c))));
    softcap_portable(x + i, count - i, cap);
}

void pali_softcap(float *x, long count, float cap) {
    if (pali_kernels_level() >= 1)
        softcap_avx2(x, count, cap);
    else
        softcap_portable(x, count, cap);
}
