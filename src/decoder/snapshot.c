/*
 * snapshot.c
 *		Snapshot reads (op "r"): existing rows rendered with the decoder's
 *		own envelope, for an initial snapshot taken before streaming, and
 *		the SQL function pub.decoder_snapshot() that shows them.
 *
 * A snapshot renders rows the way the change callbacks do (same options,
 * relation cache, key and value writers); only the op, the source's
 * "snapshot" marker and the absence of a transaction block differ.  It uses
 * the decoder's relation cache, so it must not overlap with a decoding
 * context of this plugin in the same process.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/tableam.h"
#include "access/xlog.h"
#include "funcapi.h"
#include "nodes/makefuncs.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "decoder/decoder.h"
#include "decoder/envelope.h"
#include "decoder/options.h"
#include "decoder/relation_cache.h"
#include "json/json_writer.h"

struct DecoderSnapshot
{
	DecoderOptions opts;
	EnvelopeSession session;
	TxnContext	txn;
	TransactionId xid;
	XLogRecPtr	lsn;
	const char *marker;			/* source.snapshot of the current rows */
	TimestampTz started;		/* source.ts_ms of every row: one instant */
	MemoryContext cxt;
	MemoryContext row_cxt;		/* reset after every row */
	StringInfoData key;
	StringInfoData value;
	DecoderRecordSink sink;
	void	   *sink_arg;
};

DecoderSnapshot *
decoder_snapshot_begin(List *options, TransactionId xid, XLogRecPtr lsn,
					   DecoderRecordSink sink, void *sink_arg)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "pub_backoffice snapshot",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	DecoderSnapshot *snap = palloc0(sizeof(DecoderSnapshot));

	snap->cxt = cxt;
	snap->row_cxt = AllocSetContextCreate(cxt, "pub_backoffice snapshot row",
										  ALLOCSET_DEFAULT_SIZES);
	decoder_parse_options(&snap->opts, options);
	envelope_session_init(&snap->session, &snap->opts);
	relation_cache_init(cxt, &snap->opts);
	initStringInfo(&snap->key);
	initStringInfo(&snap->value);
	snap->xid = xid;
	snap->lsn = lsn;
	snap->started = GetCurrentTimestamp();
	snap->sink = sink;
	snap->sink_arg = sink_arg;
	MemoryContextSwitchTo(old);
	return snap;
}

/* The source block's share for a marker, rendered again only when it changes. */
static void
use_marker(DecoderSnapshot *snap, const char *marker)
{
	if (snap->marker && strcmp(snap->marker, marker) == 0)
		return;
	envelope_begin_txn(&snap->session, &snap->txn, snap->xid, snap->started, marker, snap->cxt);
	snap->txn.id = NULL;		/* snapshot reads carry no transaction block */
	snap->marker = MemoryContextStrdup(snap->cxt, marker);
}

void
decoder_snapshot_row(DecoderSnapshot *snap, Relation rel, HeapTuple tuple, const char *marker)
{
	RelationEntry *entry = relation_cache_get(rel);
	MemoryContext old;
	RowImage	row;
	TupleDesc	desc = RelationGetDescr(rel);
	DecoderRecord rec = {.kind = DECODER_RECORD_EVENT, .xid = snap->xid, .lsn = snap->lsn,
	.end_lsn = snap->lsn};

	if (!entry->included)
		return;
	use_marker(snap, marker);
	old = MemoryContextSwitchTo(snap->row_cxt);
	row.values = palloc(sizeof(Datum) * desc->natts);
	row.nulls = palloc(sizeof(bool) * desc->natts);
	row.key_only = false;
	heap_deform_tuple(tuple, desc, row.values, row.nulls);
	resetStringInfo(&snap->key);
	resetStringInfo(&snap->value);
	if (entry->nkeys > 0)
	{
		envelope_write_key(&snap->key, entry, &row, &snap->opts);
		rec.key = snap->key.data;
		rec.key_len = snap->key.len;
	}
	envelope_write_change(&snap->value, &snap->session, &snap->txn, entry, 'r',
						  NULL, &row, snap->lsn);
	rec.value = snap->value.data;
	rec.value_len = snap->value.len;
	rec.topic = entry->topic;
	rec.topic_len = entry->topic_len;
	snap->sink(NULL, &rec, snap->sink_arg);
	MemoryContextSwitchTo(old);
	MemoryContextReset(snap->row_cxt);
}

void
decoder_snapshot_end(DecoderSnapshot *snap)
{
	relation_cache_destroy();
	MemoryContextDelete(snap->cxt);
}

/* pub.decoder_snapshot(): one line per row, like the slot's text output. */
typedef struct SnapshotLines
{
	ReturnSetInfo *rsinfo;
	OutputMode	output;
} SnapshotLines;

static void
snapshot_line(LogicalDecodingContext *ctx, const DecoderRecord *rec, void *arg)
{
	SnapshotLines *lines = arg;
	StringInfoData line;
	Datum		value;
	bool		isnull = false;

	initStringInfo(&line);
	if (lines->output == OUTPUT_VALUE)
		appendBinaryStringInfo(&line, rec->value, rec->value_len);
	else
	{
		json_append_lit(&line, "{\"topic\":");
		json_append_string(&line, rec->topic, rec->topic_len);
		json_append_lit(&line, ",\"key\":");
		if (rec->key)
			appendBinaryStringInfo(&line, rec->key, rec->key_len);
		else
			json_append_lit(&line, "null");
		json_append_lit(&line, ",\"value\":");
		appendBinaryStringInfo(&line, rec->value, rec->value_len);
		appendStringInfoChar(&line, '}');
	}
	value = PointerGetDatum(cstring_to_text_with_len(line.data, line.len));
	tuplestore_putvalues(lines->rsinfo->setResult, lines->rsinfo->setDesc, &value, &isnull);
	pfree(line.data);
}

/* key/value text pairs, as pg_logical_slot_get_changes takes them */
static List *
options_from_array(ArrayType *arr)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	List	   *options = NIL;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n % 2 != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options must be name/value pairs")));
	for (int i = 0; i < n; i += 2)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option name must not be null")));
		options = lappend(options,
						  makeDefElem(TextDatumGetCString(elems[i]),
									  nulls[i + 1] ? NULL
									  : (Node *) makeString(TextDatumGetCString(elems[i + 1])),
									  -1));
	}
	return options;
}

/*
 * Debezium's source.snapshot marker: "first" for the snapshot's first row,
 * "first_in_data_collection" for the first row of each later table,
 * "last_in_data_collection" for the last row of each table but the last,
 * "last" for the very last row, "true" for the rest.
 */
static const char *
snapshot_marker(bool first_row, bool first_in_table, bool last_in_table, bool last_table)
{
	if (last_in_table)
		return last_table ? "last" : "last_in_data_collection";
	if (first_row)
		return "first";
	if (first_in_table)
		return "first_in_data_collection";
	return "true";
}

/* Whether the options capture this table (its rows would be rendered). */
bool
decoder_snapshot_includes(DecoderSnapshot *snap, Relation rel)
{
	return relation_cache_get(rel)->included;
}

/* Every row of one table, one row behind the scan to know which is last. */
void
decoder_snapshot_table(DecoderSnapshot *snap, Oid relid, bool *first_row, bool last_table)
{
	Relation	rel = table_open(relid, AccessShareLock);
	TableScanDesc scan = table_beginscan(rel, GetActiveSnapshot(), 0, NULL);
	HeapTuple	tuple;
	HeapTuple	pending = NULL;
	bool		first_in_table = true;

	while ((tuple = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		if (pending)
		{
			decoder_snapshot_row(snap, rel, pending,
								 snapshot_marker(*first_row, first_in_table, false, last_table));
			heap_freetuple(pending);
			*first_row = first_in_table = false;
		}
		pending = heap_copytuple(tuple);
	}
	if (pending)
	{
		decoder_snapshot_row(snap, rel, pending,
							 snapshot_marker(*first_row, first_in_table, true, last_table));
		heap_freetuple(pending);
		*first_row = false;
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
}

PG_FUNCTION_INFO_V1(decoder_snapshot_sql);

/*
 * pub.decoder_snapshot(relation regclass, VARIADIC options text[]) and
 * pub.decoder_snapshot_tables(tables regclass[], VARIADIC options text[])
 */
Datum
decoder_snapshot_sql(PG_FUNCTION_ARGS)
{
	List	   *options = options_from_array(PG_GETARG_ARRAYTYPE_P(1));
	SnapshotLines lines;
	DecoderSnapshot *snap;
	Datum	   *relids;
	bool	   *nulls;
	int			n;
	bool		first_row = true;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	lines.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	if (get_fn_expr_argtype(fcinfo->flinfo, 0) == REGCLASSOID)
	{
		relids = &fcinfo->args[0].value;
		nulls = &fcinfo->args[0].isnull;
		n = 1;
	}
	else
		deconstruct_array(PG_GETARG_ARRAYTYPE_P(0), REGCLASSOID, sizeof(Oid), true,
						  TYPALIGN_INT, &relids, &nulls, &n);
	/* the snapshot's transaction, as Debezium's source.txId shows it */
	snap = decoder_snapshot_begin(options, GetTopTransactionId(), GetXLogInsertRecPtr(),
								  snapshot_line, &lines);
	lines.output = snap->opts.output;
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			decoder_snapshot_table(snap, DatumGetObjectId(relids[i]), &first_row, i == n - 1);
	decoder_snapshot_end(snap);
	return (Datum) 0;
}
