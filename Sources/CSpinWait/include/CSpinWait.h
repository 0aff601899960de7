// The few atomic operations the tensor core's worker pool needs, as C11 atomics (Swift's own
// `Atomic` needs macOS 15; this header builds everywhere). Nothing here blocks: waiting that
// should sleep uses a pthread condition variable on the Swift side.
#ifndef CSPINWAIT_H
#define CSPINWAIT_H
#include <stdatomic.h>

typedef struct { _Atomic long value; } spin_counter;

static inline long spin_load(spin_counter *c) { return atomic_load_explicit(&c->value, memory_order_acquire); }
static inline void spin_store(spin_counter *c, long v) { atomic_store_explicit(&c->value, v, memory_order_release); }
/// Adds `v` and returns the value before.
static inline long spin_add(spin_counter *c, long v) { return atomic_fetch_add_explicit(&c->value, v, memory_order_acq_rel); }

/// Sets the value from 0 to 1 if it is 0; true when this call did.
static inline _Bool spin_try_claim(spin_counter *c) {
    long expected = 0;
    return atomic_compare_exchange_strong_explicit(&c->value, &expected, 1, memory_order_acq_rel, memory_order_acquire);
}

/// A hint to the core that this is a spin loop (saves power, frees the sibling hyperthread).
static inline void spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
#endif
