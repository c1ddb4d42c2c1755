/*
 * envelope.c
 *		Debezium documents: key, change envelope with its source and
 *		transaction blocks, transaction metadata events and logical decoding
 *		messages, with or without the JsonConverter schema.
 *
 * Everything constant for a session, a transaction or a relation is
 * rendered once (see envelope_session_init, envelope_begin_txn and
 * envelope_render_table_schemas); writing an event only appends those
 * fragments around the row values.
 */
#include "postgres.h"

#include "access/xact.h"
#include "commands/dbcommands.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "decoder/envelope.h"
#include "json/json_writer.h"

#define SOURCE_VERSION "1.0"	/* source.version: ours, not Debezium's */

#define OPTIONAL_INT64(name) "{\"type\":\"int64\",\"optional\":true,\"field\":\"" name "\"}"

static const char source_schema[] =
"{\"type\":\"struct\",\"fields\":["
"{\"type\":\"string\",\"optional\":false,\"field\":\"version\"},"
"{\"type\":\"string\",\"optional\":false,\"field\":\"connector\"},"
"{\"type\":\"string\",\"optional\":false,\"field\":\"name\"},"
"{\"type\":\"int64\",\"optional\":false,\"field\":\"ts_ms\"},"
"{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Enum\",\"version\":1,"
"\"parameters\":{\"allowed\":\"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental\"},"
"\"default\":\"false\",\"field\":\"snapshot\"},"
"{\"type\":\"string\",\"optional\":false,\"field\":\"db\"},"
"{\"type\":\"string\",\"optional\":true,\"field\":\"sequence\"},"
OPTIONAL_INT64("ts_us") ","
OPTIONAL_INT64("ts_ns") ","
"{\"type\":\"string\",\"optional\":false,\"field\":\"schema\"},"
"{\"type\":\"string\",\"optional\":false,\"field\":\"table\"},"
OPTIONAL_INT64("txId") ","
OPTIONAL_INT64("lsn") ","
OPTIONAL_INT64("xmin")
"],\"optional\":false,\"name\":\"io.debezium.connector.postgresql.Source\",\"version\":1,\"field\":\"source\"}";

static const char transaction_schema[] =
"{\"type\":\"struct\",\"fields\":["
"{\"type\":\"string\",\"optional\":false,\"field\":\"id\"},"
"{\"type\":\"int64\",\"optional\":false,\"field\":\"total_order\"},"
"{\"type\":\"int64\",\"optional\":false,\"field\":\"data_collection_order\"}"
"],\"optional\":true,\"name\":\"event.block\",\"version\":1,\"field\":\"transaction\"}";

static const char txn_key_schema[] =
"{\"schema\":{\"type\":\"struct\",\"fields\":["
"{\"type\":\"string\",\"optional\":false,\"field\":\"id\"}"
"],\"optional\":false,\"name\":\"io.debezium.connector.common.TransactionMetadataKey\",\"version\":1},\"payload\":";

static const char txn_value_schema[] =
"{\"schema\":{\"type\":\"struct\",\"fields\":["
"{\"type\":\"string\",\"optional\":false,\"field\":\"status\"},"
"{\"type\":\"string\",\"optional\":false,\"field\":\"id\"},"
OPTIONAL_INT64("event_count") ","
"{\"type\":\"array\",\"items\":{\"type\":\"struct\",\"fields\":["
"{\"type\":\"string\",\"optional\":false,\"field\":\"data_collection\"},"
"{\"type\":\"int64\",\"optional\":false,\"field\":\"event_count\"}"
"],\"optional\":true,\"name\":\"event.collection\",\"version\":1},\"optional\":true,\"field\":\"data_collections\"},"
"{\"type\":\"int64\",\"optional\":false,\"field\":\"ts_ms\"}"
"],\"optional\":false,\"name\":\"io.debezium.connector.common.TransactionMetadataValue\",\"version\":1},\"payload\":";

static const char message_source_table[] = ",\"schema\":\"\",\"table\":\"\",\"txId\":";

static const char message_key_schema[] =
"{\"schema\":{\"type\":\"struct\",\"fields\":["
"{\"type\":\"string\",\"optional\":true,\"field\":\"prefix\"}"
"],\"optional\":false,\"name\":\"io.debezium.connector.postgresql.MessageKey\",\"version\":1},\"payload\":";

void
envelope_session_init(EnvelopeSession *es, const DecoderOptions *opts)
{
	StringInfoData buf;

	es->opts = opts;
	es->cxt = CurrentMemoryContext;
	es->has_last_commit = false;
	es->last_commit_lsn = InvalidXLogRecPtr;
	es->db_name = NULL;
	es->snapshot = NULL;
	es->source_tail = NULL;
	initStringInfo(&buf);
	json_append_lit(&buf, ",\"source\":{\"version\":\"" SOURCE_VERSION "\",\"connector\":\"postgresql\",\"name\":");
	json_append_cstring(&buf, opts->topic_prefix);
	json_append_lit(&buf, ",\"ts_ms\":");
	es->source_head = buf.data;
	es->source_head_len = buf.len;
}

/*
 * The database name needs the catalog, which a walsender's startup callback
 * may not read (no transaction is open there), so it is looked up with the
 * first event instead.
 */
static char *
lookup_database_name(MemoryContext cxt)
{
	bool		own_xact = !IsTransactionState();
	char	   *name;

	if (own_xact)
		StartTransactionCommand();
	name = MemoryContextStrdup(cxt, get_database_name(MyDatabaseId));
	if (own_xact)
		CommitTransactionCommand();
	return name;
}

/*
 * ,"snapshot":…,"db":…,"sequence":"[ is the same for every transaction of
 * a stream: rendered again only when the snapshot marker changes.
 */
static void
ensure_source_tail(EnvelopeSession *es, const char *snapshot)
{
	MemoryContext old;
	StringInfoData buf;

	if (es->source_tail && strcmp(es->snapshot, snapshot) == 0)
		return;
	if (es->db_name == NULL)
		es->db_name = lookup_database_name(es->cxt);
	old = MemoryContextSwitchTo(es->cxt);
	if (es->source_tail)
	{
		pfree(es->source_tail);
		pfree(es->snapshot);
	}
	initStringInfo(&buf);
	json_append_lit(&buf, ",\"snapshot\":");
	json_append_cstring(&buf, snapshot);
	json_append_lit(&buf, ",\"db\":");
	json_append_cstring(&buf, es->db_name);
	json_append_lit(&buf, ",\"sequence\":\"[");
	es->snapshot = pstrdup(snapshot);
	es->source_tail = buf.data;
	es->source_tail_len = buf.len;
	MemoryContextSwitchTo(old);
}

static int64
unix_us(TimestampTz t)
{
	return t + (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;
}

/*
 * One clock reading in ms, us and ns, formatted once: ms drops the last three
 * digits and ns adds three zeros.  Below 1000 us (masked, or before 1970)
 * there is nothing to share and each is formatted on its own.
 */
typedef struct TimeDigits
{
	int64		us;
	int			n;				/* 0: format each */
	char		digits[MAXINT8LEN + 1];
} TimeDigits;

static void
time_digits(TimeDigits *t, int64 us)
{
	t->us = us;
	t->n = us < 1000 ? 0 : pg_ulltoa_n((uint64) us, t->digits);
}

static void
append_ms(StringInfo buf, const TimeDigits *t)
{
	if (t->n)
		json_append_bytes(buf, t->digits, t->n - 3);
	else
		json_append_int64(buf, t->us / 1000);
}

static void
append_us(StringInfo buf, const TimeDigits *t)
{
	if (t->n)
		json_append_bytes(buf, t->digits, t->n);
	else
		json_append_int64(buf, t->us);
}

static void
append_ns(StringInfo buf, const TimeDigits *t)
{
	if (t->n)
	{
		json_append_bytes(buf, t->digits, t->n);
		json_append_lit(buf, "000");
	}
	else
		json_append_int64(buf, t->us * 1000);
}

/* ,"source":{… "sequence":"[<last commit>,\" */
static void
write_source_a(StringInfo buf, const EnvelopeSession *es, const TimeDigits *t)
{
	json_append_bytes(buf, es->source_head, es->source_head_len);
	append_ms(buf, t);
	json_append_bytes(buf, es->source_tail, es->source_tail_len);
	if (!es->has_last_commit)
		json_append_lit(buf, "null");
	else
	{
		json_append_lit(buf, "\\\"");
		json_append_uint64(buf, es->opts->mask_volatile ? 0 : es->last_commit_lsn);
		json_append_lit(buf, "\\\"");
	}
	json_append_lit(buf, ",\\\"");
}

/* \"]","ts_us":…,"ts_ns":… */
static void
write_source_b(StringInfo buf, const TimeDigits *t)
{
	json_append_lit(buf, "\\\"]\",\"ts_us\":");
	append_us(buf, t);
	json_append_lit(buf, ",\"ts_ns\":");
	append_ns(buf, t);
}

/*
 * Render the transaction's share of the source block.  commit_time is the
 * commit's timestamp (0 for a message outside any transaction: now).  The
 * fragments' buffer is allocated in cxt the first time and reused by every
 * later transaction of the same TxnContext, so cxt must outlive it.
 */
void
envelope_begin_txn(EnvelopeSession *es, TxnContext *txn, TransactionId xid,
				   TimestampTz commit_time, const char *snapshot, MemoryContext cxt)
{
	bool		mask = es->opts->mask_volatile;
	StringInfo	buf = &txn->fragments;
	TimeDigits	t;
	int			id_len = 0;
	int			b_start;
	int			xid_start;

	time_digits(&t, mask ? 0 : unix_us(commit_time ? commit_time : GetCurrentTimestamp()));
	ensure_source_tail(es, snapshot);
	txn->xid = xid;
	txn->serial++;
	txn->begin_sent = false;
	txn->had_changes = false;
	txn->total_order = 0;
	txn->first_collection = txn->last_collection = NULL;
	txn->commit_ms = t.us / 1000;
	txn->id = NULL;
	if (TransactionIdIsValid(xid))
	{
		id_len = pg_ultoa_n(mask ? 0 : xid, txn->id_buf);
		txn->id_buf[id_len] = '\0';
		txn->id = txn->id_buf;
	}

	if (buf->data == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(cxt);

		initStringInfo(buf);
		MemoryContextSwitchTo(old);
	}
	else
		resetStringInfo(buf);
	write_source_a(buf, es, &t);
	b_start = buf->len;
	write_source_b(buf, &t);
	xid_start = buf->len;
	if (txn->id)
		json_append_bytes(buf, txn->id, id_len);
	else
		json_append_lit(buf, "null");
	json_append_lit(buf, ",\"lsn\":");

	/* pointers last: appending may have moved the buffer */
	txn->source_a = buf->data;
	txn->source_a_len = b_start;
	txn->source_b = buf->data + b_start;
	txn->source_b_len = xid_start - b_start;
	txn->source_xid = buf->data + xid_start;
	txn->source_xid_len = buf->len - xid_start;
}

static void
write_field_schema(StringInfo buf, const RelColumn *col, bool optional)
{
	column_type_write_schema(buf, &col->type, optional);
	if (col->default_json)
	{
		json_append_lit(buf, ",\"default\":");
		appendStringInfoString(buf, col->default_json);
	}
	json_append_lit(buf, ",\"field\":");
	json_append_bytes(buf, col->field + 1, strlen(col->field) - 2);
	json_append_char(buf, '}');
}

static void
write_value_struct_schema(StringInfo buf, const RelationEntry *entry, const char *field)
{
	json_append_lit(buf, "{\"type\":\"struct\",\"fields\":[");
	for (int i = 0; i < entry->ncols; i++)
	{
		if (i)
			json_append_char(buf, ',');
		write_field_schema(buf, &entry->cols[i], !entry->cols[i].notnull);
	}
	appendStringInfo(buf, "],\"optional\":true,\"name\":\"%s.Value\",\"field\":\"%s\"}",
					 entry->topic, field);
}

void
envelope_render_table_schemas(RelationEntry *entry, const DecoderOptions *opts)
{
	StringInfoData buf;

	entry->key_head_len = entry->value_head_len = 0;
	if (!opts->schemas_enable)
	{
		entry->key_head = "";
		entry->value_head = "";
		return;
	}
	initStringInfo(&buf);
	json_append_lit(&buf, "{\"schema\":{\"type\":\"struct\",\"fields\":[");
	for (int k = 0; k < entry->nkeys; k++)
	{
		if (k)
			json_append_char(&buf, ',');
		write_field_schema(&buf, &entry->cols[entry->keys[k]], false);
	}
	appendStringInfo(&buf, "],\"optional\":false,\"name\":\"%s.Key\"},\"payload\":", entry->topic);
	entry->key_head = buf.data;
	entry->key_head_len = buf.len;

	initStringInfo(&buf);
	json_append_lit(&buf, "{\"schema\":{\"type\":\"struct\",\"fields\":[");
	write_value_struct_schema(&buf, entry, "before");
	json_append_char(&buf, ',');
	write_value_struct_schema(&buf, entry, "after");
	json_append_char(&buf, ',');
	appendStringInfoString(&buf, source_schema);
	json_append_char(&buf, ',');
	appendStringInfoString(&buf, transaction_schema);
	appendStringInfo(&buf, ",{\"type\":\"string\",\"optional\":false,\"field\":\"op\"},"
					 OPTIONAL_INT64("ts_ms") "," OPTIONAL_INT64("ts_us") "," OPTIONAL_INT64("ts_ns")
					 "],\"optional\":false,\"name\":\"%s.Envelope\",\"version\":2},\"payload\":",
					 entry->topic);
	entry->value_head = buf.data;
	entry->value_head_len = buf.len;
}

static void
write_column(StringInfo buf, const RelColumn *col, const RowImage *row, const DecoderOptions *opts)
{
	Datum		value = row->values[col->attidx];

	if (row->nulls[col->attidx])
	{
		if (row->key_only && col->notnull)
			column_type_write_zero(buf, &col->type, opts, false);
		else
			json_append_lit(buf, "null");
	}
	else if (col->type.varlena && VARATT_IS_EXTERNAL_ONDISK(DatumGetPointer(value)))
		column_type_write_unavailable(buf, &col->type, opts);
	else
		column_type_write(buf, &col->type, value, opts);
}

static void
write_row(StringInfo buf, const RelationEntry *entry, const RowImage *row, const DecoderOptions *opts)
{
	if (row == NULL)
	{
		json_append_lit(buf, "null");
		return;
	}
	json_append_char(buf, '{');
	for (int i = 0; i < entry->ncols; i++)
	{
		const RelColumn *col = &entry->cols[i];

		json_append_bytes(buf, col->field + (i == 0), col->field_len - (i == 0));
		write_column(buf, col, row, opts);
	}
	json_append_char(buf, '}');
}

void
envelope_write_key(StringInfo buf, const RelationEntry *entry, const RowImage *row,
				   const DecoderOptions *opts)
{
	json_append_bytes(buf, entry->key_head, entry->key_head_len);
	json_append_char(buf, '{');
	for (int k = 0; k < entry->nkeys; k++)
	{
		const RelColumn *col = &entry->cols[entry->keys[k]];

		json_append_bytes(buf, col->field + (k == 0), col->field_len - (k == 0));
		write_column(buf, col, row, opts);
	}
	json_append_char(buf, '}');
	if (entry->key_head[0])
		json_append_char(buf, '}');
}

static void
write_source(StringInfo buf, const EnvelopeSession *es, const TxnContext *txn,
			 const char *source_table, int source_table_len, XLogRecPtr lsn)
{
	char		digits[MAXINT8LEN + 1];
	int			ndigits = pg_ulltoa_n(es->opts->mask_volatile ? 0 : lsn, digits);

	/* the lsn appears twice: in the sequence and on its own */
	json_append_bytes(buf, txn->source_a, txn->source_a_len);
	json_append_bytes(buf, digits, ndigits);
	json_append_bytes(buf, txn->source_b, txn->source_b_len);
	json_append_bytes(buf, source_table, source_table_len);
	json_append_bytes(buf, txn->source_xid, txn->source_xid_len);
	json_append_bytes(buf, digits, ndigits);
	json_append_lit(buf, ",\"xmin\":null}");
}

/* The transaction block, counting the event for transaction metadata. */
/* Debezium's transaction id: "<xid>:<lsn of the record being emitted>". */
static void
write_txn_id(StringInfo buf, const EnvelopeSession *es, const TxnContext *txn, XLogRecPtr lsn)
{
	json_append_char(buf, '"');
	appendStringInfoString(buf, txn->id);
	json_append_char(buf, ':');
	json_append_uint64(buf, es->opts->mask_volatile ? 0 : lsn);
	json_append_char(buf, '"');
}

static void
write_transaction(StringInfo buf, const EnvelopeSession *es, TxnContext *txn,
				  RelationEntry *entry, XLogRecPtr lsn)
{
	if (!es->opts->transaction_metadata || txn->id == NULL)
	{
		json_append_lit(buf, ",\"transaction\":null");
		return;
	}
	if (entry->txn_serial != txn->serial)
	{
		entry->txn_serial = txn->serial;
		entry->txn_events = 0;
		entry->txn_next = NULL;
		if (txn->last_collection)
			txn->last_collection->txn_next = entry;
		else
			txn->first_collection = entry;
		txn->last_collection = entry;
	}
	txn->total_order++;
	entry->txn_events++;
	json_append_lit(buf, ",\"transaction\":{\"id\":");
	write_txn_id(buf, es, txn, lsn);
	json_append_lit(buf, ",\"total_order\":");
	json_append_int64(buf, txn->total_order);
	json_append_lit(buf, ",\"data_collection_order\":");
	json_append_int64(buf, entry->txn_events);
	json_append_char(buf, '}');
}

static void
write_event_time(StringInfo buf, const EnvelopeSession *es, bool with_us)
{
	TimeDigits	t;

	time_digits(&t, es->opts->mask_volatile ? 0 : unix_us(GetCurrentTimestamp()));
	json_append_lit(buf, ",\"ts_ms\":");
	append_ms(buf, &t);
	if (!with_us)
		return;
	json_append_lit(buf, ",\"ts_us\":");
	append_us(buf, &t);
	json_append_lit(buf, ",\"ts_ns\":");
	append_ns(buf, &t);
}

void
envelope_write_change(StringInfo buf, EnvelopeSession *es, TxnContext *txn,
					  RelationEntry *entry, char op, const RowImage *before,
					  const RowImage *after, XLogRecPtr lsn)
{
	json_append_bytes(buf, entry->value_head, entry->value_head_len);
	json_append_lit(buf, "{\"before\":");
	write_row(buf, entry, before, es->opts);
	json_append_lit(buf, ",\"after\":");
	write_row(buf, entry, after, es->opts);
	write_source(buf, es, txn, entry->source_table, entry->source_table_len, lsn);
	write_transaction(buf, es, txn, entry, lsn);
	json_append_lit(buf, ",\"op\":\"");
	json_append_char(buf, op);
	json_append_char(buf, '"');
	write_event_time(buf, es, true);
	json_append_char(buf, '}');
	if (entry->value_head[0])
		json_append_char(buf, '}');
}

void
envelope_write_txn_key(StringInfo buf, const EnvelopeSession *es, const TxnContext *txn,
					   XLogRecPtr lsn)
{
	if (es->opts->schemas_enable)
		appendStringInfoString(buf, txn_key_schema);
	json_append_lit(buf, "{\"id\":");
	write_txn_id(buf, es, txn, lsn);
	json_append_char(buf, '}');
	if (es->opts->schemas_enable)
		json_append_char(buf, '}');
}

/*
 * Java's String.hashCode over the UTF-16 code units of a UTF-8 string, as
 * java.util.HashMap spreads it.
 */
static uint32
java_hash(const char *s)
{
	uint32		h = 0;
	const unsigned char *p = (const unsigned char *) s;

	while (*p)
	{
		int			len = pg_utf_mblen(p);
		pg_wchar	c = utf8_to_unicode(p);

		if (c > 0xFFFF)
		{
			h = h * 31 + (0xD800 + ((c - 0x10000) >> 10));
			h = h * 31 + (0xDC00 + ((c - 0x10000) & 0x3FF));
		}
		else
			h = h * 31 + c;
		p += len;
	}
	return h ^ (h >> 16);
}

typedef struct CollectionSlot
{
	RelationEntry *entry;
	uint32		bucket;
	int			order;
} CollectionSlot;

static int
compare_slots(const void *a, const void *b)
{
	const CollectionSlot *x = a;
	const CollectionSlot *y = b;

	if (x->bucket != y->bucket)
		return x->bucket < y->bucket ? -1 : 1;
	return x->order - y->order;
}

/*
 * END's data_collections in the order Debezium's HashMap iterates them:
 * by bucket (the spread hash modulo a capacity of 16, doubled beyond a
 * 0.75 load), then by insertion.
 */
static void
write_data_collections(StringInfo buf, const TxnContext *txn)
{
	int			n = 0;
	uint32		capacity = 16;
	CollectionSlot *slots;

	for (RelationEntry *e = txn->first_collection; e; e = e->txn_next)
		n++;
	while ((uint32) n > capacity * 3 / 4)
		capacity *= 2;
	slots = palloc(sizeof(CollectionSlot) * Max(n, 1));
	n = 0;
	for (RelationEntry *e = txn->first_collection; e; e = e->txn_next, n++)
	{
		slots[n].entry = e;
		slots[n].bucket = java_hash(e->data_collection) & (capacity - 1);
		slots[n].order = n;
	}
	qsort(slots, n, sizeof(CollectionSlot), compare_slots);
	json_append_char(buf, '[');
	for (int i = 0; i < n; i++)
	{
		if (i > 0)
			json_append_char(buf, ',');
		json_append_lit(buf, "{\"data_collection\":");
		json_append_cstring(buf, slots[i].entry->data_collection);
		json_append_lit(buf, ",\"event_count\":");
		json_append_int64(buf, slots[i].entry->txn_events);
		json_append_char(buf, '}');
	}
	json_append_char(buf, ']');
	pfree(slots);
}

void
envelope_write_txn_event(StringInfo buf, const EnvelopeSession *es, const TxnContext *txn,
						 bool end, XLogRecPtr lsn)
{
	if (es->opts->schemas_enable)
		appendStringInfoString(buf, txn_value_schema);
	json_append_lit(buf, "{\"status\":");
	if (end)
		json_append_lit(buf, "\"END\"");
	else
		json_append_lit(buf, "\"BEGIN\"");
	json_append_lit(buf, ",\"id\":");
	write_txn_id(buf, es, txn, lsn);
	if (!end)
		json_append_lit(buf, ",\"event_count\":null,\"data_collections\":null");
	else
	{
		json_append_lit(buf, ",\"event_count\":");
		json_append_int64(buf, txn->total_order);
		json_append_lit(buf, ",\"data_collections\":");
		write_data_collections(buf, txn);
	}
	json_append_lit(buf, ",\"ts_ms\":");
	json_append_int64(buf, txn->commit_ms);
	json_append_char(buf, '}');
	if (es->opts->schemas_enable)
		json_append_char(buf, '}');
}

void
envelope_write_message_key(StringInfo buf, const EnvelopeSession *es, const char *prefix)
{
	if (es->opts->schemas_enable)
		appendStringInfoString(buf, message_key_schema);
	json_append_lit(buf, "{\"prefix\":");
	json_append_cstring(buf, prefix);
	json_append_char(buf, '}');
	if (es->opts->schemas_enable)
		json_append_char(buf, '}');
}

static void
write_message_schema(StringInfo buf, const DecoderOptions *opts)
{
	json_append_lit(buf, "{\"schema\":{\"type\":\"struct\",\"fields\":["
					"{\"type\":\"string\",\"optional\":false,\"field\":\"op\"},"
					OPTIONAL_INT64("ts_ms") ",");
	appendStringInfoString(buf, source_schema);
	json_append_char(buf, ',');
	appendStringInfoString(buf, transaction_schema);
	json_append_lit(buf, ",{\"type\":\"struct\",\"fields\":["
					"{\"type\":\"string\",\"optional\":true,\"field\":\"prefix\"},");
	if (opts->binary_mode == BINARY_BYTES)
		json_append_lit(buf, "{\"type\":\"bytes\",\"optional\":true,\"field\":\"content\"}");
	else
		json_append_lit(buf, "{\"type\":\"string\",\"optional\":true,\"field\":\"content\"}");
	json_append_lit(buf, "],\"optional\":false,\"name\":\"io.debezium.connector.postgresql.Message\","
					"\"version\":1,\"field\":\"message\"}],\"optional\":false,"
					"\"name\":\"io.debezium.connector.postgresql.MessageValue\",\"version\":1},\"payload\":");
}

void
envelope_write_message(StringInfo buf, EnvelopeSession *es, TxnContext *txn,
					   const char *prefix, const char *content, Size size, XLogRecPtr lsn)
{
	static RelationEntry message_collection = {.data_collection = "message"};

	if (es->opts->schemas_enable)
		write_message_schema(buf, es->opts);
	json_append_lit(buf, "{\"op\":\"m\"");
	write_event_time(buf, es, false);
	write_source(buf, es, txn, message_source_table, sizeof(message_source_table) - 1, lsn);
	write_transaction(buf, es, txn, &message_collection, lsn);
	json_append_lit(buf, ",\"message\":{\"prefix\":");
	json_append_cstring(buf, prefix);
	json_append_lit(buf, ",\"content\":");
	if (es->opts->binary_mode == BINARY_HEX)
		json_append_hex(buf, (const unsigned char *) content, size);
	else
		json_append_base64(buf, (const unsigned char *) content, size,
						   es->opts->binary_mode == BINARY_BASE64_URL);
	json_append_lit(buf, "}}");
	if (es->opts->schemas_enable)
		json_append_char(buf, '}');
}
