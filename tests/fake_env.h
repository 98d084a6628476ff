/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SLABSIM_TESTS_FAKE_ENV_H
#define SLABSIM_TESTS_FAKE_ENV_H
/*
 * A small, obvious implementation of alloc/env.h for unit tests, in the
 * spirit of Linux tools/testing: it records what the slab core does
 * (pages handed out, locks taken, log lines) and lets a test steer it
 * (current CPU, jiffies, timers, RCU, page allocation failures).
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>

#include "alloc/env.h"

struct fake_config {
	const struct arch_profile *arch;	/* NULL: x86_64 */
	int cpus;				/* default 1 */
	int nodes;				/* default 1; CPUs split evenly */
	unsigned long mem_mb;			/* default 64 (all nodes) */
	unsigned int hz;			/* default 250 */
	bool debug;				/* slab_set_debug */
};

extern const struct arch_profile fake_arch_x86_64;
extern const struct arch_profile fake_arch_i386;

/*
 * Builds the machine, boots the slab core on CPU 0 (kmem_cache_init),
 * brings the other CPUs up through cpuup_callback and starts the reap
 * timers (cpucache_init). fake_teardown() frees it all.
 */
void fake_boot(const struct fake_config *cfg);
/* Only the machine, for tests that boot the core themselves. */
void fake_machine(const struct fake_config *cfg);
void fake_teardown(void);

/* CPUs */
void fake_set_cpu(int cpu);
int fake_cpu(void);
void fake_set_cpu_online(int cpu, bool online);
/* What slab_node() answers for a task with PF_MEMPOLICY (-1: local). */
void fake_set_mempolicy_node(int node);

/* Pages: counts of what the page allocator did. */
unsigned long fake_pages_in_use(void);
unsigned long fake_page_allocs(void);	/* calls that succeeded */
unsigned long fake_page_frees(void);
unsigned long fake_pages_in_use_node(int node);
long fake_nr_slab(void);
/* The nth alloc_pages_node call from now (1 = the next) fails. */
void fake_fail_page_alloc(unsigned long nth);

/* Locks: acquisitions of one class ("&parent->list_lock"...). */
unsigned long fake_lock_count(const char *class_name);
int fake_locks_held(void);

/* Time and deferred work. */
void fake_set_jiffies(unsigned long j);
/* Runs due delayed work in time order, then sets jiffies to j. */
void fake_run_timers_until(unsigned long j);
int fake_pending_work(void);
/* Runs every queued RCU callback (a grace period). */
void fake_rcu_grace_period(void);
int fake_rcu_pending(void);

/* Kernel log. */
bool fake_log_contains(const char *needle);
const char *fake_log(void);
void fake_log_clear(void);
unsigned long fake_warn_count(void);

/* Memory traffic seen by the fake. */
unsigned long fake_touch_count(void);

/* What slab_colouring() answers for every cache (true until set). */
void fake_set_colouring(bool on);

/*
 * BUG and panic longjmp here when armed; FAKE_EXPECT_BUG(stmt) is true
 * when stmt hit a BUG (or panic). Unarmed, a BUG fails the test.
 */
extern jmp_buf *fake_bug_jmp;
extern char fake_bug_what[256];
#define FAKE_EXPECT_BUG(stmt)						\
	({								\
		jmp_buf __jb;						\
		volatile bool __hit = false;				\
		fake_bug_jmp = &__jb;					\
		if (setjmp(__jb) == 0) {				\
			stmt;						\
		} else {						\
			__hit = true;					\
		}							\
		fake_bug_jmp = NULL;					\
		__hit;							\
	})
/* After a longjmp out of the core, locks and irq state are reset. */
void fake_recover_after_bug(void);

/* A seq_file whose text the test reads. */
struct seq_file *fake_seq_new(void);
const char *fake_seq_text(struct seq_file *m);
void fake_seq_free(struct seq_file *m);

#endif /* SLABSIM_TESTS_FAKE_ENV_H */
