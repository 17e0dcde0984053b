// Many-row int8 products through oneDNN's matmul primitive, for CPUs with AMX: oneDNN runs
// them on the tile units (`tdpbusd`, `tdpbssd`), which palidoc's own kernels do not use.
// oneDNN returns the raw int32 sums Σ u·w; the offset correction and the scales are applied
// here with the own kernels' formula, so the outputs are bit for bit those of
// `pali_int8_gemm_u8s8_range` and `pali_int8_gemm_vnni_range`.
//
// The library is loaded on first use (`dlopen`), so the binary neither needs it nor pays for
// it where it is not used. oneDNN's OpenMP teams are kept to the calling thread: palidoc's own
// workers split the outputs as for every other product, one pool for the whole engine.
#include "CPaliOneDNN.h"

#include "CPaliKernels.h"
#include "u8_output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The calls below are oneDNN 2's C API (3 replaced its operation descriptors); other versions'
// headers build the fallback.
#if __has_include(<oneapi/dnnl/dnnl_version.h>)
#include <oneapi/dnnl/dnnl_version.h>
#endif

#if defined(DNNL_VERSION_MAJOR) && DNNL_VERSION_MAJOR == 2
#include <dlfcn.h>
#include <oneapi/dnnl/dnnl.h>
#include <pthread.h>

// The oneDNN (and OpenMP) entry points used, resolved from the loaded library.
#define DNNL_FUNCTIONS(X)                                                                       \
    X(dnnl_engine_create)                                                                       \
    X(dnnl_stream_create)                                                                       \
    X(dnnl_stream_destroy)                                                                      \
    X(dnnl_stream_wait)                                                                         \
    X(dnnl_memory_desc_init_by_strides)                                                         \
    X(dnnl_matmul_desc_init)                                                                    \
    X(dnnl_primitive_desc_create)                                                               \
    X(dnnl_primitive_desc_destroy)                                                              \
    X(dnnl_primitive_create)                                                                    \
    X(dnnl_primitive_destroy)                                                                   \
    X(dnnl_primitive_execute)                                                                   \
    X(dnnl_memory_create)                                                                       \
    X(dnnl_memory_destroy)                                                                      \
    X(dnnl_primitive_attr_create)                                                               \
    X(dnnl_primitive_attr_destroy)                                                              \
    X(dnnl_primitive_attr_set_post_ops)                                                         \
    X(dnnl_post_ops_create)                                                                     \
    X(dnnl_post_ops_destroy)                                                                    \
    X(dnnl_post_ops_append_sum)                                                                 \
    X(dnnl_get_effective_cpu_isa)                                                               \
    X(dnnl_version)

static struct {
#define FIELD(name) __typeof__(name) *name;
    DNNL_FUNCTIONS(FIELD)
#undef FIELD
    void (*omp_set_num_threads)(int);
    dnnl_engine_t engine;
    const char *failure;  // NULL once loaded
    char version[32];
} lib;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_failure[320];

static void load(void) {
    void *handle = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        snprintf(load_failure, sizeof load_failure, "%s", why ? why : "libdnnl.so.2 not found");
        lib.failure = load_failure;
        return;
    }
#define RESOLVE(name)                                                                           \
    if (!(lib.name = (__typeof__(name) *)dlsym(handle, #name))) {                               \
        snprintf(load_failure, sizeof load_failure, "libdnnl.so.2 lacks %s", #name);            \
        lib.failure = load_failure;                                                             \
        return;                                                                                 \
    }
    DNNL_FUNCTIONS(RESOLVE)
#undef RESOLVE
    // Present in OpenMP builds of oneDNN (Debian's); other runtimes need no setting.
    lib.omp_set_num_threads = (void (*)(int))dlsym(handle, "omp_set_num_threads");
    // oneDNN 2 takes AMX from the cpuid bits and XCR0 alone. Where palidoc finds the tiles
    // unusable (no tile palette, or the kernel refusing the tile state) the first tile
    // instruction would fault, so oneDNN stops below them; it must hear this before its first
    // primitive. The call would override a limit the user set in the environment, which is
    // left to rule; builds without the setting ignore it.
    dnnl_status_t (*set_max_isa)(dnnl_cpu_isa_t) =
        (dnnl_status_t (*)(dnnl_cpu_isa_t))dlsym(handle, "dnnl_set_max_cpu_isa");
    if (set_max_isa && !(pali_isa_detected() & PALI_ISA_AMX) && !getenv("DNNL_MAX_CPU_ISA") &&
        !getenv("ONEDNN_MAX_CPU_ISA"))
        set_max_isa(dnnl_cpu_isa_avx512_core_bf16);
    if (lib.dnnl_engine_create(&lib.engine, dnnl_cpu, 0) != dnnl_success) {
        snprintf(load_failure, sizeof load_failure, "oneDNN could not create a CPU engine");
        lib.failure = load_failure;
        return;
    }
    const dnnl_version_t *v = lib.dnnl_version();
    snprintf(lib.version, sizeof lib.version, "%d.%d.%d", v->major, v->minor, v->patch);
}

const char *pali_onednn_failure(void) {
    pthread_once(&load_once, load);
    return lib.failure;
}

const char *pali_onednn_version(void) {
    return pali_onednn_failure() ? "" : lib.version;
}

const char *pali_onednn_isa(void) {
    if (pali_onednn_failure()) return "";
    switch (lib.dnnl_get_effective_cpu_isa()) {
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
    case dnnl_cpu_isa_avx2: return "avx2";
    default: return "other";
    }
}

// Whether oneDNN's instruction set includes every feature of `isa` (its values are bit sets).
static int runs_at_least(dnnl_cpu_isa_t isa) {
    return !pali_onednn_failure() && (lib.dnnl_get_effective_cpu_isa() & isa) == isa;
}

int pali_onednn_runs_amx(void) { return runs_at_least(dnnl_cpu_isa_avx512_core_amx); }

int pali_onednn_sums_exactly(void) { return runs_at_least(dnnl_cpu_isa_avx512_core_vnni); }

int pali_onednn_runs_bf16(void) { return runs_at_least(dnnl_cpu_isa_avx512_core_bf16); }

// Rows per int8 call come in multiples of ROW_BLOCK (oneDNN's int8 kernels run a product of
// 256 + 3 rows faster as two calls than as one), as many as keep a call's int32 sums within
// SUMS_BYTES (each call packs the weights for oneDNN's kernels again, so fewer calls pack
// less), then one call for the rows left over.
#define ROW_BLOCK 256
#define SUMS_BYTES (16L << 20)

// The most rows of a call whose sums are `planes` int32 [rows, width].
static long most_rows(long width, long planes) {
    long most = SUMS_BYTES / (4 * width * planes) / ROW_BLOCK * ROW_BLOCK;
    return most > ROW_BLOCK ? most : ROW_BLOCK;
}

// The rows of the next call with `left` rows to go.
static long call_rows(long left, long most) {
    if (left < ROW_BLOCK) return left;
    long aligned = left / ROW_BLOCK * ROW_BLOCK;
    return aligned < most ? aligned : most;
}

#define CACHED_SHAPES 48

// One matmul shape: sums[m, n] = src[m, k] (row-major) · w[n, k]ᵀ (row-major, rows k apart),
// the result's rows ldc apart; with `accumulate`, added to what the result holds.
typedef struct {
    long m, n, k, ldc;
    dnnl_data_type_t src, weights, dst;
    int accumulate;
} shape;

typedef struct {
    shape shape;
    dnnl_primitive_t primitive;
} cached_primitive;

// Each calling thread's stream, primitives and sums buffer: no locks, and no primitive is
// ever executed by two threads at once.
typedef struct {
    dnnl_stream_t stream;
    cached_primitive cache[CACHED_SHAPES];
    int cached;
    int32_t *sums;
    long sums_capacity;
} thread_state;

static pthread_key_t state_key;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;

static void free_state(void *p) {
    thread_state *s = p;
    for (int i = 0; i < s->cached; i++) lib.dnnl_primitive_destroy(s->cache[i].primitive);
    if (s->stream) lib.dnnl_stream_destroy(s->stream);
    free(s->sums);
    free(s);
}

static void make_key(void) { pthread_key_create(&state_key, free_state); }

static thread_state *state(void) {
    pthread_once(&key_once, make_key);
    thread_state *s = pthread_getspecific(state_key);
    if (s) return s;
    if (!(s = calloc(1, sizeof *s))) return NULL;
    if (lib.dnnl_stream_create(&s->stream, lib.engine, dnnl_stream_default_flags) !=
        dnnl_success) {
        free(s);
        return NULL;
    }
    if (lib.omp_set_num_threads) lib.omp_set_num_threads(1);
    pthread_setspecific(state_key, s);
    return s;
}

static int32_t *sums_buffer(thread_state *s, long count) {
    if (count > s->sums_capacity) {
        free(s->sums);
        s->sums = aligned_alloc(64, (size_t)(count * 4 + 63) / 64 * 64);
        s->sums_capacity = s->sums ? count : 0;
    }
    return s->sums;
}

static int same_shape(const shape *a, const shape *b) {
    return a->m == b->m && a->n == b->n && a->k == b->k && a->ldc == b->ldc &&
           a->src == b->src && a->weights == b->weights && a->dst == b->dst &&
           a->accumulate == b->accumulate;
}

// The three memory descriptors of a shape; 0 on success.
static int describe(const shape *sh, dnnl_memory_desc_t *a, dnnl_memory_desc_t *w,
                    dnnl_memory_desc_t *c) {
    dnnl_dims_t adims = {sh->m, sh->k}, astrides = {sh->k, 1};
    dnnl_dims_t wdims = {sh->k, sh->n}, wstrides = {1, sh->k};
    dnnl_dims_t cdims = {sh->m, sh->n}, cstrides = {sh->ldc, 1};
    return lib.dnnl_memory_desc_init_by_strides(a, 2, adims, sh->src, astrides) != dnnl_success ||
           lib.dnnl_memory_desc_init_by_strides(w, 2, wdims, sh->weights, wstrides) !=
               dnnl_success ||
           lib.dnnl_memory_desc_init_by_strides(c, 2, cdims, sh->dst, cstrides) != dnnl_success;
}

// The matmul primitive of a shape, created once per shape and thread.
static dnnl_primitive_t matmul(thread_state *s, const shape *sh) {
    for (int i = 0; i < s->cached; i++)
        if (same_shape(&s->cache[i].shape, sh)) return s->cache[i].primitive;
    dnnl_memory_desc_t a, w, c;
    dnnl_matmul_desc_t desc;
    if (describe(sh, &a, &w, &c) ||
        lib.dnnl_matmul_desc_init(&desc, &a, &w, NULL, &c) != dnnl_success)
        return NULL;
    dnnl_primitive_attr_t attr = NULL;
    dnnl_post_ops_t post_ops = NULL;
    if (sh->accumulate &&
        (lib.dnnl_primitive_attr_create(&attr) != dnnl_success ||
         lib.dnnl_post_ops_create(&post_ops) != dnnl_success ||
         lib.dnnl_post_ops_append_sum(post_ops, 1.0f) != dnnl_success ||
         lib.dnnl_primitive_attr_set_post_ops(attr, post_ops) != dnnl_success)) {
        if (post_ops) lib.dnnl_post_ops_destroy(post_ops);
        if (attr) lib.dnnl_primitive_attr_destroy(attr);
        return NULL;
    }
    dnnl_primitive_desc_t pd = NULL;
    dnnl_primitive_t p = NULL;
    if (lib.dnnl_primitive_desc_create(&pd, &desc, attr, lib.engine, NULL) == dnnl_success) {
        if (lib.dnnl_primitive_create(&p, pd) != dnnl_success) p = NULL;
        lib.dnnl_primitive_desc_destroy(pd);
    }
    if (post_ops) lib.dnnl_post_ops_destroy(post_ops);
    if (attr) lib.dnnl_primitive_attr_destroy(attr);
    if (!p) return NULL;
    if (s->cached == CACHED_SHAPES) {  // the oldest shape makes room
        lib.dnnl_primitive_destroy(s->cache[0].primitive);
        memmove(s->cache, s->cache + 1, (CACHED_SHAPES - 1) * sizeof s->cache[0]);
        s->cached--;
    }
    s->cache[s->cached++] = (cached_primitive){*sh, p};
    return p;
}

// Runs a shape's matmul on the given buffers; 0 on success.
static int run(thread_state *s, const shape *sh, const void *src, const void *w, void *dst) {
    dnnl_primitive_t p = matmul(s, sh);
    dnnl_memory_desc_t a, wd, c;
    if (!p || describe(sh, &a, &wd, &c)) return -1;
    dnnl_memory_t ma = NULL, mw = NULL, mc = NULL;
    int status = -1;
    if (lib.dnnl_memory_create(&ma, &a, lib.engine, (void *)src) == dnnl_success &&
        lib.dnnl_memory_create(&mw, &wd, lib.engine, (void *)w) == dnnl_success &&
        lib.dnnl_memory_create(&mc, &c, lib.engine, dst) == dnnl_success) {
        dnnl_exec_arg_t args[3] = {
            {DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mw}, {DNNL_ARG_DST, mc}};
        if (lib.dnnl_primitive_execute(p, s->stream, 3, args) == dnnl_success &&
            lib.dnnl_stream_wait(s->stream) == dnnl_success)
            status = 0;
    }
    if (ma) lib.dnnl_memory_destroy(ma);
    if (mw) lib.dnnl_memory_destroy(mw);
    if (mc) lib.dnnl_memory_destroy(mc);
    return status;
}

// An int8 product's shape for m rows of `src` type, its int32 sums dense.
static shape int8_shape(long m, long width, long k, dnnl_data_type_t src) {
    return (shape){m, width, k, width, src, dnnl_s8, dnnl_s32, 0};
}

int pali_onednn_u8s8_range(const int8_t *w, const float *wscales, const int32_t *wsums,
                           const uint8_t *u, const float *qscales, float *out, long rows, long n,
                           long k, long first, long end) {
    if (pali_onednn_failure()) return -1;
    if (rows <= 0 || end <= first) return 0;
    thread_state *s = state();
    const long width = end - first;
    const long most = most_rows(width, 1);
    int32_t *sums = s ? sums_buffer(s, most * width) : NULL;
    if (!sums) return -1;
    for (long r0 = 0, m; r0 < rows; r0 += m) {
        m = call_rows(rows - r0, most);
        shape sh = int8_shape(m, width, k, dnnl_u8);
        if (run(s, &sh, u + r0 * k, w + first * k, sums)) return -1;
        for (long r = 0; r < m; r++)
            for (long j = 0; j < width; j++)
                out[(r0 + r) * n + first + j] = pali_u8_output(
                    sums[r * width + j], wsums[first + j], wscales[first + j], qscales[r0 + r]);
    }
    return 0;
}

int pali_onednn_int16_range(const int8_t *w, const float *wscales, const int8_t *high,
                            const uint8_t *low, const float *qscales, float *out, long rows,
                            long n, long k, long first, long end) {
    if (pali_onednn_failure()) return -1;
    if (rows <= 0 || end <= first) return 0;
    thread_state *s = state();
    const long width = end - first;
    const long most = most_rows(width, 2);
    int32_t *sums = s ? sums_buffer(s, 2 * most * width) : NULL;
    if (!sums) return -1;
    int32_t *high_sums = sums, *low_sums = sums + most * width;
    for (long r0 = 0, m; r0 < rows; r0 += m) {
        m = call_rows(rows - r0, most);
        shape high_shape = int8_shape(m, width, k, dnnl_s8);
        shape low_shape = int8_shape(m, width, k, dnnl_u8);
        if (run(s, &high_shape, high + r0 * k, w + first * k, high_sums) ||
            run(s, &low_shape, low + r0 * k, w + first * k, low_sums))
            return -1;
        for (long r = 0; r < m; r++)
            for (long j = 0; j < width; j++) {
                // q = 256 · high + low, so Σ q·w = 256 · Σ high·w + Σ low·w, exactly in 64 bits;
                // then as pali_int8_gemm_vnni_range.
                long i = r * width + j;
                int64_t exact = 256 * (int64_t)high_sums[i] + (int64_t)low_sums[i];
                out[(r0 + r) * n + first + j] =
                    (float)exact * (wscales[first + j] * qscales[r0 + r]);
            }
    }
    return 0;
}

int pali_onednn_bf16_range(const uint16_t *w, const uint16_t *high, const uint16_t *low,
                           float *out, long rows, long n, long k, long first, long end) {
    if (pali_onednn_failure()) return -1;
    if (rows <= 0 || end <= first) return 0;
    thread_state *s = state();
    if (!s) return -1;
    // out = high · wᵀ, then += low · wᵀ: written in place, rows n apart, all rows in one call
    // (unlike int8, oneDNN's bf16 kernels run 256 + 3 rows slower as two calls).
    shape first_part = {rows, end - first, k, n, dnnl_bf16, dnnl_bf16, dnnl_f32, 0};
    shape second_part = first_part;
    second_part.accumulate = 1;
    if (run(s, &first_part, high, w + first * k, out + first) ||
        run(s, &second_part, low, w + first * k, out + first))
        return -1;
    return 0;
}

#else  // built without oneDNN 2's headers

const char *pali_onednn_failure(void) {
    return "palidoc was built without oneDNN 2's headers (Debian: libdnnl-dev)";
}
const char *pali_onednn_version(void) { return ""; }
const char *pali_onednn_isa(void) { return ""; }
int pali_onednn_runs_amx(void) { return 0; }
int pali_onednn_sums_exactly(void) { return 0; }
int pali_onednn_runs_bf16(void) { return 0; }

int pali_onednn_u8s8_range(const int8_t *w, const float *wscales, const int32_t *wsums,
                           const uint8_t *u, const float *qscales, float *out, long rows, long n,
                           long k, long first, long end) {
    return -1;
}

int pali_onednn_int16_range(const int8_t *w, const float *wscales, const int8_t *high,
                            const uint8_t *low, const float *qscales, float *out, long rows,
                            long n, long k, long first, long end) {
    return -1;
}

int pali_onednn_bf16_range(const uint16_t *w, const uint16_t *high, const uint16_t *low,
                           float *out, long rows, long n, long k, long first, long end) {
    return -1;
}

#endif

void pali_int16_quantize_bytes(const float *a, long k, long first, long end, int8_t *high,
                               uint8_t *low, float *scales) {
    int16_t q[k];  // one row in column order
    for (long r = first; r < end; r++) {
        scales[r] = pali_int16_quantize_row(a + r * k, k, q);
        for (long p = 0; p < k; p++) {
            high[r * k + p] = (int8_t)(q[p] >> 8);  // arithmetic shift: q = 256 · high + low
            low[r * k + p] = (uint8_t)(q[p] & 0xFF);
        }
    }
}
