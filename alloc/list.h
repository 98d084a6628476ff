/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SLABSIM_ALLOC_LIST_H
#define SLABSIM_ALLOC_LIST_H
/*
 * Doubly linked lists in simulated memory (include/linux/list.h, reshaped).
 *
 * The slab keeps its lists (slabs_full/partial/free, the cache chain)
 * inside simulated memory, where a link must be a pa_t so that the
 * structures have the simulated architecture's size and no host address
 * lands in the arena. The operations still take and return host pointers,
 * converting with __va/__pa at the edges, so slab.c reads like the kernel.
 * A zeroed list_head (both links 0) is "never initialised", which
 * alloc_kmemlist uses to tell a cache that is not yet on the chain.
 */
#include "env.h"

struct list_head {
	pa_t next, prev;
};

/*
 * Every step along a list ticks the soft lockup watchdog, and a cleared
 * link (an entry unlinked twice) is list corruption, not a host crash.
 */
static inline struct list_head *list_next(const struct list_head *head)
{
	if (unlikely(!head->next))
		env_list_corruption(head);
	lockup_tick();
	return __va(head->next);
}

static inline struct list_head *list_prev(const struct list_head *head)
{
	if (unlikely(!head->prev))
		env_list_corruption(head);
	return __va(head->prev);
}

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = __pa(list);
	list->prev = __pa(list);
}

/* Link new between two known consecutive entries. */
static inline void __list_add(struct list_head *new, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = __pa(new);
	new->next = __pa(next);
	new->prev = __pa(prev);
	prev->next = __pa(new);
}

/* Insert new right after head (a stack push). */
static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, list_next(head));
}

/* Insert new right before head (a queue append). */
static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__list_add(new, list_prev(head), head);
}

/*
 * Unlink entry. Its links are cleared (the kernel poisons them), so a
 * second list_del of the same entry is caught as list corruption.
 */
static inline void list_del(struct list_head *entry)
{
	struct list_head *next = list_next(entry);
	struct list_head *prev = list_prev(entry);

	next->prev = __pa(prev);
	prev->next = __pa(next);
	entry->next = 0;
	entry->prev = 0;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == __pa(head);
}

/* Move all entries of list to the front of head; list is left stale. */
static inline void list_splice(struct list_head *list, struct list_head *head)
{
	struct list_head *first, *last, *at;

	if (list_empty(list))
		return;
	first = list_next(list);
	last = list_prev(list);
	at = list_next(head);
	first->prev = __pa(head);
	head->next = __pa(first);
	last->next = __pa(at);
	at->prev = __pa(last);
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)

#define list_for_each(pos, head) \
	for ((pos) = list_next(head); (pos) != (head); (pos) = list_next(pos))

#define list_for_each_entry(pos, head, member)				\
	for ((pos) = list_entry(list_next(head), __typeof__(*(pos)), member); \
	     &(pos)->member != (head);					\
	     (pos) = list_entry(list_next(&(pos)->member),		\
				__typeof__(*(pos)), member))

#endif /* SLABSIM_ALLOC_LIST_H */
