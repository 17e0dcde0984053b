// The greedy token: the first index of the largest logit. Two passes, the largest value then
// its first index, give the index a scan keeping the first strictly larger value gives,
// whatever the width: NaNs are never larger (a NaN first value keeps index 0), and -0 and +0
// are equal.
#include "CPaliKernels.h"

#include <immintrin.h>
#include <math.h>

#include "vector_math.h"

static long argmax_portable(const float *x, long n) {
    long best = 0;
    for (long i = 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return best;
}

// The index of the first value equal to the largest of `lanes` [count], x[from ..< n] and
// x[0] (the vector pass's start), NaNs never largest.
static long first_of_largest(const float *x, long from, long n, const float *lanes, int count) {
    float top = x[0];
    for (int l = 0; l < count; l++)
        if (lanes[l] > top) top = lanes[l];
    for (long i = from; i < n; i++)
        if (x[i] > top) top = x[i];
    for (long i = 0; i < n; i++)
        if (x[i] == top) return i;
    return 0;
}

// max(v, m) keeps m where v is NaN (the second operand of an unordered maxps), so NaNs never
// win.
static AVX2 long argmax_avx2(const float *x, long n) {
    __m256 best = _mm256_set1_ps(x[0]);
    long i = 0;
    for (; i + 8 <= n; i += 8) best = _mm256_max_ps(_mm256_loadu_ps(x + i), best);
    float lanes[8];
    _mm256_storeu_ps(lanes, best);
    return first_of_largest(x, i, n, lanes, 8);
}

static AVX512 long argmax_avx512(const float *x, long n) {
    __m512 best = _mm512_set1_ps(x[0]);
    long i = 0;
    for (; i + 16 <= n; i += 16) best = _mm512_max_ps(_mm512_loadu_ps(x + i), best);
    float lanes[16];
    _mm512_storeu_ps(lanes, best);
    return first_of_largest(x, i, n, lanes, 16);
}

long pali_argmax(const float *x, long n) {
    if (n <= 1 || isnan(x[0])) return 0;
    if (pali_isa() & PALI_ISA_AVX512) return argmax_avx512(x, n);
    if (pali_isa() & PALI_ISA_AVX2) return argmax_avx2(x, n);
    return argmax_portable(x, n);
}
