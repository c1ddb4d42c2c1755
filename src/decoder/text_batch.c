/*
 * text_batch.c
 *		Packing several event lines into one replication message when the
 *		plugin's text output goes to a streaming walsender.
 *
 * A walsender pays for every message: each OutputPluginWrite is a CopyData
 * message, a send() and timestamp checks.  So while streaming
 * (START_REPLICATION, as pg_recvlogical does) lines are collected, '\n'
 * between them, and sent once they reach the "batch.bytes" limit or when
 * the plugin flushes at a commit or after an event outside a transaction.
 * pg_recvlogical writes each message followed by '\n', so its output is the
 * same line for line.  Everywhere else (the SQL functions, also when run on
 * a replication connection) each line stays a message, a row, of its own.
 *
 * A message carries the write position of its last line: that is what the
 * one-line-per-message output gave that line, so a consumer stopping at an
 * end position (pg_recvlogical --endpos) never gets a line from past it,
 * and feedback confirms what it wrote, as before.
 */
#include "postgres.h"

#include "replication/walsender.h"
#include "replication/walsender_private.h"

#include "decoder/text_batch.h"

void
text_batch_init(TextBatch *batch, int limit)
{
	initStringInfo(&batch->buf);
	batch->limit = limit;
	batch->mode = TEXT_BATCH_UNDECIDED;
	batch->lsn = InvalidXLogRecPtr;
	batch->xid = InvalidTransactionId;
}

/*
 * Only a walsender past START_REPLICATION streams: before it (and after),
 * its state is STARTUP, and the SQL functions it may run want one row per
 * line.  Decided at the first line, when decoding has begun (the startup
 * callback may run before the state changes), for the decoding context's
 * life: a later START_REPLICATION or SQL call makes a new one.  Only this
 * process writes its own state, so no lock is needed.
 */
void
text_batch_decide(TextBatch *batch)
{
	bool		streaming = am_walsender && MyWalSnd != NULL &&
		MyWalSnd->state != WALSNDSTATE_STARTUP;

	batch->mode = batch->limit > 0 && streaming ? TEXT_BATCH_ON : TEXT_BATCH_OFF;
}

/*
 * Send the pending lines as one message, labelled with the last line's
 * position (the callback running now may have set another one).
 */
void
text_batch_flush(LogicalDecodingContext *ctx, TextBatch *batch)
{
	XLogRecPtr	location = ctx->write_location;
	TransactionId xid = ctx->write_xid;

	if (batch->buf.len == 0)
		return;
	ctx->write_location = batch->lsn;
	ctx->write_xid = batch->xid;
	OutputPluginPrepareWrite(ctx, true);
	appendBinaryStringInfo(ctx->out, batch->buf.data, batch->buf.len);
	OutputPluginWrite(ctx, true);
	ctx->write_location = location;
	ctx->write_xid = xid;
	resetStringInfo(&batch->buf);
}
