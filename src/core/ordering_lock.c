/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ordering_lock.c -- the process-wide lock of the sparse orderings
 * (ordering_lock.h: METIS draws from the C library's one rand()). */
#include <pthread.h>

#include "hyperland/hyperland.h"
#include "ordering_lock.h"

static pthread_mutex_t ordering_mutex = PTHREAD_MUTEX_INITIALIZER;

void hl_ordering_lock(void) { pthread_mutex_lock(&ordering_mutex); }

void hl_ordering_unlock(void) { pthread_mutex_unlock(&ordering_mutex); }

/* the public face of the same lock (hyperland.h) */
void hl_orderings_hold(void) { hl_ordering_lock(); }

void hl_orderings_release(void) { hl_ordering_unlock(); }
