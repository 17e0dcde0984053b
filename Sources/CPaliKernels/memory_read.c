// A plain sequential read of a buffer: the rate a decode step's weight stream is measured
// against (`WeightRead`), with nothing else between the loads.
#include "CPaliKernels.h"

#include <immintrin.h>

#define AVX2_READ __attribute__((target("avx2")))

// Eight independent 256-bit sums of the bytes (`vpsadbw` against zero adds each 8 bytes into
// a 64-bit lane), so neither the adds' latency nor the instruction count bounds the loads.
static AVX2_READ uint64_t read_avx2(const uint8_t *p, long bytes) {
    const __m256i zero = _mm256_setzero_si256();
    __m256i s[8];
    for (int j = 0; j < 8; j++) s[j] = zero;
    long i = 0;
    for (; i + 256 <= bytes; i += 256)
        for (int j = 0; j < 8; j++) {
            __m256i x = _mm256_loadu_si256((const __m256i *)(p + i + 32 * j));
            s[j] = _mm256_add_epi64(s[j], _mm256_sad_epu8(x, zero));
        }
    for (int j = 1; j < 8; j++) s[0] = _mm256_add_epi64(s[0], s[j]);
    uint64_t lanes[4];
    _mm256_storeu_si256((__m256i *)lanes, s[0]);
    uint64_t sum = lanes[0] + lanes[1] + lanes[2] + lanes[3];
    for (; i < bytes; i++) sum += p[i];
    return sum;
}

static uint64_t read_portable(const uint8_t *p, long bytes) {
    uint64_t s[8] = {0};
    long i = 0;
    for (; i + 8 <= bytes; i += 8)
        for (int j = 0; j < 8; j++) s[j] += p[i + j];
    uint64_t sum = s[0] + s[1] + s[2] + s[3] + s[4] + s[5] + s[6] + s[7];
    for (; i < bytes; i++) sum += p[i];
    return sum;
}

uint64_t pali_read_bytes(const void *p, long bytes) {
    if (bytes <= 0) return 0;
    return (pali_isa() & PALI_ISA_AVX2) ? read_avx2(p, bytes) : read_portable(p, bytes);
}
