/*
 * sale_posting.c
 *		Posts a sale at commit: pub.sale_post_trigger() (the deferred
 *		constraint trigger sale_posted) and pub.post_sale(bigint).
 *
 * Two prepared statements do the reading, the checks' arithmetic, the
 * stock-level moves and the locks (sale_queries.c); C refuses what the rules
 * refuse, with the errors of the 1.1 PL/pgSQL posting, and writes the entry,
 * its lines, the stock movements and the events through row_writer.c.
 *
 * Why the posting's own rows skip the per-row triggers and foreign-key
 * checks, and what keeps each rule instead (every other writer still gets
 * all of them):
 *	 journal_entry_open_period  the header statement refuses a sale whose
 *								business date is in a closed period
 *	 journal_entry_balanced		kept: queued for the entry, fires at commit;
 *								and asserted here before anything is written
 *	 journal_line -> journal_entry	the entry is this transaction's, written here
 *	 journal_line -> account	the accounts are the venue's, read and locked
 *								FOR KEY SHARE by the posting statement
 *	 journal_entry -> venue		the sale's own foreign key locked it in this
 *								transaction
 *	 stock_movement -> stock_item	the level rows are locked FOR UPDATE, and
 *								a stock item cannot be deleted under its level
 *	 stock_movement_apply		the posting statement moves the levels itself,
 *								with the same rules (negative stock refused
 *								here, StockBelowPar written here)
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/transam.h"
#include "access/xact.h"
#include "catalog/pg_type_d.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/fmgroids.h"
#include "utils/timestamp.h"

#include "backoffice/row_writer.h"
#include "backoffice/sale_queries.h"

PG_FUNCTION_INFO_V1(pbo_sale_post_trigger);
PG_FUNCTION_INFO_V1(pbo_post_sale);

/* The header row, kept while the posting statement runs. */
typedef struct SaleHeader
{
	HeapTuple	row;
	TupleDesc	desc;
	int64		sale_id;
	int64		venue_id;
	Datum		kind;			/* text */
	Datum		key;			/* text */
	Datum		sold_at;		/* timestamptz */
	Datum		country;		/* text */
	Datum		rounding_rule;	/* text */
	Datum		business_date;	/* date */
} SaleHeader;

static Datum
header_value(const SaleHeader *h, int column, bool *isnull)
{
	return SPI_getbinval(h->row, h->desc, column, isnull);
}

static bool
header_isnull(const SaleHeader *h, int column)
{
	bool		isnull;

	header_value(h, column, &isnull);
	return isnull;
}

static char *
header_text(const SaleHeader *h, int column)
{
	char	   *s = SPI_getvalue(h->row, h->desc, column);

	return s ? s : "";
}

/* The missing VAT rate's own error, from pub.vat_rate_on. */
static void
raise_missing_rate(const SaleHeader *h)
{
	Oid			types[3] = {TEXTOID, TEXTOID, DATEOID};
	Datum		args[3];
	bool		isnull;

	args[0] = h->country;
	args[1] = header_value(h, HDR_BAD_CLASS, &isnull);
	args[2] = h->business_date;
	SPI_execute_with_args("SELECT pub.vat_rate_on($1, $2, $3)", 3, types, args, NULL, true, 1);
	elog(ERROR, "sale posting: a line has no VAT rate but pub.vat_rate_on found one");
}

/* The checks of the 1.1 posting, in its order and with its errors. */
static void
check_sale(const SaleHeader *h)
{
	const char *key = TextDatumGetCString(h->key);
	bool		isnull;

	if (!header_isnull(h, HDR_CLOSED))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("sale %s: sold_at %s (business date %s) falls in closed accounting period %s",
						key, header_text(h, HDR_SOLD_AT_TEXT), header_text(h, HDR_DATE_TEXT),
						header_text(h, HDR_CLOSED)),
				 errhint("Record it in the next open period.")));
	if (!header_isnull(h, HDR_BAD_LINE))
	{
		if (!DatumGetBool(header_value(h, HDR_BAD_ACTIVE, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
					 errmsg("sale %s line %s: product_id %s is inactive",
							key, header_text(h, HDR_BAD_LINE), header_text(h, HDR_BAD_PRODUCT))));
		raise_missing_rate(h);
	}
	if (DatumGetInt64(header_value(h, HDR_N_LINES, &isnull)) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sale %s has no lines", key),
				 errhint("Insert the sale and its lines in one transaction.")));
	if (!DatumGetBool(header_value(h, HDR_PAID_OK, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("sale %s: payments amount total %s does not equal the lines total %s",
						key, header_text(h, HDR_PAID_TEXT), header_text(h, HDR_GROSS_TEXT))));
}

/* Reads and checks the sale; false when it is posted already. */
static bool
read_sale(int64 sale_id, SaleHeader *h)
{
	Datum		arg = Int64GetDatum(sale_id);
	bool		isnull;

	if (SPI_execute_plan(sale_header_plan(), &arg, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "sale posting: the header statement failed");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("sale %lld does not exist", (long long) sale_id)));
	h->row = SPI_tuptable->vals[0];
	h->desc = SPI_tuptable->tupdesc;
	if (DatumGetBool(header_value(h, HDR_POSTED, &isnull)))
		return false;
	h->sale_id = sale_id;
	h->venue_id = DatumGetInt64(header_value(h, HDR_VENUE_ID, &isnull));
	h->kind = header_value(h, HDR_KIND, &isnull);
	h->key = header_value(h, HDR_KEY, &isnull);
	h->sold_at = header_value(h, HDR_SOLD_AT, &isnull);
	h->country = header_value(h, HDR_COUNTRY, &isnull);
	h->rounding_rule = header_value(h, HDR_ROUNDING_RULE, &isnull);
	h->business_date = header_value(h, HDR_BUSINESS_DATE, &isnull);
	check_sale(h);
	return true;
}

/* One row of the posting statement's result. */
typedef struct PostingRow
{
	char	   *what;
	Datum		values[PST_SKU];
	bool		isnull[PST_SKU];
} PostingRow;

static void
posting_row(uint64 i, PostingRow *r)
{
	for (int c = 1; c <= PST_SKU; c++)
		r->values[c - 1] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, c, &r->isnull[c - 1]);
	r->what = TextDatumGetCString(r->values[PST_WHAT - 1]);
}

#define ROW_VALUE(r, col) ((r)->values[(col) - 1])

static char *
numeric_text(Datum n)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, n));
}

/* Negative stock where the venue forbids it: the error of stock_movement_apply. */
static void
refuse_negative_stock(void)
{
	PostingRow	r;

	for (uint64 i = 0; i < SPI_processed; i++)
	{
		posting_row(i, &r);
		if (strcmp(r.what, "negative") == 0)
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("stock of item %s would go negative: quantity %s after a movement of %s",
							TextDatumGetCString(ROW_VALUE(&r, PST_SKU)),
							numeric_text(ROW_VALUE(&r, PST_A)), numeric_text(ROW_VALUE(&r, PST_B))),
					 errhint("The venue forbids negative stock (allow_negative_stock = false): book the delivery first.")));
	}
}

/*
 * Debits equal credits over at least two lines: checked again at commit by
 * journal_entry_balanced, asserted here so that nothing unbalanced is written.
 */
static void
assert_balanced(int64 entry_id, int64 sale_id)
{
	Datum		debit = DirectFunctionCall1(int4_numeric, Int32GetDatum(0));
	Datum		credit = debit;
	int			n = 0;
	PostingRow	r;

	for (uint64 i = 0; i < SPI_processed; i++)
	{
		posting_row(i, &r);
		if (strcmp(r.what, "line") != 0)
			continue;
		debit = DirectFunctionCall2(numeric_add, debit, ROW_VALUE(&r, PST_A));
		credit = DirectFunctionCall2(numeric_add, credit, ROW_VALUE(&r, PST_B));
		n++;
	}
	if (DatumGetInt32(DirectFunctionCall2(numeric_cmp, debit, credit)) != 0 || n < 2)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("journal entry %lld (sale:%lld) does not balance: debits %s <> credits %s over %d lines",
						(long long) entry_id, (long long) sale_id, numeric_text(debit), numeric_text(credit), n),
				 errhint("Every entry needs at least two lines whose debits equal its credits.")));
}

/* What the defaults of the posting's tables would give. */
typedef struct RowDefaults
{
	Datum		now;
	Datum		txid;
} RowDefaults;

static void
write_entry(RowWriter *w, RowWriterTable *t, const SaleHeader *h, int64 entry_id, const RowDefaults *d)
{
	char	   *kind = TextDatumGetCString(h->kind);
	char	   *key = TextDatumGetCString(h->key);

	row_start(t);
	row_set(t, "id", Int64GetDatum(entry_id), false);
	row_set(t, "venue_id", Int64GetDatum(h->venue_id), false);
	row_set(t, "entry_date", h->business_date, false);
	row_set(t, "source", CStringGetTextDatum("sale"), false);
	row_set(t, "source_id", Int64GetDatum(h->sale_id), false);
	row_set(t, "idempotency_key", CStringGetTextDatum(psprintf("sale:%lld", (long long) h->sale_id)), false);
	row_set(t, "memo", CStringGetTextDatum(psprintf("%s %s", kind, key)), false);
	row_set(t, "txid", d->txid, false);
	row_set(t, "created_at", d->now, false);
	row_set(t, "created_by", DirectFunctionCall1(namein,
												 CStringGetDatum(GetUserNameFromId(GetSessionUserId(), false))), false);
	row_insert(w, t);
}

static void
write_line(RowWriter *w, RowWriterTable *t, const SaleHeader *h, int64 entry_id, const PostingRow *r,
		   const RowDefaults *d)
{
	row_start(t);
	row_set(t, "id", Int64GetDatum(row_next_id(t)), false);
	row_set(t, "entry_id", Int64GetDatum(entry_id), false);
	row_set(t, "venue_id", Int64GetDatum(h->venue_id), false);
	row_set(t, "account_id", ROW_VALUE(r, PST_ID), false);
	row_set(t, "debit", ROW_VALUE(r, PST_A), false);
	row_set(t, "credit", ROW_VALUE(r, PST_B), false);
	row_set(t, "vat_rate", ROW_VALUE(r, PST_RATE), r->isnull[PST_RATE - 1]);
	row_set(t, "entry_txid", d->txid, false);
	row_insert(w, t);
}

static void
write_move(RowWriter *w, RowWriterTable *t, const SaleHeader *h, const PostingRow *r, const RowDefaults *d)
{
	row_start(t);
	row_set(t, "id", Int64GetDatum(row_next_id(t)), false);
	row_set(t, "venue_id", Int64GetDatum(h->venue_id), false);
	row_set(t, "stock_item_id", ROW_VALUE(r, PST_ID), false);
	row_set(t, "kind", h->kind, false);
	row_set(t, "quantity", ROW_VALUE(r, PST_A), false);
	row_set(t, "unit_cost", ROW_VALUE(r, PST_B), false);
	row_set(t, "valued", BoolGetDatum(false), false);
	row_set(t, "source_id", Int64GetDatum(h->sale_id), false);
	row_set(t, "moved_on", h->business_date, false);
	row_set(t, "created_at", d->now, false);
	row_insert(w, t);
}

/* SaleRecorded (aggregate sale) or StockBelowPar (aggregate stock item). */
static void
write_event(RowWriter *w, RowWriterTable *t, const SaleHeader *h, const PostingRow *r, const RowDefaults *d)
{
	bool		recorded = strcmp(r->what, "recorded") == 0;
	int64		aggregate = recorded ? h->sale_id : DatumGetInt64(ROW_VALUE(r, PST_ID));

	row_start(t);
	row_set(t, "id", OidFunctionCall0(F_GEN_RANDOM_UUID), false);
	row_set(t, "aggregatetype", CStringGetTextDatum(recorded ? "sale" : "stock"), false);
	row_set(t, "aggregateid", CStringGetTextDatum(psprintf("%lld", (long long) aggregate)), false);
	row_set(t, "type", CStringGetTextDatum(recorded ? "SaleRecorded" : "StockBelowPar"), false);
	row_set(t, "payload", ROW_VALUE(r, PST_PAYLOAD), false);
	row_set(t, "venue_id", Int64GetDatum(h->venue_id), false);
	row_set(t, "created_at", d->now, false);
	row_insert(w, t);
}

/* Runs the posting statement and writes its rows; returns the entry id. */
static int64
write_posting(const SaleHeader *h)
{
	Datum		args[SALE_POSTING_NARGS] = {Int64GetDatum(h->sale_id), Int64GetDatum(h->venue_id),
		h->country, h->business_date, h->kind, h->rounding_rule, h->key, h->sold_at,
		Int32GetDatum(strcmp(TextDatumGetCString(h->kind), "sale") == 0 ? 1 : -1)};
	RowDefaults d;
	RowWriter  *w;
	RowWriterTable *entries, *lines, *moves, *events;
	int64		entry_id;
	PostingRow	r;

	if (SPI_execute_plan(sale_posting_plan(), args, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "sale posting: the posting statement failed");
	refuse_negative_stock();
	d.now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	d.txid = Int64GetDatum((int64) U64FromFullTransactionId(GetTopFullTransactionId()));
	w = row_writer_begin();
	entries = row_writer_table(w, "journal_entry", "journal_entry_balanced");
	lines = row_writer_table(w, "journal_line", NULL);
	moves = row_writer_table(w, "stock_movement", NULL);
	events = row_writer_table(w, "outbox", NULL);
	entry_id = row_next_id(entries);
	assert_balanced(entry_id, h->sale_id);
	write_entry(w, entries, h, entry_id, &d);
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		posting_row(i, &r);
		if (strcmp(r.what, "line") == 0)
			write_line(w, lines, h, entry_id, &r, &d);
		else if (strcmp(r.what, "move") == 0)
			write_move(w, moves, h, &r, &d);
		else
			write_event(w, events, h, &r, &d);
	}
	row_writer_end(w);
	return entry_id;
}

/* Posts a sale once; returns the entry id, or 0 with *posted false when posted already. */
static int64
post_sale(int64 sale_id, bool *posted)
{
	SaleHeader	h;
	int64		entry_id = 0;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "sale posting: SPI_connect failed");
	*posted = read_sale(sale_id, &h);
	if (*posted)
		entry_id = write_posting(&h);
	SPI_finish();
	return entry_id;
}

/* The deferred constraint trigger sale_posted on pub.sale. */
Datum
pbo_sale_post_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	int			attnum;
	bool		isnull;
	bool		posted;
	Datum		id;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || !TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("pub.sale_post_trigger() must be fired AFTER INSERT FOR EACH ROW")));
	attnum = SPI_fnumber(RelationGetDescr(td->tg_relation), "id");
	id = heap_getattr(td->tg_trigtuple, attnum, RelationGetDescr(td->tg_relation), &isnull);
	if (attnum <= 0 || isnull)
		elog(ERROR, "pub.sale_post_trigger(): the row has no id");
	post_sale(DatumGetInt64(id), &posted);
	return PointerGetDatum(NULL);
}

/* pub.post_sale(sale_id): the entry id, or NULL when the sale is posted already. */
Datum
pbo_post_sale(PG_FUNCTION_ARGS)
{
	bool		posted;
	int64		entry_id = post_sale(PG_GETARG_INT64(0), &posted);

	if (!posted)
		PG_RETURN_NULL();
	PG_RETURN_INT64(entry_id);
}
