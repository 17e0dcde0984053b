// The helper threads behind pali_pool_run. Each helper has a mailbox the caller writes a step
// into (then bumps its generation); the helper claims the step, runs iterations of it until
// none are left and signs the mailbox done. Between steps it spins on its mailbox for
// SPIN_NS, then parks on a condition variable; the caller wakes only helpers that parked, and
// once its own iterations run out it withdraws the step from helpers that have not claimed it
// yet, so a helper still waking never delays the step.
#include "CPaliPool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define RELAX() _mm_pause()
#else
#define RELAX() ((void)0)
#endif

#define MAX_HELPERS 63
// How long a helper waits awake for the next step: longer than the serial work between a
// decode step's products (norms, RoPE, a row's activations), far shorter than a thread's
// time slice, so the spin never holds a core from other work for long.
#define SPIN_NS 200000L

struct step {
    pali_pool_task task;
    void *context;
    long iterations;
    atomic_long next;  // the next iteration to take
};

struct mailbox {
    atomic_long generation;  // bumped by the caller for each step it posts
    atomic_long done;        // the generation whose iterations this helper has finished
    atomic_long claim;       // for generation g: 3g posted, 3g + 1 claimed, 3g + 2 withdrawn
    atomic_int parked;       // 1 while the helper waits on `wake`
    struct step *_Atomic step;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

static struct mailbox helpers[MAX_HELPERS];
static atomic_int started;                  // helpers running; grows under start_lock
static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int busy;                     // 1 while a caller runs a step

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void run_iterations(struct step *step) {
    for (;;) {
        long i = atomic_fetch_add(&step->next, 1);
        if (i >= step->iterations) return;
        step->task(step->context, i);
    }
}

static void *helper_main(void *argument) {
    struct mailbox *box = argument;
    long seen = 0;
    for (;;) {
        long start = now_ns();
        for (int polls = 0; atomic_load(&box->generation) == seen; polls++) {
            RELAX();
            if ((polls & 63) != 63) continue;
            // Where other threads wait for this core (another process's, or more threads
            // than cores), they take it now: spinning never holds a core someone needs.
            sched_yield();
            if (now_ns() - start > SPIN_NS) {
                pthread_mutex_lock(&box->lock);
                atomic_store(&box->parked, 1);
                while (atomic_load(&box->generation) == seen) pthread_cond_wait(&box->wake, &box->lock);
                atomic_store(&box->parked, 0);
                pthread_mutex_unlock(&box->lock);
            }
        }
        seen = atomic_load(&box->generation);
        long posted = 3 * seen;
        if (!atomic_compare_exchange_strong(&box->claim, &posted, 3 * seen + 1)) continue;
        run_iterations(atomic_load(&box->step));
        atomic_store(&box->done, seen);
    }
    return NULL;
}

// Starts helpers up to `count`; false when a thread cannot be created.
static int ensure_helpers(int count) {
    if (count <= started) return 1;
    pthread_mutex_lock(&start_lock);
    while (started < count) {
        struct mailbox *box = &helpers[started];
        pthread_mutex_init(&box->lock, NULL);
        pthread_cond_init(&box->wake, NULL);
        pthread_t thread;
        if (pthread_create(&thread, NULL, helper_main, box) != 0) break;
        pthread_detach(thread);
        started++;
    }
    int enough = started >= count;
    pthread_mutex_unlock(&start_lock);
    return enough;
}

int pali_pool_run(long iterations, long threads, pali_pool_task task, void *context) {
    if (iterations <= 0) return 1;
    long wanted = (threads < iterations ? threads : iterations) - 1;
    if (wanted > MAX_HELPERS) wanted = MAX_HELPERS;
    if (wanted <= 0) {
        for (long i = 0; i < iterations; i++) task(context, i);
        return 1;
    }
    int expected = 0;
    if (!atomic_compare_exchange_strong(&busy, &expected, 1)) return 0;
    if (!ensure_helpers((int)wanted)) {
        atomic_store(&busy, 0);
        return 0;
    }
    struct step step = {task, context, iterations, 0};
    long generations[MAX_HELPERS];
    for (long h = 0; h < wanted; h++) {
        struct mailbox *box = &helpers[h];
        atomic_store(&box->step, &step);
        generations[h] = atomic_load(&box->generation) + 1;
        atomic_store(&box->claim, 3 * generations[h]);
        atomic_store(&box->generation, generations[h]);
        // Sequentially consistent with the helper's `parked` store and generation check: a
        // helper about to park either sees the new generation or is seen parked and woken.
        if (atomic_load(&box->parked)) {
            pthread_mutex_lock(&box->lock);
            pthread_cond_signal(&box->wake);
            pthread_mutex_unlock(&box->lock);
        }
    }
    run_iterations(&step);
    // The step lives on this stack: a helper that claimed it must be done with it before this
    // returns; one that has not is withdrawn from it.
    for (long h = 0; h < wanted; h++) {
        long posted = 3 * generations[h];
        if (atomic_compare_exchange_strong(&helpers[h].claim, &posted, posted + 2)) continue;
        for (int polls = 1; atomic_load(&helpers[h].done) != generations[h]; polls++) {
            RELAX();
            if ((polls & 63) == 0) sched_yield();  // the helper may wait for this core
        }
    }
    atomic_store(&busy, 0);
    return 1;
}
