/*
 * plugin.c
 *		Output plugin callbacks: decide which Kafka records a change makes
 *		(Debezium's rules for each op, replica identity and key changes) and
 *		hand each one to the text output or to the relay's record sink.
 *
 * Each record is written on its own (one line, or one sink call); a
 * streaming walsender packs lines into messages of at most about
 * "batch.bytes", sent at each commit at the latest (text_batch.c).
 * Everything a change allocates lives in a memory context reset after the
 * change, so a transaction of any size decodes in bounded memory.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "commands/dbcommands.h"
#include "miscadmin.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "decoder/decoder.h"
#include "decoder/envelope.h"
#include "decoder/options.h"
#include "decoder/relation_cache.h"
#include "decoder/text_batch.h"
#include "json/json_writer.h"

/* PostgreSQL 17 hands over HeapTuples instead of ReorderBufferTupleBufs. */
#if PG_VERSION_NUM >= 170000
#define CHANGE_TUPLE(t) (t)
#else
#define CHANGE_TUPLE(t) (&(t)->tuple)
#endif

DecoderRecordSink decoder_record_sink = NULL;
void	   *decoder_record_sink_arg = NULL;

typedef struct DecoderState
{
	DecoderOptions opts;
	EnvelopeSession session;
	TxnContext	txn;
	MemoryContext change_cxt;	/* reset after every change */
	StringInfoData key;
	StringInfoData value;
	TextBatch	batch;			/* text lines not yet sent to a walsender */
	RowImage	images[2];		/* a change's new and old tuple, deformed */
	int			image_natts;	/* room in their arrays */
	MemoryContext cxt;			/* the decoding context's, for the arrays */
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
	old = MemoryContextSwitchTo(ctx->context);
	decoder_parse_options(&state->opts, ctx->output_plugin_options);
	envelope_session_init(&state->session, &state->opts);
	initStringInfo(&state->key);
	initStringInfo(&state->value);
	text_batch_init(&state->batch, state->opts.batch_bytes);
	state->txn_topic = psprintf("%s.transaction", state->opts.topic_prefix);
	state->message_topic = psprintf("%s.message", state->opts.topic_prefix);
	MemoryContextSwitchTo(old);
	relation_cache_init(ctx->context, &state->opts);
	state->cxt = ctx->context;
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

/* One Kafka record to render: what the key and value writers need. */
typedef struct Event
{
	DecoderState *state;
	RelationEntry *entry;		/* change events */
	char		op;
	const RowImage *before;
	const RowImage *after;
	const RowImage *keyrow;
	XLogRecPtr	lsn;
	TxnContext *txn;
	bool		end;			/* transaction metadata: END, else BEGIN */
	const char *prefix;			/* logical decoding message */
	const char *content;
	Size		size;
} Event;

typedef void (*RenderFn) (StringInfo buf, const Event *ev);

/*
 * Emit one Kafka record; a NULL key writer means a null key, a NULL value
 * writer a tombstone (which the "value" text output leaves out).  Text
 * output renders straight into its line's buffer, so each line is built once.
 */
static void
emit(LogicalDecodingContext *ctx, const char *topic, RenderFn key, RenderFn value,
	 const Event *ev, TransactionId xid, XLogRecPtr end_lsn)
{
	DecoderState *state = ctx->output_plugin_private;
	StringInfo	out;

	if (state->sink)
	{
		DecoderRecord rec = {.kind = DECODER_RECORD_EVENT, .topic = topic,
			.topic_len = strlen(topic), .xid = xid, .lsn = ev->lsn, .end_lsn = end_lsn};

		resetStringInfo(&state->key);
		resetStringInfo(&state->value);
		if (key)
		{
			key(&state->key, ev);
			rec.key = state->key.data;
			rec.key_len = state->key.len;
		}
		if (value)
		{
			value(&state->value, ev);
			rec.value = state->value.data;
			rec.value_len = state->value.len;
		}
		state->sink(ctx, &rec, state->sink_arg);
		return;
	}
	if (value == NULL && state->opts.output == OUTPUT_VALUE)
		return;
	out = text_line_begin(ctx, &state->batch);
	if (state->opts.output == OUTPUT_VALUE)
		value(out, ev);
	else
	{
		json_append_lit(out, "{\"topic\":");
		json_append_cstring(out, topic);
		json_append_lit(out, ",\"key\":");
		if (key)
			key(out, ev);
		else
			json_append_lit(out, "null");
		json_append_lit(out, ",\"value\":");
		if (value)
			value(out, ev);
		else
			json_append_lit(out, "null");
		json_append_char(out, '}');
	}
	text_line_end(ctx, &state->batch);
}

static void
render_change_key(StringInfo buf, const Event *ev)
{
	envelope_write_key(buf, ev->entry, ev->keyrow, &ev->state->opts);
}

static void
render_change(StringInfo buf, const Event *ev)
{
	envelope_write_change(buf, &ev->state->session, ev->txn, ev->entry, ev->op,
						  ev->before, ev->after, ev->lsn);
}

static void
render_txn_key(StringInfo buf, const Event *ev)
{
	envelope_write_txn_key(buf, &ev->state->session, ev->txn, ev->lsn);
}

static void
render_txn(StringInfo buf, const Event *ev)
{
	envelope_write_txn_event(buf, &ev->state->session, ev->txn, ev->end, ev->lsn);
}

static void
render_message_key(StringInfo buf, const Event *ev)
{
	envelope_write_message_key(buf, &ev->state->session, ev->prefix);
}

static void
render_message(StringInfo buf, const Event *ev)
{
	envelope_write_message(buf, &ev->state->session, ev->txn, ev->prefix,
						   ev->content, ev->size, ev->lsn);
}

static void
decoder_begin(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
	DecoderState *state = ctx->output_plugin_private;

	envelope_begin_txn(&state->session, &state->txn, txn->xid,
					   txn->xact_time.commit_time, "false", state->cxt);
}

static void
emit_txn_event(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, bool end, XLogRecPtr lsn)
{
	DecoderState *state = ctx->output_plugin_private;
	Event		ev = {.state = state, .txn = &state->txn, .end = end, .lsn = lsn};

	emit(ctx, state->txn_topic, render_txn_key, render_txn, &ev, txn->xid, txn->end_lsn);
}

/*
 * The BEGIN metadata event goes out just before the transaction's first
 * event, and carries that event's lsn as Debezium's does.
 */
static void
ensure_begin_sent(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr lsn)
{
	DecoderState *state = ctx->output_plugin_private;

	if (!state->opts.transaction_metadata || state->txn.begin_sent || state->txn.id == NULL)
		return;
	state->txn.begin_sent = true;
	emit_txn_event(ctx, txn, false, lsn);
}

static void
decoder_commit(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, XLogRecPtr commit_lsn)
{
	DecoderState *state = ctx->output_plugin_private;

	if (state->txn.begin_sent)
		emit_txn_event(ctx, txn, true, txn->end_lsn);
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
	/* pgoutput skips empty transactions, so Debezium never sees their commit */
	if (state->txn.had_changes)
	{
		state->session.has_last_commit = true;
		state->session.last_commit_lsn = txn->end_lsn;
		state->session.last_commit_time = txn->xact_time.commit_time;
	}
	state->txn.id = NULL;
	/* a consumer waiting for this transaction gets all of it now */
	text_batch_flush(ctx, &state->batch);
}

typedef enum RowSlot
{
	NEW_ROW,
	OLD_ROW
} RowSlot;

/*
 * Deform into one of two images whose arrays live as long as the session,
 * grown to the widest table seen: no allocation per change.
 */
static RowImage *
deform(DecoderState *state, RowSlot slot, HeapTuple tuple, Relation rel, bool key_only)
{
	TupleDesc	desc = RelationGetDescr(rel);
	RowImage   *row = &state->images[slot];

	if (desc->natts > state->image_natts)
	{
		int			natts = Max(desc->natts, 2 * state->image_natts);

		for (int i = 0; i < (int) lengthof(state->images); i++)
		{
			if (state->images[i].values)
			{
				pfree(state->images[i].values);
				pfree(state->images[i].nulls);
			}
			state->images[i].values = MemoryContextAlloc(state->cxt, sizeof(Datum) * natts);
			state->images[i].nulls = MemoryContextAlloc(state->cxt, sizeof(bool) * natts);
		}
		state->image_natts = natts;
	}
	row->key_only = key_only;
	heap_deform_tuple(tuple, desc, row->values, row->nulls);
	return row;
}

/*
 * Under REPLICA IDENTITY FULL the old tuple carries TOASTed values in full,
 * so an unchanged one is known: Debezium shows it rather than a placeholder.
 */
static void
fill_unchanged_toast(const RelationEntry *entry, const RowImage *old, RowImage *new)
{
	for (int c = 0; c < entry->ncols; c++)
	{
		int			i = entry->cols[c].attidx;

		if (entry->cols[c].type.varlena && !new->nulls[i] && !old->nulls[i] &&
			VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(new->values[i])) &&
			!VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(old->values[i])))
			new->values[i] = old->values[i];
	}
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
	Event		ev = {.state = state, .entry = entry, .op = op, .before = before,
		.after = after, .keyrow = after ? after : before, .lsn = lsn, .txn = &state->txn};
	RenderFn	key = (entry->nkeys > 0 && ev.keyrow) ? render_change_key : NULL;

	ensure_begin_sent(ctx, txn, lsn);
	emit(ctx, entry->topic, key, render_change, &ev, txn->xid, txn->end_lsn);
	if (op == 'd' && state->opts.tombstones)
		emit(ctx, entry->topic, key, NULL, &ev, txn->xid, txn->end_lsn);
}

static void
decode_update(LogicalDecodingContext *ctx, ReorderBufferTXN *txn, Relation rel,
			  RelationEntry *entry, ReorderBufferChange *change)
{
	DecoderState *state = ctx->output_plugin_private;
	bool		full = entry->replident == REPLICA_IDENTITY_FULL;
	RowImage   *old = NULL;
	RowImage   *new = deform(state, NEW_ROW, CHANGE_TUPLE(change->data.tp.newtuple), rel, false);

	if (change->data.tp.oldtuple)
		old = deform(state, OLD_ROW, CHANGE_TUPLE(change->data.tp.oldtuple), rel, !full);
	if (full && old)
		fill_unchanged_toast(entry, old, new);
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

	state->txn.had_changes = true;
	if (!entry->included)
		return;
	old = MemoryContextSwitchTo(state->change_cxt);
	switch (change->action)
	{
		case REORDER_BUFFER_CHANGE_INSERT:
			if (!state->opts.skip_create && change->data.tp.newtuple)
				emit_change(ctx, txn, entry, 'c', NULL,
							deform(state, NEW_ROW, CHANGE_TUPLE(change->data.tp.newtuple),
								   relation, false), change->lsn);
			break;
		case REORDER_BUFFER_CHANGE_UPDATE:
			if (change->data.tp.newtuple)
				decode_update(ctx, txn, relation, entry, change);
			break;
		case REORDER_BUFFER_CHANGE_DELETE:
			if (!state->opts.skip_delete)
				emit_change(ctx, txn, entry, 'd',
							change->data.tp.oldtuple
							? deform(state, OLD_ROW, CHANGE_TUPLE(change->data.tp.oldtuple), relation,
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

	state->txn.had_changes = true;
	if (state->opts.skip_truncate)
		return;
	old = MemoryContextSwitchTo(state->change_cxt);
	for (int i = 0; i < nrelations; i++)
	{
		RelationEntry *entry = relation_cache_get(relations[i]);
		Event		ev = {.state = state, .entry = entry, .op = 't', .lsn = change->lsn,
			.txn = &state->txn};

		/* the partitions are listed too; Debezium reports only them */
		if (!entry->included || relations[i]->rd_rel->relkind == RELKIND_PARTITIONED_TABLE)
			continue;
		ensure_begin_sent(ctx, txn, change->lsn);
		emit(ctx, entry->topic, NULL, render_change, &ev, txn->xid, txn->end_lsn);
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
	Event		ev = {.state = state, .prefix = prefix, .content = content, .size = size,
		.lsn = lsn};
	MemoryContext old;

	/*
	 * Debezium records the position before filtering: even an excluded
	 * message counts, as a commit of its own when outside a transaction.
	 */
	if (transactional)
		state->txn.had_changes = true;
	else
	{
		state->session.has_last_commit = true;
		state->session.last_commit_lsn = lsn;
	}
	if (!decoder_message_included(&state->opts, prefix))
		return;
	old = MemoryContextSwitchTo(state->change_cxt);
	if (!transactional)
	{
		/*
		 * Debezium treats it as a transaction of its own that ends at the
		 * message (its sequence is [lsn, lsn]) and keeps the previous
		 * commit's time; it has no txId.
		 */
		envelope_begin_txn(&state->session, &standalone, InvalidTransactionId,
						   state->session.last_commit_time, "false", state->change_cxt);
		tctx = &standalone;
	}
	else
		ensure_begin_sent(ctx, txn, lsn);
	ev.txn = tctx;
	emit(ctx, state->message_topic, render_message_key, render_message, &ev,
		 transactional ? txn->xid : InvalidTransactionId,
		 transactional ? txn->end_lsn : lsn);
	/* outside a transaction, no commit follows to send it */
	if (!transactional)
		text_batch_flush(ctx, &state->batch);
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
