#include "CPaliKernels.h"

#include <immintrin.h>
#include <math.h>
#include <string.h>

#include "attention_avx512.h"
#include "vector_math.h"

#define INLINE static inline __attribute__((always_inline))

static long round16(long n) { return (n + 15) & ~15L; }
static long round8(long n) { return (n + 7) & ~7L; }

// Whether the AVX2 + FMA kernels run (read once per call from the dispatcher).
static int use_avx2(void) { return (pali_isa() & PALI_ISA_AVX2) != 0; }

// Whether the many-row tiles run on AVX-512 (attention_avx512.c).
static int use_avx512(void) { return (pali_isa() & PALI_ISA_AVX512) != 0; }

long pali_attention_scratch_floats(long rows, long head_dim, long key_block) {
    long kbp = round16(key_block), dp = round8(head_dim);
    // queries [rows, d], accumulator [rows, dp], scores [rows, kbp], running max and sum.
    return rows * head_dim + rows * dp + rows * kbp + 2 * rows;
}

long pali_attention_packed_floats(long key_rows, long head_dim) {
    return round16(key_rows) * (head_dim + round8(head_dim));
}

void pali_attention_pack(const float *k, const float *v, long kv_stride, long key_rows,
                         long d, float *packed) {
    // Keys as strips of 16 keys, kt[(strip · d + c) · 16 + jj] = component c of key
    // 16 · strip + jj, so the score kernel loads two whole vectors per component.
    const long rows = round16(key_rows), dp = round8(d);
    float *kt = packed, *vt = packed + rows * d;
    for (long strip = 0; strip < rows / 16; strip++) {
        float *dst = kt + strip * d * 16;
        for (long jj = 0; jj < 16; jj++) {
            long j = strip * 16 + jj;
            for (long c = 0; c < d; c++) dst[c * 16 + jj] = j < key_rows ? k[j * kv_stride + c] : 0;
        }
    }
    // Values as strips of 8 columns, vt[(x / 8 · rows + j) · 8 + x % 8] = v[j, x], read
    // sequentially by the value kernel (rows of a [keys, heads · d] buffer lie a multiple of
    // 4 KiB apart or nearly so, fall into a few L1 sets and evict each other).
    for (long j = 0; j < rows; j++)
        for (long x = 0; x < dp; x++)
            vt[((x / 8) * rows + j) * 8 + x % 8] =
                (j < key_rows && x < d) ? v[j * kv_stride + x] : 0;
}

// MARK: portable kernels

// s[r, j] = Σ_c qp[r, c] · key_j[c], r < rows, j < count (rows of s lds apart), for packed
// keys (k_step 0) or key rows k_step apart.
static void scores_portable(const float *qp, long rows, long d, const float *k, long k_step,
                            long count, float *s, long lds) {
    for (long r = 0; r < rows; r++)
        for (long j = 0; j < count; j++) {
            const float *key = k_step ? k + j * k_step : k + (j / 16) * d * 16 + j % 16;
            long stride = k_step ? 1 : 16;
            float sum = 0;
            for (long c = 0; c < d; c++) sum += qp[r * d + c] * key[c * stride];
            s[r * lds + j] = sum;
        }
}

// o[r, x] += Σ_j p[r, j] · v[j, x], j < n, x < dp; v[j, x] is at
// v[(x / 8) · v_strip + j · v_step + x % 8] (packed strips or plain rows).
static void values_portable(const float *p, long ldp, long rows, long n, const float *v,
                            long v_step, long v_strip, long dp, float *o) {
    for (long r = 0; r < rows; r++)
        for (long j = 0; j < n; j++) {
            float w = p[r * ldp + j];
            for (long x = 0; x < dp; x++)
                o[r * dp + x] += w * v[(x / 8) * v_strip + j * v_step + x % 8];
        }
}

// One score row of a tile through soft-cap, mask and the online softmax: keys outside
// a ..< b get probability 0; the running max m and sum l and the accumulator row o are
// rescaled to the new max, and s is left holding exp(score − max).
static void update_portable(float *s, long n, long a, long b, float cap, float *m, float *l,
                            float *o, long d) {
    if (a >= b) {
        memset(s, 0, (size_t)n * sizeof(float));
        return;
    }
    float blockMax = -INFINITY;
    for (long j = a; j < b; j++) {
        if (cap > 0) s[j] = cap * tanhf(s[j] / cap);
        if (s[j] > blockMax) blockMax = s[j];
    }
    float newMax = blockMax > *m ? blockMax : *m;
    float factor = expf(*m - newMax);
    if (factor != 1)
        for (long c = 0; c < d; c++) o[c] *= factor;
    float sum = 0;
    for (long j = 0; j < n; j++) {
        float e = (j >= a && j < b) ? expf(s[j] - newMax) : 0;
        s[j] = e;
        sum += e;
    }
    *l = *l * factor + sum;
    *m = newMax;
}

// MARK: AVX2 + FMA kernels

AVX2 INLINE float hmax256(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// mr ≤ 6 query rows × one 16-key strip: 12 accumulators, two key loads and mr broadcasts
// per component.
AVX2 INLINE void scores_strip(int mr, const float *qp, long d, const float *kt, float *s,
                              long lds) {
    __m256 c0[6], c1[6];
    for (int i = 0; i < mr; i++) c0[i] = c1[i] = _mm256_setzero_ps();
    for (long c = 0; c < d; c++) {
        __m256 b0 = _mm256_loadu_ps(kt + c * 16), b1 = _mm256_loadu_ps(kt + c * 16 + 8);
        for (int i = 0; i < mr; i++) {
            __m256 a = _mm256_broadcast_ss(qp + i * d + c);
            c0[i] = _mm256_fmadd_ps(a, b0, c0[i]);
            c1[i] = _mm256_fmadd_ps(a, b1, c1[i]);
        }
    }
    for (int i = 0; i < mr; i++) {
        _mm256_storeu_ps(s + i * lds, c0[i]);
        _mm256_storeu_ps(s + i * lds + 8, c1[i]);
    }
}

AVX2 static void scores_avx2(const float *qp, long rows, long d, const float *kt, long np,
                             float *s) {
    // Strip-major so one strip (d · 16 floats) stays in L1 while every row group reads it.
    for (long strip = 0; strip < np / 16; strip++) {
        const float *k = kt + strip * d * 16;
        float *out = s + strip * 16;
        long r = 0;
        for (; r + 6 <= rows; r += 6) scores_strip(6, qp + r * d, d, k, out + r * np, np);
        const float *q = qp + r * d;
        switch (rows - r) {
        case 5: scores_strip(5, q, d, k, out + r * np, np); break;
        case 4: scores_strip(4, q, d, k, out + r * np, np); break;
        case 3: scores_strip(3, q, d, k, out + r * np, np); break;
        case 2: scores_strip(2, q, d, k, out + r * np, np); break;
        case 1: scores_strip(1, q, d, k, out + r * np, np); break;
        default: break;
        }
    }
}

// Decoding reads key and value rows straight from a `[keys, kv_heads · d]` cache, whose rows lie
// 1 KB or more apart (4 KB for Gemma 2's four 256-wide heads): each row is a page of its own to
// the hardware prefetchers, which start over on every one. The decode kernels therefore
// prefetch the rows this many keys ahead of those they read, a line per line consumed.
#define DECODE_PREFETCH_KEYS 4

// Prefetches the cache line at p of each of `rows` rows `step` floats apart (prefetches never
// fault, so rows past a cache's end are harmless).
INLINE void decode_prefetch(const float *p, long step, int rows) {
    for (int u = 0; u < rows; u++) _mm_prefetch((const char *)(p + u * step), _MM_HINT_T0);
}

// mr ≤ 2 query rows × keys j ..< j + 4 (rows k_step apart): the four key rows stream side
// by side, and one transposed reduction per 4 keys replaces four horizontal sums.
AVX2 INLINE void scores_keys4(int mr, const float *qp, long d, const float *key, long k_step,
                              float *s, long lds) {
    __m256 acc[2][4];
    for (int i = 0; i < mr; i++)
        for (int u = 0; u < 4; u++) acc[i][u] = _mm256_setzero_ps();
    for (long c = 0; c < d; c += 8) {
        if ((c & 15) == 0) decode_prefetch(key + DECODE_PREFETCH_KEYS * k_step + c, k_step, 4);
        __m256 k0 = _mm256_loadu_ps(key + c), k1 = _mm256_loadu_ps(key + k_step + c);
        __m256 k2 = _mm256_loadu_ps(key + 2 * k_step + c);
        __m256 k3 = _mm256_loadu_ps(key + 3 * k_step + c);
        for (int i = 0; i < mr; i++) {
            __m256 a = _mm256_loadu_ps(qp + i * d + c);
            acc[i][0] = _mm256_fmadd_ps(a, k0, acc[i][0]);
            acc[i][1] = _mm256_fmadd_ps(a, k1, acc[i][1]);
            acc[i][2] = _mm256_fmadd_ps(a, k2, acc[i][2]);
            acc[i][3] = _mm256_fmadd_ps(a, k3, acc[i][3]);
        }
    }
    for (int i = 0; i < mr; i++)
        _mm_storeu_ps(s + i * lds, pali_hsum4x256(acc[i][0], acc[i][1], acc[i][2], acc[i][3]));
}

// Few query rows (decoding): s[r, j] = qp[r] · key j straight from key rows k_step apart
// (d a multiple of 8); two rows at a time, four keys per pass.
AVX2 static void scores_direct_avx2(const float *qp, long rows, long d, const float *k,
                                    long k_step, long n, float *s, long lds) {
    for (long r = 0; r < rows; r += 2) {
        const int mr = rows - r < 2 ? 1 : 2;
        const float *q = qp + r * d;
        float *out = s + r * lds;
        long j = 0;
        for (; j + 4 <= n; j += 4) {
            if (mr == 2)
                scores_keys4(2, q, d, k + j * k_step, k_step, out + j, lds);
            else
                scores_keys4(1, q, d, k + j * k_step, k_step, out + j, lds);
        }
        for (; j < n; j++) {
            const float *key = k + j * k_step;
            for (int i = 0; i < mr; i++) {
                __m256 acc = _mm256_setzero_ps();
                for (long c = 0; c < d; c += 8)
                    acc = _mm256_fmadd_ps(_mm256_loadu_ps(q + i * d + c),
                                          _mm256_loadu_ps(key + c), acc);
                out[i * lds + j] = pali_hsum256(acc);
            }
        }
    }
}

// o[mr rows, dp] += p[mr rows, j ..< j + nk] · v[j ..< j + nk, dp] for nk ≤ 4 key rows
// v_step apart: each value row is read once, front to back, while the accumulator rows stay
// in L1. Every output element adds its keys in order j, j + 1, …, as values_chunk does.
AVX2 INLINE void values_keys(int mr, int nk, const float *p, long ldp, const float *v,
                             long v_step, long dp, float *o) {
    __m256 w[8][4];
    for (int i = 0; i < mr; i++)
        for (int u = 0; u < nk; u++) w[i][u] = _mm256_broadcast_ss(p + i * ldp + u);
    for (long x = 0; x < dp; x += 8) {
        if ((x & 15) == 0) decode_prefetch(v + DECODE_PREFETCH_KEYS * v_step + x, v_step, nk);
        __m256 b[4];
        for (int u = 0; u < nk; u++) b[u] = _mm256_loadu_ps(v + u * v_step + x);
        for (int i = 0; i < mr; i++) {
            __m256 acc = _mm256_loadu_ps(o + i * dp + x);
            for (int u = 0; u < nk; u++) acc = _mm256_fmadd_ps(w[i][u], b[u], acc);
            _mm256_storeu_ps(o + i * dp + x, acc);
        }
    }
}

// Few query rows (decoding): o[r, x] += Σ_j p[r, j] · v[j, x] straight from value rows
// v_step apart (dp a multiple of 8), key-major, up to 8 rows and four keys per pass.
AVX2 static void values_direct_avx2(const float *p, long ldp, long rows, long n,
                                    const float *v, long v_step, long dp, float *o) {
#define VALUES_KEYS_CASE(M)                                                                    \
    case M:                                                                                    \
        for (; j + 4 <= n; j += 4) values_keys(M, 4, pr + j, ldp, v + j * v_step, v_step, dp, or); \
        for (; j < n; j++) values_keys(M, 1, pr + j, ldp, v + j * v_step, v_step, dp, or);     \
        break;
    for (long r = 0; r < rows; r += 8) {
        const float *pr = p + r * ldp;
        float *or = o + r * dp;
        long j = 0;
        switch (rows - r < 8 ? rows - r : 8) {
            VALUES_KEYS_CASE(8)
            VALUES_KEYS_CASE(7)
            VALUES_KEYS_CASE(6)
            VALUES_KEYS_CASE(5)
            VALUES_KEYS_CASE(4)
            VALUES_KEYS_CASE(3)
            VALUES_KEYS_CASE(2)
            VALUES_KEYS_CASE(1)
        default: break;
        }
    }
#undef VALUES_KEYS_CASE
}

// o[mr rows, 8 · nv columns] += p[mr rows, n] · v[n, 8 · nv columns]; row j of the first
// 8 columns is at v + j · v_step, the next 8 columns v_strip further.
AVX2 INLINE void values_chunk(int mr, int nv, const float *p, long ldp, long n, const float *v,
                              long v_step, long v_strip, float *o, long dp) {
    __m256 c0[6], c1[6];
    for (int i = 0; i < mr; i++) {
        c0[i] = _mm256_loadu_ps(o + i * dp);
        c1[i] = nv > 1 ? _mm256_loadu_ps(o + i * dp + 8) : _mm256_setzero_ps();
    }
    for (long j = 0; j < n; j++) {
        __m256 b0 = _mm256_loadu_ps(v + j * v_step);
        __m256 b1 = nv > 1 ? _mm256_loadu_ps(v + j * v_step + v_strip) : _mm256_setzero_ps();
        for (int i = 0; i < mr; i++) {
            __m256 a = _mm256_broadcast_ss(p + i * ldp + j);
            c0[i] = _mm256_fmadd_ps(a, b0, c0[i]);
            if (nv > 1) c1[i] = _mm256_fmadd_ps(a, b1, c1[i]);
        }
    }
    for (int i = 0; i < mr; i++) {
        _mm256_storeu_ps(o + i * dp, c0[i]);
        if (nv > 1) _mm256_storeu_ps(o + i * dp + 8, c1[i]);
    }
}

AVX2 static void values_rows(long mr, int nv, const float *p, long ldp, long n, const float *v,
                             long v_step, long v_strip, float *o, long dp) {
#define VALUES_CASE(M)                                                                         \
    case M:                                                                                    \
        if (nv > 1)                                                                            \
            values_chunk(M, 2, p, ldp, n, v, v_step, v_strip, o, dp);                          \
        else                                                                                   \
            values_chunk(M, 1, p, ldp, n, v, v_step, v_strip, o, dp);                          \
        break;
    switch (mr) {
        VALUES_CASE(6)
        VALUES_CASE(5)
        VALUES_CASE(4)
        VALUES_CASE(3)
        VALUES_CASE(2)
        VALUES_CASE(1)
    default: break;
    }
#undef VALUES_CASE
}

// Addressing of v as in values_portable.
AVX2 static void values_avx2(const float *p, long ldp, long rows, long n, const float *v,
                             long v_step, long v_strip, long dp, float *o) {
    // Column-chunk-major so the chunk of v (n · 16 floats) stays in L1 across row groups.
    for (long x = 0; x < dp; x += 16) {
        int nv = x + 16 <= dp ? 2 : 1;
        const float *chunk = v + (x / 8) * v_strip;
        for (long r = 0; r < rows; r += 6) {
            long mr = rows - r < 6 ? rows - r : 6;
            values_rows(mr, nv, p + r * ldp, ldp, n, chunk, v_step, v_strip, o + r * dp + x, dp);
        }
    }
}

AVX2 static void update_avx2(float *s, long n, long a, long b, float cap, float *m, float *l,
                             float *o, long d) {
    if (a >= b) {
        memset(s, 0, (size_t)n * sizeof(float));
        return;
    }
    // Whole vectors up to n rounded to 8 (the row has room: its stride is a multiple of
    // 16); lanes outside a ..< b become −∞ and so probability 0.
    const long n8 = (n + 7) & ~7L;
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const __m256i first = _mm256_set1_epi32((int)a - 1), end = _mm256_set1_epi32((int)b);
    const __m256 capv = _mm256_set1_ps(cap), minusInf = _mm256_set1_ps(-INFINITY);
    __m256 vmax = minusInf;
    for (long j = 0; j < n8; j += 8) {
        __m256 x = _mm256_loadu_ps(s + j);
        if (cap > 0) x = _mm256_mul_ps(capv, pali_tanh256(_mm256_div_ps(x, capv)));
        __m256i idx = _mm256_add_epi32(_mm256_set1_epi32((int)j), lane);
        __m256i inside = _mm256_and_si256(
            _mm256_cmpgt_epi32(idx, first), _mm256_cmpgt_epi32(end, idx));
        x = _mm256_blendv_ps(minusInf, x, _mm256_castsi256_ps(inside));
        _mm256_storeu_ps(s + j, x);
        vmax = _mm256_max_ps(vmax, x);
    }
    float blockMax = hmax256(vmax);
    float newMax = blockMax > *m ? blockMax : *m;
    float factor = expf(*m - newMax);
    if (factor != 1)
        for (long c = 0; c < d; c++) o[c] *= factor;
    const __m256 maxv = _mm256_set1_ps(newMax);
    __m256 vsum = _mm256_setzero_ps();
    for (long j = 0; j < n8; j += 8) {
        __m256 e = pali_exp256(_mm256_sub_ps(_mm256_loadu_ps(s + j), maxv));
        _mm256_storeu_ps(s + j, e);
        vsum = _mm256_add_ps(vsum, e);
    }
    *l = *l * factor + pali_hsum256(vsum);
    *m = newMax;
}

// One score row of a tile of n keys starting at key j0, for a position that sees keys
// begin ..< end, through soft-cap, mask and the online softmax, at `level` 2 (AVX-512), 1 (AVX2)
// or 0 (portable); AVX-512 and AVX2 give the same bits.
static void update_row(int level, float *s, long n, long j0, long begin, long end, float cap,
                       float *m, float *l, float *o, long d) {
    long a = begin - j0, b = end - j0;
    a = a < 0 ? 0 : (a > n ? n : a);
    b = b < 0 ? 0 : (b > n ? n : b);
    if (level == 2 && a < b)
        pali_attention_update_avx512(s, n, a, b, cap, m, l, o, d);
    else if (level)
        update_avx2(s, n, a, b, cap, m, l, o, d);
    else
        update_portable(s, n, a, b, cap, m, l, o, d);
}

// MARK: driver

void pali_attention_block(const PaliAttentionBlock *block, float *scratch) {
    const int avx2 = use_avx2(), avx512 = use_avx512();
    const long d = block->head_dim, dp = round8(d), group = block->group;
    const long rows = block->positions * group;
    const long kbp = round16(block->key_block);
    float *qp = scratch;              // [rows, d] scaled queries, row = position · group + head
    float *o = qp + rows * d;         // [rows, dp] unnormalised output
    float *s = o + rows * dp;         // [rows, kbp] scores, then probabilities
    float *runningMax = s + rows * kbp;  // [rows]
    float *runningSum = runningMax + rows;  // [rows]

    for (long p = 0; p < block->positions; p++)
        for (long h = 0; h < group; h++) {
            const float *src = block->queries + p * block->query_stride + h * d;
            float *dst = qp + (p * group + h) * d;
            for (long c = 0; c < d; c++) dst[c] = src[c] * block->scale;
        }
    memset(o, 0, (size_t)(rows * dp) * sizeof(float));
    for (long r = 0; r < rows; r++) {
        runningMax[r] = -INFINITY;
        runningSum[r] = 0;
    }
    long lo = block->key_begin[0], hi = block->key_end[0];
    for (long p = 1; p < block->positions; p++) {
        if (block->key_begin[p] < lo) lo = block->key_begin[p];
        if (block->key_end[p] > hi) hi = block->key_end[p];
    }
    // Key tiles that no row of the block sees (causal future, outside the window) are
    // never touched; tiles start at multiples of 16 to line up with packed strips.
    const long packedRows = round16(block->key_rows);
    for (long j0 = lo & ~15L; j0 < hi; j0 += block->key_block) {
        long n = hi - j0 < block->key_block ? hi - j0 : block->key_block, np = round16(n);
        // Keys in 16-key strips, values in 8-column strips packedRows long.
        const float *kt = block->packed + j0 * d, *v = block->packed + packedRows * d + j0 * 8;
        if (avx512)
            pali_attention_scores_avx512(qp, rows, d, kt, np, s);
        else if (avx2)
            scores_avx2(qp, rows, d, kt, np, s);
        else
            scores_portable(qp, rows, d, kt, 0, np, s, np);
        for (long r = 0; r < rows; r++) {
            const long p = r / group;
            update_row(avx512 ? 2 : avx2, s + r * np, n, j0, block->key_begin[p], block->key_end[p],
                       block->softcap, runningMax + r, runningSum + r, o + r * dp, dp);
        }
        if (avx512)
            pali_attention_values_avx512(s, np, rows, n, v, packedRows * 8, dp, o);
        else if (avx2)
            values_avx2(s, np, rows, n, v, 8, packedRows * 8, dp, o);
        else
            values_portable(s, np, rows, n, v, 8, packedRows * 8, dp, o);
    }
    for (long r = 0; r < rows; r++) {
        float inverse = 1 / runningSum[r];
        float *dst = block->out + (r / group) * block->out_stride + (r % group) * d;
        for (long c = 0; c < d; c++) dst[c] = o[r * dp + c] * inverse;
    }
}

// MARK: decoding

// Keys per score tile of a decode range: the tile's scores (rows · 64 floats) stay in L1.
#define DECODE_KEYS 64

long pali_attention_decode_scratch_floats(const PaliDecodeAttention *job) {
    const long rows = job->positions * job->heads;
    // Scaled queries, scores, and for a compact cache four rows of keys or values widened.
    const long tile = job->kv_format == PALI_KV_F32 ? 0 : 4 * job->kv_stride;
    return rows * job->head_dim + rows * DECODE_KEYS + tile;
}

// How far ahead of the compact rows being widened their cache is prefetched: the kernels' work
// on a tile would otherwise leave the memory idle, the hardware prefetchers running too few
// lines ahead of one contiguous stream to cover it.
#define DECODE_AHEAD_BYTES 8192

// Rows j0 ..< j0 + n (n ≤ 4) of a decode job's keys or values (`cache`, int8 `scales`) as
// float32 rows kv_stride apart: in place for a float32 cache; for a bf16 or int8 one widened
// into `tile`, which stays in L1 while the kernels read it, so only the compact bytes come
// from memory.
static const float *decode_rows(const PaliDecodeAttention *job, const void *cache,
                                const float *scales, long j0, long n, float *tile) {
    const long kvs = job->kv_stride;
    switch (job->kv_format) {
    case PALI_KV_BF16:
        pali_bf16_widen_ahead((const uint16_t *)cache + j0 * kvs, tile, n * kvs,
                              DECODE_AHEAD_BYTES);
        return tile;
    case PALI_KV_INT8:
        pali_int8_dequantize_ahead((const int8_t *)cache + j0 * kvs,
                                   scales + j0 * (kvs / job->kv_block), tile,
                                   n * (kvs / job->kv_block), job->kv_block, DECODE_AHEAD_BYTES);
        return tile;
    default:
        return (const float *)cache + j0 * kvs;
    }
}

long pali_attention_decode_partial_floats(const PaliDecodeAttention *job) {
    const long rows = job->positions * job->heads;
    return rows * job->head_dim + 2 * rows;  // unnormalised output, running max, running sum
}

// Rows of the decode scratch and partials are ordered (key/value head g, position p, head i of
// g's group), so the rows reading one key/value head are adjacent: row (g · positions + p) ·
// group + i.

void pali_attention_decode_range(const PaliDecodeAttention *job, long begin, long end,
                                 float *partial, float *scratch) {
    const int avx2 = use_avx2(), avx512 = use_avx512();
    const long d = job->head_dim, group = job->heads / job->kv_heads;
    const long perHead = job->positions * group, rows = job->kv_heads * perHead;
    const long kvs = job->kv_stride;
    // Rows read in place (float32) stream from memory at the AVX2 kernels' rate, which
    // prefetch them; widened compact rows sit in L1, where the 512-bit kernels' fewer
    // instructions pay (the same bits either way).
    const int wide = avx512 && job->kv_format != PALI_KV_F32;
    // Where the head width allows (and int8 rows hold a scale per 32 elements), the 512-bit
    // kernels widen compact rows in registers instead, the same bits without the copy.
    const int int8 = job->kv_format == PALI_KV_INT8;
    const int fused = wide && d % 32 == 0 && (!int8 || job->kv_block == 32);
    const long perRow = int8 ? kvs / job->kv_block : 0;  // int8 scales per cached row
    const long elementBytes = int8 ? 1 : 2;  // of a compact row
    float *qp = scratch;                 // [rows, d] scaled queries
    float *s = qp + rows * d;            // [rows, DECODE_KEYS] scores, then probabilities
    float *tile = s + rows * DECODE_KEYS;  // [4, kvs] widened compact rows
    float *o = partial;                  // [rows, d] unnormalised output
    float *runningMax = o + rows * d;    // [rows]
    float *runningSum = runningMax + rows;  // [rows]
    for (long g = 0; g < job->kv_heads; g++)
        for (long p = 0; p < job->positions; p++)
            for (long i = 0; i < group; i++) {
                const float *src = job->queries + p * job->query_stride + (g * group + i) * d;
                float *dst = qp + ((g * job->positions + p) * group + i) * d;
                for (long c = 0; c < d; c++) dst[c] = src[c] * job->scale;
            }
    memset(o, 0, (size_t)(rows * d) * sizeof(float));
    for (long r = 0; r < rows; r++) {
        runningMax[r] = -INFINITY;
        runningSum[r] = 0;
    }
    long lo = end, hi = begin;  // the part of begin ..< end some position sees
    for (long p = 0; p < job->positions; p++) {
        long a = job->key_begin[p] > begin ? job->key_begin[p] : begin;
        long b = job->key_end[p] < end ? job->key_end[p] : end;
        if (a < b && a < lo) lo = a;
        if (a < b && b > hi) hi = b;
    }
    for (long j0 = lo; j0 < hi; j0 += DECODE_KEYS) {
        const long n = hi - j0 < DECODE_KEYS ? hi - j0 : DECODE_KEYS;
        // Four key rows at a time, every head's part of them before the next four: the
        // cache is read in address order. The kernels widening rows in registers take eight
        // at a time (four at the end), all but the tile's last n % 4, which go through `tile`.
        const long fusedKeys = fused ? n / 4 * 4 : 0;
        for (long j = 0; j < fusedKeys; j += 8) {
            const long count = fusedKeys - j < 8 ? fusedKeys - j : 8;
            const char *k = (const char *)job->keys + (j0 + j) * kvs * elementBytes;
            const float *scales = int8 ? job->key_scales + (j0 + j) * perRow : NULL;
            for (long g = 0; g < job->kv_heads; g++)
                pali_attention_scores_keys_compact_avx512(
                    int8, qp + g * perHead * d, perHead, d, k + g * d * elementBytes, kvs, count,
                    int8 ? scales + g * d / job->kv_block : NULL, perRow, DECODE_AHEAD_BYTES,
                    s + g * perHead * DECODE_KEYS + j, DECODE_KEYS);
        }
        for (long j = fusedKeys; j < n; j += 4) {
            const long count = n - j < 4 ? n - j : 4;
            const float *k = decode_rows(job, job->keys, job->key_scales, j0 + j, count, tile);
            for (long g = 0; g < job->kv_heads; g++) {
                const float *q = qp + g * perHead * d, *key = k + g * d;
                float *sg = s + g * perHead * DECODE_KEYS + j;
                if (wide && count == 4)
                    pali_attention_scores_keys4_avx512(q, perHead, d, key, kvs, sg, DECODE_KEYS);
                else if (avx2)
                    scores_direct_avx2(q, perHead, d, key, kvs, count, sg, DECODE_KEYS);
                else
                    scores_portable(q, perHead, d, key, kvs, count, sg, DECODE_KEYS);
            }
        }
        for (long r = 0; r < rows; r++) {
            const long p = (r % perHead) / group;
            update_row(avx512 ? 2 : avx2, s + r * DECODE_KEYS, n, j0, job->key_begin[p],
                       job->key_end[p], job->softcap, runningMax + r, runningSum + r, o + r * d, d);
        }
        for (long j = 0; j < n; j += 4) {
            const long count = n - j < 4 ? n - j : 4;
            if (fused) {
                const char *v = (const char *)job->values + (j0 + j) * kvs * elementBytes;
                const float *scales = int8 ? job->value_scales + (j0 + j) * perRow : NULL;
                for (long g = 0; g < job->kv_heads; g++)
                    pali_attention_values_keys4_compact_avx512(
                        int8, s + g * perHead * DECODE_KEYS + j, DECODE_KEYS, perHead, count,
                        v + g * d * elementBytes, kvs,
                        int8 ? scales + g * d / job->kv_block : NULL, perRow, DECODE_AHEAD_BYTES,
                        d, o + g * perHead * d);
                continue;
            }
            const float *v = decode_rows(job, job->values, job->value_scales, j0 + j, count, tile);
            for (long g = 0; g < job->kv_heads; g++) {
                const float *pg = s + g * perHead * DECODE_KEYS + j, *value = v + g * d;
                float *og = o + g * perHead * d;
                if (wide)
                    pali_attention_values_keys4_avx512(pg, DECODE_KEYS, perHead, count, value, kvs,
                                                       d, og);
                else if (avx2)
                    values_direct_avx2(pg, DECODE_KEYS, perHead, count, value, kvs, d, og);
                else
                    values_portable(pg, DECODE_KEYS, perHead, count, value, kvs, 8, d, og);
            }
        }
    }
}

void pali_attention_decode_merge(const PaliDecodeAttention *job, long parts,
                                 const float *partials) {
    const long d = job->head_dim, group = job->heads / job->kv_heads;
    const long perHead = job->positions * group, rows = job->kv_heads * perHead;
    const long size = pali_attention_decode_partial_floats(job);
    for (long r = 0; r < rows; r++) {
        const long g = r / perHead, p = (r % perHead) / group, i = r % group;
        float top = -INFINITY;
        for (long part = 0; part < parts; part++) {
            float m = partials[part * size + rows * d + r];
            if (m > top) top = m;
        }
        float *dst = job->out + p * job->out_stride + (g * group + i) * d;
        memset(dst, 0, (size_t)d * sizeof(float));
        float total = 0;
        for (long part = 0; part < parts; part++) {
            const float *base = partials + part * size;
            const float m = base[rows * d + r];
            if (m == -INFINITY) continue;  // this range held none of the row's keys
            const float weight = expf(m - top);
            total += base[rows * d + rows + r] * weight;
            for (long c = 0; c < d; c++) dst[c] += base[r * d + c] * weight;
        }
        const float inverse = 1 / total;
        for (long c = 0; c < d; c++) dst[c] *= inverse;
    }
}
