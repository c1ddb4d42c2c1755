/*
 * plugin.c
 *		Output plugin callbacks (placeholder until the decoder lands).
 */
#include "postgres.h"

#include "decoder/decoder.h"

DecoderRecordSink decoder_record_sink = NULL;
void	   *decoder_record_sink_arg = NULL;

static void
decoder_begin(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
}

static void
decoder_change(LogicalDecodingContext *ctx, ReorderBufferTXN *txn,
			   Relation relation, ReorderBufferChange *change)
{
}

static void
decoder_commit(LogicalDecodingContext *ctx, ReorderBufferTXN *txn,
			   XLogRecPtr commit_lsn)
{
}

void
decoder_register_callbacks(OutputPluginCallbacks *cb)
{
	cb->begin_cb = decoder_begin;
	cb->change_cb = decoder_change;
	cb->commit_cb = decoder_commit;
}
