/*
 * slot_stream.h
 *		The relay's logical replication slot, decoded in-process with the
 *		pub_backoffice output plugin (as logicalfuncs.c and the walsender do).
 */
#ifndef PUB_SLOT_STREAM_H
#define PUB_SLOT_STREAM_H

#include "access/xlogdefs.h"
#include "nodes/pg_list.h"

typedef enum SlotAcquireResult
{
	SLOT_ACQUIRED,
	SLOT_CREATED,				/* new, without a snapshot */
	SLOT_MISSING,				/* not created: see slot_stream_create_exported */
	SLOT_BUSY					/* active in another process: wait */
} SlotAcquireResult;

/* Acquire the slot, creating it with our plugin if missing and create. */
extern SlotAcquireResult slot_stream_acquire(const char *name, bool create);

/*
 * Create the slot, ephemeral, and import the snapshot of its consistent
 * point (returned) into the current repeatable read transaction, which must
 * have taken no snapshot yet.  slot_stream_persist() makes the slot
 * permanent once the snapshot's rows are safely out.
 */
extern XLogRecPtr slot_stream_create_exported(const char *name);
extern void slot_stream_persist(void);

/* Start decoding at the slot's confirmed position; options are DefElems. */
extern void slot_stream_start(List *options);
extern void slot_stream_stop(void);

/*
 * Decode WAL up to the flush position, at most max_records WAL records,
 * stopping early when *stop becomes true.  Returns true if WAL remains.
 */
extern bool slot_stream_read(int max_records, const bool *stop);

/* Position up to which every WAL record has been decoded. */
extern XLogRecPtr slot_stream_decoded_upto(void);
extern XLogRecPtr slot_stream_confirmed(void);

/*
 * Confirm the slot up to lsn and, at most every save_interval_ms (0: now),
 * write it to disk so the position survives a crash.
 */
extern void slot_stream_confirm(XLogRecPtr lsn, int save_interval_ms);

#endif							/* PUB_SLOT_STREAM_H */
