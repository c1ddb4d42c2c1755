/*
 * text_batch.h
 *		Packing several event lines into one replication message when the
 *		plugin's text output goes to a streaming walsender.
 */
#ifndef PUB_DECODER_TEXT_BATCH_H
#define PUB_DECODER_TEXT_BATCH_H

#include "lib/stringinfo.h"
#include "replication/logical.h"

typedef enum TextBatchMode
{
	TEXT_BATCH_UNDECIDED,		/* until the first line */
	TEXT_BATCH_OFF,				/* one line per message (or row) */
	TEXT_BATCH_ON
} TextBatchMode;

typedef struct TextBatch
{
	StringInfoData buf;			/* pending lines, '\n' between them */
	int			limit;			/* send once buf reaches this; 0: never batch */
	TextBatchMode mode;
	XLogRecPtr	lsn;			/* write position of the last pending line */
	TransactionId xid;
} TextBatch;

extern void text_batch_init(TextBatch *batch, int limit);
extern void text_batch_decide(TextBatch *batch);
extern void text_batch_flush(LogicalDecodingContext *ctx, TextBatch *batch);

/*
 * The buffer to render the next line into.  Inline, as the SQL functions
 * call it for every row.
 */
static inline StringInfo
text_line_begin(LogicalDecodingContext *ctx, TextBatch *batch)
{
	if (unlikely(batch->mode == TEXT_BATCH_UNDECIDED))
		text_batch_decide(batch);
	if (batch->mode == TEXT_BATCH_OFF)
	{
		OutputPluginPrepareWrite(ctx, true);
		return ctx->out;
	}
	if (batch->buf.len > 0)
		appendStringInfoCharMacro(&batch->buf, '\n');
	return &batch->buf;
}

/* The line is rendered: send it, or keep it until the batch is full. */
static inline void
text_line_end(LogicalDecodingContext *ctx, TextBatch *batch)
{
	if (batch->mode == TEXT_BATCH_OFF)
	{
		OutputPluginWrite(ctx, true);
		return;
	}
	batch->lsn = ctx->write_location;
	batch->xid = ctx->write_xid;
	if (batch->buf.len >= batch->limit)
		text_batch_flush(ctx, batch);
}

#endif							/* PUB_DECODER_TEXT_BATCH_H */
