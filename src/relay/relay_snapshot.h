/*
 * relay_snapshot.h
 *		The rows of the captured tables in the current transaction's snapshot,
 *		as op "r" records, with progress in pub.relay_status.
 */
#ifndef PUB_RELAY_SNAPSHOT_H
#define PUB_RELAY_SNAPSHOT_H

#include "decoder/decoder.h"

/*
 * Render every row of every captured table (options: the decoder's) to
 * sink; lsn is the snapshot's position (the slot's consistent point).
 */
extern void relay_snapshot_tables(List *options, XLogRecPtr lsn,
								  DecoderRecordSink sink, void *sink_arg);

#endif							/* PUB_RELAY_SNAPSHOT_H */
