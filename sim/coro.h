#ifndef SLABSIM_SIM_CORO_H
#define SLABSIM_SIM_CORO_H
/*
 * Coroutines: one stack per simulated CPU, switched by hand.
 *
 * The engine interleaves simulated CPUs at every lock and yield, millions
 * of times per run, so a switch must cost a few instructions, not a system
 * call. On x86_64 and aarch64 a small assembly routine saves the
 * callee-saved registers (and the floating-point control state) on the
 * old stack and loads them from the new one. Other hosts fall back on
 * ucontext (makecontext/swapcontext), which is slower but portable.
 * Define CORO_UCONTEXT to force the fallback (tests use it to keep both
 * paths honest).
 *
 * Words:
 *   context   a place execution can be suspended in and resumed from: a
 *             coroutine, or the thread's own stack (coro_init_self).
 *   entry     the function a coroutine starts in; it must never return,
 *             it ends by switching away for good.
 */
#include <stddef.h>

#if defined(__x86_64__) && !defined(CORO_UCONTEXT)
#define CORO_ARCH_X86_64	1
#elif defined(__aarch64__) && !defined(CORO_UCONTEXT)
#define CORO_ARCH_AARCH64	1
#else
#define CORO_ARCH_UCONTEXT	1
#include <ucontext.h>
#endif

typedef void (*coro_fn)(void *arg);

struct coro {
	void *sp;		/* saved stack pointer while switched out */
	void *map;		/* guard page + stack, NULL for a thread context */
	size_t map_size;
	coro_fn fn;
	void *arg;
	unsigned int vg_id;	/* valgrind's name for the stack, if any */
	/* AddressSanitizer's view (coro.c): the stack's bounds (a thread
	 * context's learnt at its first switch) and its fake stack. */
	const void *stack_lo;
	size_t stack_len;
	void *fake_stack;
#ifdef CORO_ARCH_UCONTEXT
	ucontext_t uc;
#endif
};

/* Name of the switch implementation compiled in ("x86_64", ...). */
const char *coro_backend(void);

/* Make co stand for the calling thread's own stack; nothing to free. */
void coro_init_self(struct coro *co);

/*
 * Give co its own stack of stack_size bytes (rounded up to pages, plus a
 * guard page below it) that starts in fn(arg) the first time it is
 * switched to. Returns 0, or -1 with co left empty (safe to coro_free).
 */
int coro_create(struct coro *co, size_t stack_size, coro_fn fn, void *arg);

/* Release co's stack; co must not be running. */
void coro_free(struct coro *co);

/*
 * Suspend the running context into from and resume to. Returns when some
 * other context switches back to from.
 */
void coro_switch(struct coro *from, struct coro *to);

#endif /* SLABSIM_SIM_CORO_H */
