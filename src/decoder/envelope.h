/*
 * envelope.h
 *		Rendering Debezium documents: keys, change envelopes (with the source
 *		and transaction blocks), transaction metadata and messages.
 */
#ifndef PUB_DECODER_ENVELOPE_H
#define PUB_DECODER_ENVELOPE_H

#include "access/xlogdefs.h"
#include "datatype/timestamp.h"
#include "utils/builtins.h"
#include "lib/stringinfo.h"

#include "decoder/options.h"
#include "decoder/relation_cache.h"

/* One row image as the WAL gave it. */
typedef struct RowImage
{
	Datum	   *values;			/* by TupleDesc index */
	bool	   *nulls;
	bool		key_only;		/* old key of REPLICA IDENTITY DEFAULT/INDEX */
} RowImage;

/* What every event of the current transaction shares. */
typedef struct TxnContext
{
	TransactionId xid;			/* InvalidTransactionId outside a transaction */
	uint64		serial;			/* tells one transaction from the next */
	bool		begin_sent;
	bool		had_changes;	/* pgoutput would not have skipped it */
	int64		total_order;
	RelationEntry *first_collection;	/* tables in order of first event, */
	RelationEntry *last_collection; /* linked through txn_next */
	char	   *id;				/* transaction metadata id: id_buf, or NULL */
	char		id_buf[MAXINT8LEN + 1];
	char	   *source_a;		/* ,"source":{… "sequence":"[<last commit>,\" */
	char	   *source_b;		/* \"]","ts_us":…,"ts_ns":… */
	char	   *source_xid;		/* <xid>,"lsn": */
	int			source_a_len;
	int			source_b_len;
	int			source_xid_len;
	int64		commit_ms;
	StringInfoData fragments;	/* holds source_a, _b and _xid; reused by the
								 * next transaction */
} TxnContext;

typedef struct EnvelopeSession
{
	const DecoderOptions *opts;
	char	   *source_head;	/* ,"source":{"version":…,"name":…,"ts_ms": */
	int			source_head_len;
	char	   *db_name;		/* looked up with the first event */
	char	   *snapshot;		/* the marker source_tail was rendered for */
	char	   *source_tail;	/* ,"snapshot":…,"db":…,"sequence":"[ */
	int			source_tail_len;
	MemoryContext cxt;			/* where session fragments live */
	bool		has_last_commit;
	XLogRecPtr	last_commit_lsn;	/* end of the last transaction with changes */
	TimestampTz last_commit_time;
} EnvelopeSession;

extern void envelope_session_init(EnvelopeSession *es, const DecoderOptions *opts);
extern void envelope_begin_txn(EnvelopeSession *es, TxnContext *txn, TransactionId xid,
							   TimestampTz commit_time, const char *snapshot,
							   MemoryContext cxt);
extern void envelope_render_table_schemas(RelationEntry *entry, const DecoderOptions *opts);

extern void envelope_write_key(StringInfo buf, const RelationEntry *entry, const RowImage *row,
							   const DecoderOptions *opts);
extern void envelope_write_change(StringInfo buf, EnvelopeSession *es, TxnContext *txn,
								  RelationEntry *entry, char op, const RowImage *before,
								  const RowImage *after, XLogRecPtr lsn);
extern void envelope_write_txn_key(StringInfo buf, const EnvelopeSession *es,
								   const TxnContext *txn, XLogRecPtr lsn);
extern void envelope_write_txn_event(StringInfo buf, const EnvelopeSession *es,
									 const TxnContext *txn, bool end, XLogRecPtr lsn);
extern void envelope_write_message_key(StringInfo buf, const EnvelopeSession *es, const char *prefix);
extern void envelope_write_message(StringInfo buf, EnvelopeSession *es, TxnContext *txn,
								   const char *prefix, const char *content, Size size,
								   XLogRecPtr lsn);

#endif							/* PUB_DECODER_ENVELOPE_H */
