/*
 * ack_tracker.c
 *		The ring of in-flight transactions (see ack_tracker.h).
 *
 * Memory is bounded by the producer's queue: a transaction enters the ring
 * only with its first event, and transactions without events merge into the
 * complete entry before them, so the ring never holds more entries than
 * there are unacknowledged events (plus one).
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "relay/ack_tracker.h"

#define INITIAL_CAPACITY 1024

void
ack_tracker_init(AckTracker *t)
{
	memset(t, 0, sizeof(*t));
	t->capacity = INITIAL_CAPACITY;
	t->ring = MemoryContextAllocZero(TopMemoryContext,
									 t->capacity * sizeof(TrackedTxn));
}

/* Forget everything in flight: the producer that owed the reports is gone. */
void
ack_tracker_reset(AckTracker *t)
{
	t->head_seq += t->count;
	t->count = 0;
	t->open = false;
	t->failed = false;
	t->in_flight = 0;
}

static TrackedTxn *
entry(AckTracker *t, uint64 seq)
{
	Assert(seq >= t->head_seq && seq < t->head_seq + t->count);
	return &t->ring[seq % t->capacity];
}

static void
grow(AckTracker *t)
{
	uint64		newcap = t->capacity * 2;
	TrackedTxn *ring = MemoryContextAllocZero(TopMemoryContext,
											  newcap * sizeof(TrackedTxn));

	for (uint64 seq = t->head_seq; seq < t->head_seq + t->count; seq++)
		ring[seq % newcap] = t->ring[seq % t->capacity];
	pfree(t->ring);
	t->ring = ring;
	t->capacity = newcap;
}

static TrackedTxn *
push(AckTracker *t)
{
	TrackedTxn *e;

	if (t->count == t->capacity)
		grow(t);
	t->count++;
	e = entry(t, t->head_seq + t->count - 1);
	memset(e, 0, sizeof(*e));
	return e;
}

/* An event of the current transaction is about to be produced. */
uint64
ack_tracker_add_event(AckTracker *t)
{
	if (!t->open)
	{
		push(t);
		t->open = true;
	}
	entry(t, t->head_seq + t->count - 1)->outstanding++;
	t->in_flight++;
	return t->head_seq + t->count - 1;
}

/* The decoder has emitted every event of the transaction ending at end_lsn. */
void
ack_tracker_end_txn(AckTracker *t, XLogRecPtr end_lsn)
{
	TrackedTxn *e;

	/*
	 * The newest entry is either this transaction (open) or a complete one,
	 * into which a transaction without events merges: confirming the later
	 * end LSN needs nothing more than confirming that entry.
	 */
	if (t->count > 0)
		e = entry(t, t->head_seq + t->count - 1);
	else
		e = push(t);
	Assert(e->end_lsn <= end_lsn);
	e->end_lsn = end_lsn;
	e->complete = true;
	t->open = false;
}

/* A delivery report: the single place where an event's fate is known. */
void
ack_tracker_delivered(AckTracker *t, uint64 seq, bool ok)
{
	if (!ok)
	{
		t->failed = true;
		return;
	}
	if (seq == ACK_UNTRACKED)
		return;					/* a heartbeat or an offsets record */
	Assert(entry(t, seq)->outstanding > 0);
	entry(t, seq)->outstanding--;
	t->in_flight--;
}

/*
 * Drop the acknowledged transactions at the head of the ring; returns the
 * end LSN of the last one dropped (InvalidXLogRecPtr if none), up to which
 * the slot may be confirmed.
 */
XLogRecPtr
ack_tracker_pop_acked(AckTracker *t)
{
	XLogRecPtr	acked = InvalidXLogRecPtr;

	if (t->failed)
		return acked;
	while (t->count > 0)
	{
		TrackedTxn *e = entry(t, t->head_seq);

		if (!e->complete || e->outstanding > 0)
			break;
		acked = e->end_lsn;
		t->head_seq++;
		t->count--;
	}
	return acked;
}
