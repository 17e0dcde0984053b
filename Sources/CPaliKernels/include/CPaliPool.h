// Fork-join for the engine's parallel steps: helper threads that stay awake between steps.
// A decode step hands work to the other cores a few hundred times (every product, attention);
// a parked thread takes tens of microseconds to wake on a virtual machine, as long as a
// core's share of a small product, so helpers spin a while for the next step before parking.
#ifndef CPALIPOOL_H
#define CPALIPOOL_H

/// One iteration of a parallel step: `task(context, i)`.
typedef void (*pali_pool_task)(void *context, long iteration);

/// Runs task(context, i) for every i in [0, iterations), on the calling thread and up to
/// `threads - 1` helpers, each taking the next iteration as it finishes one; returns when all
/// are done (1). Returns 0 at once, running nothing, when the pool is already running another
/// caller's step (nested or concurrent steps): the caller then runs the step its own way.
int pali_pool_run(long iterations, long threads, pali_pool_task task, void *context);

#endif
