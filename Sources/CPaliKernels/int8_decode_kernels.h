// The int8 × int16 decode kernels, compiled once per instruction set by int8_products.c, which
// defines before each inclusion:
//   Q16_TARGET          the function attribute (target features),
//   Q16_NAME(x)         the kernels' names (q16_x_<isa>),
//   Q16_DOT(acc, a, b)  acc + the int16 pair products of a and b in int32 lanes (vpmaddwd +
//                       vpaddd on AVX2, one vpdpwssd with VNNI: the same exact integer sums),
// Included only from int8_products.c, which holds the layout, constants and helpers they use.

static Q16_TARGET void Q16_NAME(range1)(const int8_t *w, const float *wscales, const int16_t *q,
                                 const float *qscales, float *out, long k, long first,
                                 long end) {
    long body = k - k % Q16_CHUNK;
    for (long j = first; j < end; j++) {
        const int8_t *wj = w + j * k;
        int64_t total = 0;
        for (long i = 0; i < body;) {
            long stop = i + Q16_RUN < body ? i + Q16_RUN : body;
            __m256i even_sum = _mm256_setzero_si256(), odd_sum = _mm256_setzero_si256();
            for (; i < stop; i += Q16_CHUNK) {
                _mm_prefetch((const char *)(wj + i) + Q16_ROW_PREFETCH, _MM_HINT_T0);
                __m256i v = _mm256_loadu_si256((const __m256i *)(wj + i));
                __m256i even = _mm256_srai_epi16(_mm256_slli_epi16(v, 8), 8);
                __m256i odd = _mm256_srai_epi16(v, 8);
                even_sum = Q16_DOT(even_sum, even, _mm256_loadu_si256((const __m256i *)(q + i)));
                odd_sum = Q16_DOT(odd_sum, odd,
                                  _mm256_loadu_si256((const __m256i *)(q + i + Q16_CHUNK / 2)));
            }
            total += hsum_epi32_avx2(_mm256_add_epi32(even_sum, odd_sum));
        }
        for (long p = body; p < k; p++) total += (int32_t)wj[p] * q[p];
        out[j] = (float)total * (wscales[j] * qscales[0]);
    }
}

// 2–8 input rows: compute-bound on vpmaddwd + vpaddd, so every activation load should serve
// several weight rows. Weight rows go in groups of Q16_GROUP and the columns in tiles of
// Q16_TILE: within a tile, the group's rows go in pairs against up to Q16_PAIR_RB input rows at
// once (two passes for 5–8 rows, the pair's tile then in L1), an odd last row against all input
// rows; accumulators stay in registers within the tile and in memory between tiles, so the
// tile's activations (≤ 8 KB) are read from L1. The group's rows are read side by side, which
// alone streams badly from DRAM; so while a group is multiplied the next one (contiguous) is
// prefetched into L2 as one sequential stream, as many bytes as consumed. Rates against one
// weight row at a time in docs/benchmarks/.
#define Q16_GROUP 4
#define Q16_TILE 512  // divides Q16_RUN

// acc[r] += Σ_{i0 ≤ p < i1} w[p] · q[r * k + slot(p)] (whole chunks), prefetching `ahead` onward
// by as many bytes as it consumes. Called with constant rb.
static inline __attribute__((always_inline)) Q16_TARGET void Q16_NAME(tile)(
    const int8_t *w, const int16_t *q, long k, long i0, long i1, int rb, __m256i *acc,
    const char *ahead) {
    __m256i a[Q16_MAX_RB];
    for (int r = 0; r < rb; r++) a[r] = _mm256_load_si256(acc + r);
    for (long i = i0; i < i1; i += Q16_CHUNK) {
        _mm_prefetch(ahead + (i - i0), _MM_HINT_T1);
        __m256i v = _mm256_loadu_si256((const __m256i *)(w + i));
        __m256i even = _mm256_srai_epi16(_mm256_slli_epi16(v, 8), 8);
        __m256i odd = _mm256_srai_epi16(v, 8);
        for (int r = 0; r < rb; r++) {
            const int16_t *x = q + r * k + i;
            a[r] = Q16_DOT(a[r], even, _mm256_loadu_si256((const __m256i *)x));
            a[r] = Q16_DOT(a[r], odd, _mm256_loadu_si256((const __m256i *)(x + Q16_CHUNK / 2)));
        }
    }
    for (int r = 0; r < rb; r++) _mm256_store_si256(acc + r, a[r]);
}

// Two weight rows w0 = w, w1 = w + k against rb ≤ Q16_PAIR_RB input rows: each activation load
// serves both weight rows (8 accumulators at rb = 4, the registers AVX2 has left). acc0[r],
// acc1[r] as q16_tile_avx2's acc[r]; with `prefetch`, prefetches `ahead` onward by as many bytes
// as the two rows consume. Called with constant rb and prefetch.
#define Q16_PAIR_RB 4
static inline __attribute__((always_inline)) Q16_TARGET void Q16_NAME(pair_tile)(
    const int8_t *w, const int16_t *q, long k, long i0, long i1, int rb, __m256i *acc0,
    __m256i *acc1, const char *ahead, int prefetch) {
    __m256i a[Q16_PAIR_RB], b[Q16_PAIR_RB];
    for (int r = 0; r < rb; r++) {
        a[r] = _mm256_load_si256(acc0 + r);
        b[r] = _mm256_load_si256(acc1 + r);
    }
    for (long i = i0; i < i1; i += Q16_CHUNK) {
        if (prefetch) _mm_prefetch(ahead + 2 * (i - i0), _MM_HINT_T1);  // one line per step
        __m256i v0 = _mm256_loadu_si256((const __m256i *)(w + i));
        __m256i v1 = _mm256_loadu_si256((const __m256i *)(w + k + i));
        __m256i even0 = _mm256_srai_epi16(_mm256_slli_epi16(v0, 8), 8);
        __m256i odd0 = _mm256_srai_epi16(v0, 8);
        __m256i even1 = _mm256_srai_epi16(_mm256_slli_epi16(v1, 8), 8);
        __m256i odd1 = _mm256_srai_epi16(v1, 8);
        for (int r = 0; r < rb; r++) {
            const int16_t *x = q + r * k + i;
            __m256i xe = _mm256_loadu_si256((const __m256i *)x);
            __m256i xo = _mm256_loadu_si256((const __m256i *)(x + Q16_CHUNK / 2));
            a[r] = Q16_DOT(Q16_DOT(a[r], even0, xe), odd0, xo);
            b[r] = Q16_DOT(Q16_DOT(b[r], even1, xe), odd1, xo);
        }
    }
    for (int r = 0; r < rb; r++) {
        _mm256_store_si256(acc0 + r, a[r]);
        _mm256_store_si256(acc1 + r, b[r]);
    }
}

#define Q16_TILE_CASE(R)                                                                        \
    case R: Q16_NAME(tile)(wg, q, k, t0, t1, R, acc[g], ahead); break;
#define Q16_PAIR_CASE(R, P)                                                                     \
    case R:                                                                                     \
        Q16_NAME(pair_tile)(wg, q + r0 * k, k, t0, t1, R, acc[g] + r0, acc[g + 1] + r0, ahead, P); \
        break;

static Q16_TARGET void Q16_NAME(range)(const int8_t *w, const float *wscales, const int16_t *q,
                                const float *qscales, float *out, long rows, long n, long k,
                                long first, long end) {
    long body = k - k % Q16_CHUNK;
    for (long j = first; j < end; j += Q16_GROUP) {
        int rb = (int)rows, group = end - j < Q16_GROUP ? (int)(end - j) : Q16_GROUP;
        // The next group's bytes, prefetched in order as this group's are consumed (past the
        // matrix for the last group: prefetches never fault).
        const char *next = (const char *)(w + (j + group) * k);
        int64_t sums[Q16_GROUP][Q16_MAX_RB];
        __m256i acc[Q16_GROUP][Q16_MAX_RB];
        for (int g = 0; g < group; g++)
            for (int r = 0; r < rb; r++) {
                sums[g][r] = 0;
                acc[g][r] = _mm256_setzero_si256();
            }
        for (long t0 = 0; t0 < body; t0 += Q16_TILE) {
            long t1 = t0 + Q16_TILE < body ? t0 + Q16_TILE : body;
            int g = 0;
            // Weight rows in pairs, input rows Q16_PAIR_RB at a time (the pair's tile stays in
            // L1 for the second pass of 5–8 rows, which does not prefetch again).
            for (; g + 2 <= group; g += 2) {
                const int8_t *wg = w + (j + g) * k;
                const char *ahead = next + t0 * group + g * (t1 - t0);
                int r0 = 0;
                switch (rb < Q16_PAIR_RB ? rb : Q16_PAIR_RB) {
                    Q16_PAIR_CASE(2, 1) Q16_PAIR_CASE(3, 1) Q16_PAIR_CASE(4, 1)
                }
                for (r0 = Q16_PAIR_RB; r0 < rb; r0 += Q16_PAIR_RB) {
                    switch (rb - r0 < Q16_PAIR_RB ? rb - r0 : Q16_PAIR_RB) {
                        Q16_PAIR_CASE(1, 0) Q16_PAIR_CASE(2, 0) Q16_PAIR_CASE(3, 0)
                        Q16_PAIR_CASE(4, 0)
                    }
                }
            }
            if (g < group) {  // an odd last row: every input row at once
                const int8_t *wg = w + (j + g) * k;
                const char *ahead = next + t0 * group + g * (t1 - t0);
                switch (rb) {
                    Q16_TILE_CASE(2) Q16_TILE_CASE(3) Q16_TILE_CASE(4) Q16_TILE_CASE(5)
                    Q16_TILE_CASE(6) Q16_TILE_CASE(7) Q16_TILE_CASE(8)
                }
            }
            if (t1 % Q16_RUN == 0 || t1 == body)
                for (int g = 0; g < group; g++)
                    for (int r = 0; r < rb; r++) {
                        sums[g][r] += hsum_epi32_avx2(acc[g][r]);
                        acc[g][r] = _mm256_setzero_si256();
                    }
        }
        for (int g = 0; g < group; g++) {
            const int8_t *wg = w + (j + g) * k;
            for (long p = body; p < k; p++)
                for (int r = 0; r < rb; r++) sums[g][r] += (int32_t)wg[p] * q[r * k + p];
            for (int r = 0; r < rb; r++)
                out[r * n + j + g] = (float)sums[g][r] * (wscales[j + g] * qscales[r]);
        }
    }
}

#undef Q16_TILE_CASE
#undef Q16_PAIR_CASE
