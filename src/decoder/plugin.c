/*
 * plugin.c
 *		Output plugin callbacks: decide which Kafka records a change makes
 *		(Debezium's rules for each op, replica identity and key changes) and
 *		hand each one to the text output or to the relay's record sink.
 *
 * Each record is written on its own (one OutputPluginWrite per line, or one
 * sink call), and everything a change allocates lives in a memory context
 * reset after the change, so a transaction of any size decodes in bounded
 * memory.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "commands/dbcommands.h"
#include "miscadmin.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "decoder/decoder.h"
#include "decoder/envelope.h"
#include "decoder/options.h"
#include "decoder/relation_cache.h"
#include "json/json_writer.h"

DecoderRecordSink decoder_record_sink = NULL;
void	   *decoder_record_sink_arg = NULL;

typedef struct DecoderState
{
	DecoderOptions opts;
	EnvelopeSession session;
	TxnContext	txn;
	MemoryContext change_cxt;	/* reset after every change */
	MemoryContext txn_cxt;		/* reset after every transaction */
	StringInfoData key;
	StringInfoData value;
	char	   *txn_topic;
	char	   *message_topic;
	DecoderRecordSink sink;
	void	   *sink_arg;
} DecoderState;

static void
decoder_startup(LogicalDecodingContext *ctx, OutputPluginOptions *opt, bool is_init)
{
	DecoderState *state = palloc0(sizeof(DecoderState));
	MemoryContext old;

	state->change_cxt = AllocSetContextCreate(ctx->context, "pub_backoffice change",
											  ALLOCSET_DEFAULT_SIZES);
	state->txn_cxt = AllocSetContextCreate(ctx->context, "pub_backoffice transaction",
										   ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(ctx->context);
	decoder_parse_options(&state->opts, ctx->output_plugin_options);
	envelope_session_init(&state->session, &state->opts, get_database_name(MyDatabaseId));
	initStringInfo(&state->key);
	initStringInfo(&state->value);
	state->txn_topic = psprintf("%s.transaction", state->opts.topic_prefix);
	state->message_topic = psprintf("%s.message", state->opts.topic_prefix);
	MemoryContextSwitchTo(old);
	relation_cache_init(ctx->context, &state->opts);
	state->sink = decoder_record_sink;
	state->sink_arg = decoder_record_sink_arg;
	ctx->output_plugin_private = state;
	opt->output_type = OUTPUT_PLUGIN_TEXTUAL_OUTPUT;
	opt->receive_rewrites = false;
}

static void
decoder_shutdown(LogicalDecodingContext *ctx)
{
	relation_cache_destroy();
}

/*
 * Emit one Kafka record.  key == NULL is a null key, value == NULL a
 * tombstone, which the "value" text output leaves out.
 */
static void
emit(LogicalDecodingContext *ctx, const char *topic, StringInfo key, StringInfo value,
	 TransactionId xid, XLogRecPtr lsn, XLogRecPtr end_lsn)
{
	DecoderState *state = ctx->output_plugin_private;

	if (state->sink)
	{
		DecoderRecord rec = {
			.kind = DECODER_RECORD_EVENT,
			.topic = topic,
			.topic_len = strlen(topic),
			.key = key ? key->data : NULL,
			.key_len = key ? key->len : 0,
			.value = value ? value->data : NULL,
			.value_len = value ? value->len : 0,
			.xid = xid,
			.lsn = lsn,
			.end_lsn = end_lsn,
		};

		state->sink(ctx, &rec, state->sink_arg);
		return;
	}
	if (value == NULL && state->opts.output == OUTPUT_VALUE)
		return;
	OutputPluginPrepareWrite(ctx, true);
	if (state->opts.output == OUTPUT_VALUE)
		appendBinaryStringInfo(ctx->out, value->data, value->len);
	else
	{
		json_append_lit(ctx->out, "{\"topic\":");
		json_append_cstring(ctx->out, topic);
		json_append_lit(ctx->out, ",\"key\":");
		if (key)
			appendBinaryStringInfo(ctx->out, key->data, key->len);
		else
			json_append_lit(ctx->out, "null");
		json_append_lit(ctx->out, ",\"value\":");
		if (value)
			appendBinaryStringInfo(ctx->out, value->data, value->len);
		else
			json_append_lit(ctx->out, "null");
		appendStringInfoChar(ctx->out, '}');
	}
	OutputPluginWrite(ctx, true);
}

static void
decoder_begin(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
	DecoderState *state = ctx->output_plugin_private;

	MemoryContextReset(state->txn_cxt);
	envelope_begin_txn(&state->session, &state->txn, txn->xid,
					   txn->xact_time.commit_time, state->txn_cxt);
}

/* The BEGIN metadata event goes out just before the transaction's first event. */
static void
ensure_begin_sent(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
	DecoderState *state = ctx->output_plugin_private;

	if (!state->opts.transaction_metadata || state->txn.begin_sent || state->txn.id == NULL)
		return;
	state->txn.begin_sent = true;
	resetStringInfo(&state->key);
	resetStringInfo(&state->value);
	envelope_write_txn_key(&state->key, &state->session, &state->txn);
	envelope_write_txn_event(&state->value, &state->session, &state->txn, false);
	emit(ctx, state->txn_topic, &state->key, &state->value, txn->xid, txn->first_lsn, txn->end_lsn);
}

static void
decoder_commit(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr commit_lsn)
{
	DecoderState *state = ctx->output_plugin_private;

	if (state->txn.begin_sent)
	{
		resetStringInfo(&state->key);
		resetStringInfo(&state->value);
		envelope_write_txn_key(&state->key, &state->session, &state->txn);
		envelope_write_txn_event(&state->value, &state->session, &state->txn, true);
		emit(ctx, state->txn_topic, &state->key, &state->value, txn->xid, commit_lsn, txn->end_lsn);
	}
	if (state->sink)
	{
		DecoderRecord rec = {
			.kind = DECODER_RECORD_TXN_END,
			.xid = txn->xid,
			.lsn = commit_lsn,
			.end_lsn = txn->end_lsn,
		};

		state->sink(ctx, &rec, state->sink_arg);
	}
	state->session.has_last_commit = true;
	state->session.last_commit_lsn = txn->end_lsn;
	MemoryContextReset(state->txn_cxt);
	state->txn.id = NULL;
}

static RowImage *
deform(HeapTuple tuple, Relation rel, bool key_only)
{
	TupleDesc	desc = RelationGetDescr(rel);
	RowImage   *row = palloc(sizeof(RowImage));

	row->values = palloc(sizeof(Datum) * desc->natts);
	row->nulls = palloc(sizeof(bool) * desc->natts);
	row->key_only = key_only;
	heap_deform_tuple(tuple, desc, row->values, row->nulls);
	return row;
}

/* Did an update change the key?  Then Debezium emits delete + create. */
static bool
key_changed(const RelationEntry *entry, Relation rel, const RowImage *old, const RowImage *new)
{
	TupleDesc	desc = RelationGetDescr(rel);

	for (int k = 0; k < entry->nkeys; k++)
	{
		int			i = entry->cols[entry->keys[k]].attidx;
		Form_pg_attribute att = TupleDescAttr(desc, i);

		if (old->nulls[i] != new->nulls[i])
			return true;
		if (!old->nulls[i] &&
			!datumIsEqual(old->values[i], new->values[i], att->attbyval, att->attlen))
			return true;
	}
	return false;
}

static void
emit_change(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, RelationEntry *entry,
			char op, const RowImage *before, const RowImage *after, XLogRecPtr lsn)
{
	DecoderState *state = ctx->output_plugin_private;
	const RowImage *keyrow = after ? after : before;
	bool		has_key = entry->nkeys > 0 && keyrow != NULL;

	ensure_begin_sent(ctx, txn);
	resetStringInfo(&state->key);
	resetStringInfo(&state->value);
	if (has_key)
		envelope_write_key(&state->key, entry, keyrow, &state->opts);
	envelope_write_change(&state->value, &state->session, &state->txn, entry, op,
						  before, after, lsn);
	emit(ctx, entry->topic, has_key ? &state->key : NULL, &state->value,
		 txn->xid, lsn, txn->end_lsn);
	if (op == 'd' && state->opts.tombstones)
		emit(ctx, entry->topic, has_key ? &state->key : NULL, NULL, txn->xid, lsn, txn->end_lsn);
}

static void
decode_update(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, Relation rel,
			  RelationEntry *entry, ReorderBufferChange *change)
{
	DecoderState *state = ctx->output_plugin_private;
	bool		full = entry->replident == REPLICA_IDENTITY_FULL;
	RowImage   *old = NULL;
	RowImage   *new = deform(&change->data.tp.newtuple->tuple, rel, false);

	if (change->data.tp.oldtuple)
		old = deform(&change->data.tp.oldtuple->tuple, rel, !full);
	if (old && entry->nkeys > 0 && key_changed(entry, rel, old, new))
	{
		if (!state->opts.skip_delete)
			emit_change(ctx, txn, entry, 'd', old, NULL, change->lsn);
		if (!state->opts.skip_create)
			emit_change(ctx, txn, entry, 'c', NULL, new, change->lsn);
		return;
	}
	if (!state->opts.skip_update)
		emit_change(ctx, txn, entry, 'u', full ? old : NULL, new, change->lsn);
}

static void
decoder_change(LogicalDecodingContext *ctx, ReorderBufferTXN *txn,
			   Relation relation, ReorderBufferChange *change)
{
	DecoderState *state = ctx->output_plugin_private;
	RelationEntry *entry = relation_cache_get(relation);
	MemoryContext old;

	if (!entry->included)
		return;
	old = MemoryContextSwitchTo(state->change_cxt);
	switch (change->action)
	{
		case REORDER_BUFFER_CHANGE_INSERT:
			if (!state->opts.skip_create && change->data.tp.newtuple)
				emit_change(ctx, txn, entry, 'c', NULL,
							deform(&change->data.tp.newtuple->tuple, relation, false), change->lsn);
			break;
		case REORDER_BUFFER_CHANGE_UPDATE:
			if (change->data.tp.newtuple)
				decode_update(ctx, txn, relation, entry, change);
			break;
		case REORDER_BUFFER_CHANGE_DELETE:
			if (!state->opts.skip_delete)
				emit_change(ctx, txn, entry, 'd',
							change->data.tp.oldtuple
							? deform(&change->data.tp.oldtuple->tuple, relation,
									 entry->replident != REPLICA_IDENTITY_FULL)
							: NULL,
							NULL, change->lsn);
			break;
		default:
			break;
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(state->change_cxt);
}

static void
decoder_truncate(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, int nrelations,
				 Relation relations[], ReorderBufferChange *change)
{
	DecoderState *state = ctx->output_plugin_private;
	MemoryContext old;

	if (state->opts.skip_truncate)
		return;
	old = MemoryContextSwitchTo(state->change_cxt);
	for (int i = 0; i < nrelations; i++)
	{
		RelationEntry *entry = relation_cache_get(relations[i]);

		if (!entry->included)
			continue;
		ensure_begin_sent(ctx, txn);
		resetStringInfo(&state->value);
		envelope_write_change(&state->value, &state->session, &state->txn, entry, 't',
							  NULL, NULL, change->lsn);
		emit(ctx, entry->topic, NULL, &state->value, txn->xid, change->lsn, txn->end_lsn);
	}
	MemoryContextSwitchTo(old);
	MemoryContextReset(state->change_cxt);
}

static void
decoder_message(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr lsn,
				bool transactional, const char *prefix, Size size, const char *content)
{
	DecoderState *state = ctx->output_plugin_private;
	TxnContext	standalone = {0};
	TxnContext *tctx = &state->txn;
	MemoryContext old;

	if (!decoder_message_included(&state->opts, prefix))
		return;
	old = MemoryContextSwitchTo(state->change_cxt);
	if (!transactional)
	{
		/* outside any transaction: no txId, and the time is now */
		envelope_begin_txn(&state->session, &standalone, InvalidTransactionId, 0,
						   state->change_cxt);
		tctx = &standalone;
	}
	else
		ensure_begin_sent(ctx, txn);
	resetStringInfo(&state->key);
	resetStringInfo(&state->value);
	envelope_write_message_key(&state->key, &state->session, prefix);
	envelope_write_message(&state->value, &state->session, tctx, prefix, content, size, lsn);
	emit(ctx, state->message_topic, &state->key, &state->value,
		 transactional ? txn->xid : InvalidTransactionId, lsn,
		 transactional ? txn->end_lsn : lsn);
	MemoryContextSwitchTo(old);
	MemoryContextReset(state->change_cxt);
}

void
decoder_register_callbacks(OutputPluginCallbacks *cb)
{
	cb->startup_cb = decoder_startup;
	cb->shutdown_cb = decoder_shutdown;
	cb->begin_cb = decoder_begin;
	cb->change_cb = decoder_change;
	cb->truncate_cb = decoder_truncate;
	cb->commit_cb = decoder_commit;
	cb->message_cb = decoder_message;
}
