/*
 * ack_tracker.h
 *		Which transactions Kafka has acknowledged completely, in commit order.
 *
 * The invariant the relay lives by: the slot may be confirmed up to the end
 * of a transaction only when every event of it and of every earlier
 * transaction has been acknowledged.  The tracker holds the transactions
 * still in flight in a ring, oldest first; each event carries its
 * transaction's sequence number to the delivery report.
 */
#ifndef PUB_ACK_TRACKER_H
#define PUB_ACK_TRACKER_H

#include "access/xlogdefs.h"

/* Sequence number of records that belong to no transaction (heartbeats). */
#define ACK_UNTRACKED UINT64_MAX

typedef struct TrackedTxn
{
	uint64		outstanding;	/* events produced, not yet acknowledged */
	XLogRecPtr	end_lsn;		/* end of its commit record, once complete */
	bool		complete;		/* every event has been produced */
} TrackedTxn;

typedef struct AckTracker
{
	TrackedTxn *ring;
	uint64		capacity;
	uint64		head_seq;		/* sequence number of the oldest entry */
	uint64		count;
	bool		open;			/* the newest entry still receives events */
	bool		failed;			/* a delivery failed: rewind to the slot */
	uint64		in_flight;		/* events awaiting acknowledgement */
} AckTracker;

extern void ack_tracker_init(AckTracker *t);
extern void ack_tracker_reset(AckTracker *t);
extern uint64 ack_tracker_add_event(AckTracker *t);
extern void ack_tracker_end_txn(AckTracker *t, XLogRecPtr end_lsn);
extern void ack_tracker_delivered(AckTracker *t, uint64 seq, bool ok);
extern XLogRecPtr ack_tracker_pop_acked(AckTracker *t);

static inline bool
ack_tracker_idle(const AckTracker *t)
{
	return t->count == 0;
}

#endif							/* PUB_ACK_TRACKER_H */
