// The output of a u8 × s8 product (`w8a8`) from its raw integer sum, shared by every path that
// computes one (the own decode and many-row kernels, oneDNN): they agree bit for bit because
// they apply this one formula.
#ifndef PALI_U8_OUTPUT_H
#define PALI_U8_OUTPUT_H

#include <stdint.h>

// sum = Σ_p (q_p + 128) · w_p: the offset 128 · Σ_p w_p (`weight_sum`) removed exactly in 64
// bits, then one rounding to float32 and the weight row's and activation row's scales.
static inline float pali_u8_output(int64_t sum, int32_t weight_sum, float wscale, float qscale) {
    return (float)(sum - 128 * (int64_t)weight_sum) * (wscale * qscale);
}

#endif
