/*
 * kafka_wait.c
 *		Blocking librdkafka calls made in slices (see kafka_wait.h).
 *
 * librdkafka documents its transactional calls as resumable: one that
 * returns a retriable error (a timeout among them) goes on in the background,
 * and calling it again picks it up.  A call given up for a shutdown is left
 * to librdkafka and the broker: an open Kafka transaction is aborted by the
 * coordinator or fenced by the next producer with our transactional.id.
 */
#include "postgres.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "miscadmin.h"
#include "postmaster/interrupt.h"
#include "storage/latch.h"
#include "storage/pmsignal.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "relay/kafka_wait.h"

/* Enough for a broker that answers to finish a call it has started. */
#define KAFKA_GRACE_MS 1000

bool
kafka_wait_stopped(void)
{
	return ShutdownRequestPending || !PostmasterIsAlive();
}

static TimestampTz
after_ms(int ms)
{
	return TimestampTzPlusMilliseconds(GetCurrentTimestamp(), ms);
}

/* Milliseconds left until deadline, at least 1 while any is left. */
static int
left_ms(TimestampTz deadline)
{
	TimestampTz now = GetCurrentTimestamp();

	return now >= deadline ? 0 : (int) Max(TimestampDifferenceMilliseconds(now, deadline), 1);
}

/* Sleep out the rest of a slice that ended early, so retries cannot spin. */
static void
pace(TimestampTz slice_start)
{
	long		rest = KAFKA_SLICE_MS -
		TimestampDifferenceMilliseconds(slice_start, GetCurrentTimestamp());

	if (rest <= 0)
		return;
	(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
					 rest, PG_WAIT_EXTENSION);
	ResetLatch(MyLatch);
}

rd_kafka_error_t *
kafka_wait_txn(rd_kafka_t *rk, KafkaTxnCall call, int timeout_ms)
{
	TimestampTz deadline = after_ms(timeout_ms);
	bool		graced = false;

	for (;;)
	{
		TimestampTz start = GetCurrentTimestamp();
		rd_kafka_error_t *e = call(rk, Min(KAFKA_SLICE_MS, Max(left_ms(deadline), 1)));

		if (e == NULL || !rd_kafka_error_is_retriable(e))
			return e;
		if (!graced && kafka_wait_stopped())
		{
			graced = true;
			deadline = Min(deadline, after_ms(KAFKA_GRACE_MS));
		}
		if (left_ms(deadline) == 0)
			return e;
		rd_kafka_error_destroy(e);
		pace(start);
	}
}

rd_kafka_event_t *
kafka_wait_event(rd_kafka_queue_t *q, int timeout_ms)
{
	TimestampTz deadline = after_ms(timeout_ms);

	for (;;)
	{
		rd_kafka_event_t *ev = rd_kafka_queue_poll(q, Min(KAFKA_SLICE_MS, left_ms(deadline)));

		if (ev != NULL || kafka_wait_stopped() || left_ms(deadline) == 0)
			return ev;
	}
}

typedef struct DestroyArgs
{
	rd_kafka_t *rk;
	int			flags;
} DestroyArgs;

static void *
destroy_main(void *arg)
{
	DestroyArgs a = *(DestroyArgs *) arg;

	free(arg);
	rd_kafka_destroy_flags(a.rk, a.flags);
	return NULL;
}

void
kafka_destroy(rd_kafka_t *rk, int flags)
{
	DestroyArgs *args = malloc(sizeof(DestroyArgs));
	sigset_t	all, old;
	pthread_t	thread;
	struct timespec until;
	int			rc;

	if (args == NULL)
	{
		rd_kafka_destroy_flags(rk, flags);
		return;
	}
	args->rk = rk;
	args->flags = flags;
	/* The thread runs no PostgreSQL code: it must take none of its signals. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&thread, NULL, destroy_main, args);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
	{
		free(args);
		rd_kafka_destroy_flags(rk, flags);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += KAFKA_DESTROY_MS / 1000;
	until.tv_nsec += (long) (KAFKA_DESTROY_MS % 1000) * 1000000;
	if (until.tv_nsec >= 1000000000)
	{
		until.tv_sec++;
		until.tv_nsec -= 1000000000;
	}
	if (pthread_timedjoin_np(thread, NULL, &until) == 0)
		return;
	pthread_detach(thread);
	ereport(LOG,
			(errmsg("pub_backoffice relay: a Kafka client did not close within %d ms and is left behind",
					KAFKA_DESTROY_MS)));
}
