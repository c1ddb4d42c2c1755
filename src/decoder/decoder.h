/*
 * decoder.h
 *		The Debezium-compatible logical decoding output plugin.
 *
 * Used two ways: as an ordinary output plugin (SQL functions,
 * pg_recvlogical), where each event is one line of text, and in-process by
 * the relay, which installs a record sink before creating its decoding
 * context and then receives topic, key and value separately, with no text
 * framing to parse.
 */
#ifndef PUB_DECODER_H
#define PUB_DECODER_H

#include "access/xlogdefs.h"
#include "replication/logical.h"
#include "replication/output_plugin.h"

typedef enum DecoderRecordKind
{
	DECODER_RECORD_EVENT,		/* a change, message, heartbeat or txn event */
	DECODER_RECORD_TXN_END		/* every event of the transaction was emitted */
} DecoderRecordKind;

/*
 * One Kafka record as the decoder produced it; valid only during the call.
 * A logical decoding message emitted outside any transaction comes alone:
 * xid InvalidTransactionId, end_lsn equal to its lsn, and no TXN_END.
 */
typedef struct DecoderRecord
{
	DecoderRecordKind kind;
	const char *topic;
	int			topic_len;
	const char *key;			/* NULL: null key */
	int			key_len;
	const char *value;			/* NULL: tombstone */
	int			value_len;
	TransactionId xid;
	XLogRecPtr	lsn;			/* LSN of the change */
	XLogRecPtr	end_lsn;		/* end of the commit record of its transaction */
} DecoderRecord;

typedef void (*DecoderRecordSink) (LogicalDecodingContext *ctx,
								   const DecoderRecord *record, void *arg);

/*
 * Set by the relay in its own process before CreateDecodingContext; the
 * startup callback picks it up.  NULL (the default) means text output.
 */
extern DecoderRecordSink decoder_record_sink;
extern void *decoder_record_sink_arg;

extern void decoder_register_callbacks(OutputPluginCallbacks *cb);

/*
 * Snapshot reads (op "r") of existing rows, for an initial snapshot: begin
 * with the slot's options and the snapshot's xid and LSN (they fill
 * source.txId, source.lsn and the records' lsn), then one call per row,
 * inside a transaction, with the source.snapshot marker Debezium would give
 * it ("first", "true", "last", "first_in_data_collection", …).  Records go
 * to the sink (its ctx argument is NULL).  Not while a decoding context of
 * this plugin is active in the same process: they share the relation cache.
 */
typedef struct DecoderSnapshot DecoderSnapshot;

extern DecoderSnapshot *decoder_snapshot_begin(List *options, TransactionId xid,
											   XLogRecPtr lsn, DecoderRecordSink sink,
											   void *sink_arg);
extern void decoder_snapshot_row(DecoderSnapshot *snap, Relation rel, HeapTuple tuple,
								 const char *marker);
extern void decoder_snapshot_end(DecoderSnapshot *snap);

/*
 * Whether the options capture a table; and every row of one table in the
 * active snapshot, with the markers (*first_row: no row was rendered yet;
 * last_table: the table's last row is the snapshot's last).
 */
extern bool decoder_snapshot_includes(DecoderSnapshot *snap, Relation rel);
extern void decoder_snapshot_table(DecoderSnapshot *snap, Oid relid, bool *first_row,
								   bool last_table);

#endif							/* PUB_DECODER_H */
