/*
 * text_batch.h
 *		Packing several event lines into one replication message when the
 *		plugin's text output goes to a streaming walsender.
 */
#ifndef PUB_DECODER_TEXT_BATCH_H
#define PUB_DECODER_TEXT_BATCH_H

#include "lib/stringinfo.h"
#include "replication/logical.h"

typedef struct TextBatch
{
	StringInfoData buf;			/* pending lines, '\n' between them */
	int			limit;			/* send once buf reaches this; 0: never batch */
	XLogRecPtr	lsn;			/* write position of the last pending line */
	TransactionId xid;
} TextBatch;

extern void text_batch_init(TextBatch *batch, int limit);
extern StringInfo text_line_begin(LogicalDecodingContext *ctx, TextBatch *batch);
extern void text_line_end(LogicalDecodingContext *ctx, TextBatch *batch);
extern void text_batch_flush(LogicalDecodingContext *ctx, TextBatch *batch);

#endif							/* PUB_DECODER_TEXT_BATCH_H */
