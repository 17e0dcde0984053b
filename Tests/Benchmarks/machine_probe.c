// Measures this machine's limits for the comparison: OpenBLAS sgemm GFLOP/s on a
// vision-sized product and DRAM read bandwidth with a given number of threads (a plain read
// loop, and OpenBLAS sgemv streaming a matrix as a decode step streams weights).
// Build: cc -O3 -march=native -pthread machine_probe.c $(pkg-config --cflags --libs openblas)
// Usage: machine_probe THREADS   (OpenBLAS threads follow OPENBLAS_NUM_THREADS)
// Prints one JSON object: {"sgemm_gflops", "read_gb_per_s" (the higher of a plain 2-thread read
// loop and OpenBLAS sgemv over 2 GiB), "read_loop_gb_per_s", "sgemv_gb_per_s", "threads"}.
#include <cblas.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Best of 5 runs of C[m,n] = A[m,k] · B[k,n], the shape of SigLIP's MLP at 448 px.
static double sgemm_gflops(void) {
    const int m = 4096, n = 2304, k = 2304;
    float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * k * n);
    float *c = malloc(sizeof(float) * m * n);
    for (long i = 0; i < (long)m * k; i++) a[i] = (float)(i % 7) * 0.1f;
    for (long i = 0; i < (long)k * n; i++) b[i] = (float)(i % 5) * 0.1f;
    double best = 1e30;
    for (int r = 0; r < 5; r++) {
        double t = now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, b, n, 0, c, n);
        t = now() - t;
        if (t < best) best = t;
    }
    free(a), free(b), free(c);
    return 2.0 * m * n * k / best / 1e9;
}

struct slice { const double *data; long count; double sum; };

static void *read_slice(void *argument) {
    struct slice *s = argument;
    // Eight independent sums so the add latency does not bound the loads.
    double sum[8] = {0};
    for (long i = 0; i + 8 <= s->count; i += 8)
        for (int j = 0; j < 8; j++) sum[j] += s->data[i + j];
    s->sum = sum[0] + sum[1] + sum[2] + sum[3] + sum[4] + sum[5] + sum[6] + sum[7];
    return NULL;
}

// Best of 5 passes reading 2 GiB (far beyond the caches), split over `threads`.
static double read_bandwidth(int threads) {
    const long count = (2L << 30) / sizeof(double);
    double *data = malloc(sizeof(double) * count);
    for (long i = 0; i < count; i++) data[i] = 1.0;
    double best = 1e30, total = 0;
    pthread_t ids[64];
    struct slice slices[64];
    for (int r = 0; r < 5; r++) {
        double t = now();
        for (int i = 0; i < threads; i++) {
            slices[i] = (struct slice){data + count / threads * i, count / threads, 0};
            pthread_create(&ids[i], NULL, read_slice, &slices[i]);
        }
        for (int i = 0; i < threads; i++) {
            pthread_join(ids[i], NULL);
            total += slices[i].sum;
        }
        t = now() - t;
        if (t < best) best = t;
    }
    free(data);
    if (total < 0) printf("impossible\n");
    return sizeof(double) * (double)count / best / 1e9;
}

// Best of 5 OpenBLAS sgemv passes over a 2 GiB float32 matrix: the read rate a tuned streaming
// kernel reaches (often above the plain loop's, thanks to prefetching), as decoding reads weights.
static double sgemv_bandwidth(void) {
    const long rows = 32768, columns = 16384;
    float *a = malloc(sizeof(float) * rows * columns);
    float *x = malloc(sizeof(float) * columns), *y = malloc(sizeof(float) * rows);
    for (long i = 0; i < rows * columns; i++) a[i] = (float)(i % 3) * 0.5f;
    for (long i = 0; i < columns; i++) x[i] = 1.0f;
    double best = 1e30;
    for (int r = 0; r < 5; r++) {
        double t = now();
        cblas_sgemv(CblasRowMajor, CblasNoTrans, rows, columns, 1, a, columns, x, 1, 0, y, 1);
        t = now() - t;
        if (t < best) best = t;
    }
    free(a), free(x), free(y);
    return sizeof(float) * (double)rows * columns / best / 1e9;
}

int main(int argc, char **argv) {
    int threads = argc > 1 ? atoi(argv[1]) : 2;
    if (threads < 1 || threads > 64) {
        fprintf(stderr, "machine_probe: error: threads must be 1...64\n");
        return 1;
    }
    double gflops = sgemm_gflops();
    double loop = read_bandwidth(threads), gemv = sgemv_bandwidth();
    // The decode bound uses the higher of the two: the machine can read at least that fast.
    double bandwidth = loop > gemv ? loop : gemv;
    printf("{\"sgemm_gflops\": %.1f, \"read_gb_per_s\": %.1f, \"read_loop_gb_per_s\": %.1f, "
           "\"sgemv_gb_per_s\": %.1f, \"threads\": %d, \"blas_core\": \"%s\"}\n",
           gflops, bandwidth, loop, gemv, threads, openblas_get_corename());
    return 0;
}
