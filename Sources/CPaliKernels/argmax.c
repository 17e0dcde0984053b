// The greedy token: the first index of the largest logit. Two passes, the largest value then
// its first index, give the index a scan keeping the first strictly larger value gives,
// whatever the width: NaNs are never larger (a NaN first value keeps index 0), and -0 and +0
// are equal.
#include "CPaliKernels.h"

#include <immintrin.h>
#include <math.h>

#include "vector_math.h"

// The first index at or after `from` whose value equals top (present by construction).
static long first_equal(const float *x, long from, long n, float top) {
    for (long i = from; i < n; i++)
        if (x[i] == top) return i;
    return 0;
}

static long argmax_portable(const float *x, long n) {
    long best = 0;
    for (long i = 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return best;
}

// max(v, m) keeps m where v is NaN (the second operand of an unordered maxps), so NaNs never
// win; the lanes then reduce with the same rule.
static AVX2 long argmax_avx2(const float *x, long n) {
    __m256 best = _mm256_set1_ps(x[0]);
    long i = 0;
    for (; i + 8 <= n; i += 8) best = _mm256_max_ps(_mm256_loadu_ps(x + i), best);
    float lanes[8], top = x[0];
    _mm256_storeu_ps(lanes, best);
    for (int l = 0; l < 8; l++)
        if (lanes[l] > top) top = lanes[l];
    for (; i < n; i++)
        if (x[i] > top) top = x[i];
    return first_equal(x, 0, n, top);
}

static AVX512 long argmax_avx512(const float *x, long n) {
    __m512 best = _mm512_set1_ps(x[0]);
    long i = 0;
    for (; i + 16 <= n; i += 16) best = _mm512_max_ps(_mm512_loadu_ps(x + i), best);
    float lanes[16], top = x[0];
    _mm512_storeu_ps(lanes, best);
    for (int l = 0; l < 16; l++)
        if (lanes[l] > top) top = lanes[l];
    for (; i < n; i++)
        if (x[i] > top) top = x[i];
    return first_equal(x, 0, n, top);
}

long pali_argmax(const float *x, long n) {
    if (n <= 1 || isnan(x[0])) return 0;
    if (pali_isa() & PALI_ISA_AVX512) return argmax_avx512(x, n);
    if (pali_isa() & PALI_ISA_AVX2) return argmax_avx2(x, n);
    return argmax_portable(x, n);
}
