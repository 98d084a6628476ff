/*
 * Coroutines for the simulated CPUs; see coro.h for why they exist.
 */
#include "sim/coro.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* gcc says __SANITIZE_ADDRESS__, clang __has_feature(address_sanitizer). */
#if defined(__SANITIZE_ADDRESS__)
#define CORO_ASAN	1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CORO_ASAN	1
#endif
#endif

#ifdef CORO_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#include <sanitizer/lsan_interface.h>
#define CORO_UNPOISON(p, n)	ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define CORO_UNPOISON(p, n)	((void)(p), (void)(n))
#endif

/* Tell valgrind where our stacks are, or it takes each switch for a smash. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define CORO_HAVE_VALGRIND	1
#endif
#endif

/* ------------------------------------------------------------------ */
/* AddressSanitizer's fibers                                            */
/* ------------------------------------------------------------------ */

/*
 * AddressSanitizer keeps the bounds of the running stack; a switch it is
 * not told about makes it take the new stack for a wild region (false
 * reports, or a crash when it unwinds at a noreturn call). Every switch
 * is bracketed by __sanitizer_start_switch_fiber (before, naming the
 * stack about to run) and __sanitizer_finish_switch_fiber (after, on
 * the stack that now runs). A thread context's bounds are not ours to
 * know: the first finish after it switched away reports them, and they
 * are kept in its struct for every later switch back to it.
 * Without the sanitizer all of this compiles to nothing.
 */
#ifdef CORO_ASAN
static struct coro *coro_leaving;	/* the context that switched last */
static const void *lsan_thread_root;	/* thread stack made a root region */

static void fiber_start(struct coro *from, struct coro *to)
{
	__sanitizer_start_switch_fiber(&from->fake_stack, to->stack_lo,
				       to->stack_len);
	coro_leaving = from;
}

static void fiber_finish(struct coro *self)
{
	const void *lo;
	size_t len;

	__sanitizer_finish_switch_fiber(self->fake_stack, &lo, &len);
	if (coro_leaving && !coro_leaving->map) {
		coro_leaving->stack_lo = lo;
		coro_leaving->stack_len = len;
		/*
		 * While a coroutine runs, LeakSanitizer takes its stack for the
		 * thread's and scans only that: the thread's own stack (the
		 * run's state lives there) becomes a root of its own, once.
		 */
		if (lo != lsan_thread_root) {
			__lsan_register_root_region(lo, len);
			lsan_thread_root = lo;
		}
	}
}
#else
static inline void fiber_start(struct coro *from, struct coro *to)
{
	(void)from;
	(void)to;
}

static inline void fiber_finish(struct coro *self)
{
	(void)self;
}
#endif

/* Every coroutine starts here, on its own stack, before its entry. */
static void coro_entry(struct coro *co)
{
	fiber_finish(co);
	co->fn(co->arg);
}

/* ------------------------------------------------------------------ */
/* Stacks                                                               */
/* ------------------------------------------------------------------ */

/*
 * Stacks are mapped, not malloc'd: pages nobody touches cost nothing, and
 * the lowest page is left inaccessible so an overflow faults at once
 * instead of scribbling over the neighbouring CPU's stack.
 */
static size_t page_size(void)
{
	long sz = sysconf(_SC_PAGESIZE);

	return sz > 0 ? (size_t)sz : 4096;
}

/* Map guard + stack into co; returns the stack's top, or NULL (co empty). */
static void *stack_map(struct coro *co, size_t stack_size)
{
	size_t page = page_size();
	size_t size = (stack_size + page - 1) / page * page;
	void *map;

	if (size < 4 * page)
		size = 4 * page;
	map = mmap(NULL, size + page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (map == MAP_FAILED)
		return NULL;
	if (mprotect(map, page, PROT_NONE) != 0) {
		int err = errno;

		munmap(map, size + page);
		errno = err;
		return NULL;
	}
	/*
	 * A stack freed with live frames leaves AddressSanitizer's shadow
	 * poisoned; a new mapping at the same address must start clean.
	 */
	CORO_UNPOISON((char *)map + page, size);
	co->map = map;
	co->map_size = size + page;
	co->stack_lo = (char *)map + page;
	co->stack_len = size;
#ifdef CORO_ASAN
	/*
	 * LeakSanitizer scans thread stacks, not our mappings: an exit from
	 * inside a coroutine (a user error found while simulating) would
	 * report everything only its frames point to as leaked.
	 */
	__lsan_register_root_region(co->stack_lo, co->stack_len);
#endif
#ifdef CORO_HAVE_VALGRIND
	co->vg_id = VALGRIND_STACK_REGISTER((char *)map + page,
					    (char *)map + page + size);
#endif
	return (char *)map + size + page;
}

void coro_free(struct coro *co)
{
	if (co->map) {
#ifdef CORO_ASAN
		__lsan_unregister_root_region(co->stack_lo, co->stack_len);
#endif
#ifdef CORO_HAVE_VALGRIND
		VALGRIND_STACK_DEREGISTER(co->vg_id);
#endif
		munmap(co->map, co->map_size);
	}
	co->map = NULL;
	co->map_size = 0;
	co->sp = NULL;
}

void coro_init_self(struct coro *co)
{
	memset(co, 0, sizeof(*co));
}

#if defined(CORO_ARCH_X86_64)

/* ------------------------------------------------------------------ */
/* x86_64: the System V callee-saved set                                */
/* ------------------------------------------------------------------ */

/*
 * The frame a suspended context leaves on its stack, lowest address
 * first: mxcsr and the x87 control word (one 8-byte slot), r15, r14,
 * r13, r12, rbx, rbp, return address. A new coroutine gets a forged
 * frame whose return address is coro_boot, with coro_entry in r12 and
 * the coroutine in r13.
 */
void slabsim_coro_swap(void **save_sp, void *load_sp);
void slabsim_coro_boot(void);

__asm__(
	".text\n"
	".p2align 4\n"
	".globl slabsim_coro_swap\n"
	".hidden slabsim_coro_swap\n"
	".type slabsim_coro_swap, @function\n"
	"slabsim_coro_swap:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	subq $8, %rsp\n"
	"	stmxcsr (%rsp)\n"
	"	fnstcw 4(%rsp)\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	ldmxcsr (%rsp)\n"
	"	fldcw 4(%rsp)\n"
	"	addq $8, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size slabsim_coro_swap, .-slabsim_coro_swap\n"
	".p2align 4\n"
	".globl slabsim_coro_boot\n"
	".hidden slabsim_coro_boot\n"
	".type slabsim_coro_boot, @function\n"
	"slabsim_coro_boot:\n"
	"	movq %r13, %rdi\n"
	"	callq *%r12\n"
	"	ud2\n"
	".size slabsim_coro_boot, .-slabsim_coro_boot\n"
);

const char *coro_backend(void)
{
	return "x86_64";
}

int coro_create(struct coro *co, size_t stack_size, coro_fn fn, void *arg)
{
	uint64_t *top, *frame;

	memset(co, 0, sizeof(*co));
	top = stack_map(co, stack_size);
	if (!top)
		return -1;
	co->fn = fn;
	co->arg = arg;
	/*
	 * 10 slots below a 16-aligned top: after the 8 pops and the ret,
	 * rsp is top - 16, aligned as a call site needs before "callq".
	 */
	frame = top - 10;
	frame[0] = 0x1f80 | ((uint64_t)0x037f << 32);	/* power-on defaults */
	frame[1] = 0;				/* r15 */
	frame[2] = 0;				/* r14 */
	frame[3] = (uint64_t)(uintptr_t)co;	/* r13 */
	frame[4] = (uint64_t)(uintptr_t)coro_entry;	/* r12 */
	frame[5] = 0;				/* rbx */
	frame[6] = 0;				/* rbp */
	frame[7] = (uint64_t)(uintptr_t)slabsim_coro_boot;
	frame[8] = 0;
	frame[9] = 0;
	co->sp = frame;
	return 0;
}

void coro_switch(struct coro *from, struct coro *to)
{
	fiber_start(from, to);
	slabsim_coro_swap(&from->sp, to->sp);
	fiber_finish(from);
}

#elif defined(CORO_ARCH_AARCH64)

/* ------------------------------------------------------------------ */
/* aarch64: x19-x30, d8-d15 and fpcr                                    */
/* ------------------------------------------------------------------ */

/*
 * A suspended context's 176-byte frame: x19..x28 at 0..72, x29/x30 at
 * 80/88, d8..d15 at 96..152, fpcr at 160. A new coroutine's forged frame
 * returns (x30) into coro_boot with coro_entry in x19 and the coroutine
 * in x20.
 */
void slabsim_coro_swap(void **save_sp, void *load_sp);
void slabsim_coro_boot(void);

__asm__(
	".text\n"
	".p2align 4\n"
	".globl slabsim_coro_swap\n"
	".hidden slabsim_coro_swap\n"
	".type slabsim_coro_swap, %function\n"
	"slabsim_coro_swap:\n"
	"	sub sp, sp, #176\n"
	"	stp x19, x20, [sp, #0]\n"
	"	stp x21, x22, [sp, #16]\n"
	"	stp x23, x24, [sp, #32]\n"
	"	stp x25, x26, [sp, #48]\n"
	"	stp x27, x28, [sp, #64]\n"
	"	stp x29, x30, [sp, #80]\n"
	"	stp d8, d9, [sp, #96]\n"
	"	stp d10, d11, [sp, #112]\n"
	"	stp d12, d13, [sp, #128]\n"
	"	stp d14, d15, [sp, #144]\n"
	"	mrs x9, fpcr\n"
	"	str x9, [sp, #160]\n"
	"	mov x9, sp\n"
	"	str x9, [x0]\n"
	"	mov sp, x1\n"
	"	ldr x9, [sp, #160]\n"
	"	msr fpcr, x9\n"
	"	ldp x19, x20, [sp, #0]\n"
	"	ldp x21, x22, [sp, #16]\n"
	"	ldp x23, x24, [sp, #32]\n"
	"	ldp x25, x26, [sp, #48]\n"
	"	ldp x27, x28, [sp, #64]\n"
	"	ldp x29, x30, [sp, #80]\n"
	"	ldp d8, d9, [sp, #96]\n"
	"	ldp d10, d11, [sp, #112]\n"
	"	ldp d12, d13, [sp, #128]\n"
	"	ldp d14, d15, [sp, #144]\n"
	"	add sp, sp, #176\n"
	"	ret\n"
	".size slabsim_coro_swap, .-slabsim_coro_swap\n"
	".p2align 4\n"
	".globl slabsim_coro_boot\n"
	".hidden slabsim_coro_boot\n"
	".type slabsim_coro_boot, %function\n"
	"slabsim_coro_boot:\n"
	"	mov x0, x20\n"
	"	blr x19\n"
	"	brk #0\n"
	".size slabsim_coro_boot, .-slabsim_coro_boot\n"
);

const char *coro_backend(void)
{
	return "aarch64";
}

int coro_create(struct coro *co, size_t stack_size, coro_fn fn, void *arg)
{
	uint64_t *top, *frame;

	memset(co, 0, sizeof(*co));
	top = stack_map(co, stack_size);
	if (!top)
		return -1;
	co->fn = fn;
	co->arg = arg;
	frame = top - 22;			/* 176 bytes, sp stays 16-aligned */
	memset(frame, 0, 176);
	frame[0] = (uint64_t)(uintptr_t)coro_entry;	/* x19 */
	frame[1] = (uint64_t)(uintptr_t)co;	/* x20 */
	frame[11] = (uint64_t)(uintptr_t)slabsim_coro_boot;	/* x30 */
	co->sp = frame;
	return 0;
}

void coro_switch(struct coro *from, struct coro *to)
{
	fiber_start(from, to);
	slabsim_coro_swap(&from->sp, to->sp);
	fiber_finish(from);
}

#else

/* ------------------------------------------------------------------ */
/* Portable fallback: ucontext                                          */
/* ------------------------------------------------------------------ */

/*
 * makecontext passes only int arguments, so the coroutine's address is
 * split in two halves and put back together in the trampoline.
 */
static void coro_trampoline(unsigned int hi, unsigned int lo)
{
	uintptr_t p = ((uintptr_t)hi << 16 << 16) | (uintptr_t)lo;
	struct coro *co = (struct coro *)p;

	coro_entry(co);
	for (;;)
		;	/* fn must not return; there is nowhere to go */
}

const char *coro_backend(void)
{
	return "ucontext";
}

int coro_create(struct coro *co, size_t stack_size, coro_fn fn, void *arg)
{
	char *top;
	uintptr_t p = (uintptr_t)co;

	memset(co, 0, sizeof(*co));
	top = stack_map(co, stack_size);
	if (!top)
		return -1;
	co->fn = fn;
	co->arg = arg;
	if (getcontext(&co->uc) != 0) {
		coro_free(co);
		return -1;
	}
	co->uc.uc_stack.ss_sp = (char *)co->map + page_size();
	co->uc.uc_stack.ss_size = (size_t)(top - (char *)co->uc.uc_stack.ss_sp);
	co->uc.uc_link = NULL;
	makecontext(&co->uc, (void (*)(void))coro_trampoline, 2,
		    (unsigned int)(p >> 16 >> 16), (unsigned int)p);
	return 0;
}

void coro_switch(struct coro *from, struct coro *to)
{
	fiber_start(from, to);
	swapcontext(&from->uc, &to->uc);
	fiber_finish(from);
}

#endif
