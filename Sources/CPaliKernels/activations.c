#include "CPaliKernels.h"

#include <math.h>
#include <string.h>

#include "vector_math.h"

// Element-wise tanh-based activations (GELU's tanh form, soft-capping). libm's tanhf goes
// through expm1f one element at a time, a visible share of a prefill and of a batched decode
// step; these run 8 lanes at a time. tanh follows Cephes' tanhf (≤ 2 ulp): an odd
// polynomial below 0.625, 1 − 2 / (e^{2|x|} + 1) above, sign restored. The portable path
// performs the same float operations (fmaf where the vector code fuses), so every level gives
// the same bits (the vector functions are in vector_math.h); AVX-512 runs 16 lanes.

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

static AVX2 void gelu_pali_tanh256(float *x, long count) {
    const __m256 c = _mm256_set1_ps(GELU_C), k = _mm256_set1_ps(0.044715f);
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m256 cube = _mm256_mul_ps(_mm256_mul_ps(_mm256_mul_ps(k, v), v), v);
        __m256 t = pali_tanh256(_mm256_mul_ps(c, _mm256_add_ps(v, cube)));
        _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_mul_ps(half, v), _mm256_add_ps(one, t)));
    }
    gelu_tanh_portable(x + i, count - i);
}

static AVX512 void gelu_pali_tanh512(float *x, long count) {
    const __m512 c = _mm512_set1_ps(GELU_C), k = _mm512_set1_ps(0.044715f);
    const __m512 half = _mm512_set1_ps(0.5f), one = _mm512_set1_ps(1.0f);
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        __m512 v = _mm512_loadu_ps(x + i);
        __m512 cube = _mm512_mul_ps(_mm512_mul_ps(_mm512_mul_ps(k, v), v), v);
        __m512 t = pali_tanh512(_mm512_mul_ps(c, _mm512_add_ps(v, cube)));
        _mm512_storeu_ps(x + i, _mm512_mul_ps(_mm512_mul_ps(half, v), _mm512_add_ps(one, t)));
    }
    gelu_pali_tanh256(x + i, count - i);
}

void pali_gelu_tanh(float *x, long count) {
    if (pali_isa() & PALI_ISA_AVX512)
        gelu_pali_tanh512(x, count);
    else if (pali_isa() & PALI_ISA_AVX2)
        gelu_pali_tanh256(x, count);
    else
        gelu_tanh_portable(x, count);
}

static void softcap_portable(float *x, long count, float cap) {
    for (long i = 0; i < count; i++) x[i] = cap * tanh_portable(x[i] / cap);
}

static AVX2 void softcap_avx2(float *x, long count, float cap) {
    const __m256 c = _mm256_set1_ps(cap);
    long i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 scaled = _mm256_div_ps(_mm256_loadu_ps(x + i), c);
        _mm256_storeu_ps(x + i, _mm256_mul_ps(c, pali_tanh256(scaled)));
    }
    softcap_portable(x + i, count - i, cap);
}

static AVX512 void softcap_avx512(float *x, long count, float cap) {
    const __m512 c = _mm512_set1_ps(cap);
    long i = 0;
    for (; i + 16 <= count; i += 16) {
        __m512 scaled = _mm512_div_ps(_mm512_loadu_ps(x + i), c);
        _mm512_storeu_ps(x + i, _mm512_mul_ps(c, pali_tanh512(scaled)));
    }
    softcap_avx2(x + i, count - i, cap);
}

void pali_softcap(float *x, long count, float cap) {
    if (pali_isa() & PALI_ISA_AVX512)
        softcap_avx512(x, count, cap);
    else if (pali_isa() & PALI_ISA_AVX2)
        softcap_avx2(x, count, cap);
    else
        softcap_portable(x, count, cap);
}
