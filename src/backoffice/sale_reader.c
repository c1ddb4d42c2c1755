/*
 * sale_reader.c
 *		Reads what the posting needs about a sale, by index and without a
 *		statement: the sale and its venue, its business date (sold_at's
 *		local date in the venue's zone), a closed accounting period covering
 *		that date, whether its journal entry exists, and its payments.  Rows
 *		are read as a fresh snapshot sees them, after this transaction's
 *		earlier writes (the till's rows of the sale).
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation_d.h"
#include "executor/tuptable.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "backoffice/locked_row.h"
#include "backoffice/numeric_ops.h"
#include "backoffice/row_writer.h"
#include "backoffice/sale_posting.h"
#include "backoffice/table_reader.h"

/* The sale and its venue; the business date. */
static void
read_sale_row(ReadTable *sales, ReadTable *venues, Snapshot snapshot, int64 sale_id, SaleHeader *h)
{
	bool		isnull;
	Datum		zone;

	if (!read_by_id(sales, sale_id, snapshot))
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("sale %lld does not exist", (long long) sale_id)));
	h->sale_id = sale_id;
	h->venue_id = DatumGetInt64(slot_column(sales->slot, "venue_id", &isnull));
	h->kind = slot_column_copy(sales->slot, "kind", &isnull);
	h->key = slot_column_copy(sales->slot, "idempotency_key", &isnull);
	h->sold_at = slot_column_copy(sales->slot, "sold_at", &isnull);
	if (!read_by_id(venues, h->venue_id, snapshot))
		elog(ERROR, "sale %lld: venue %lld not found", (long long) sale_id, (long long) h->venue_id);
	h->country = slot_column_copy(venues->slot, "country", &isnull);
	h->rounding_rule = slot_column_copy(venues->slot, "rounding_rule", &isnull);
	h->allow_negative = DatumGetBool(slot_column(venues->slot, "allow_negative_stock", &isnull));
	zone = slot_column(venues->slot, "time_zone", &isnull);
	h->business_date = DirectFunctionCall1(timestamp_date,
										   DirectFunctionCall2(timestamptz_zone, zone, h->sold_at));
}

/* A closed period of the venue covering the business date: "start to end". */
static bool
covering_period(TupleTableSlot *slot, void *arg)
{
	SaleHeader *h = arg;
	bool		isnull;
	Datum		start = slot_column(slot, "period_start", &isnull);

	if (DatumGetInt32(DirectFunctionCall2(date_cmp, start, h->business_date)) > 0)
		return true;			/* starts after the date: look further */
	h->closed = psprintf("%s to %s", DatumGetCString(DirectFunctionCall1(date_out, start)),
						 DatumGetCString(DirectFunctionCall1(date_out, slot_column(slot, "period_end", &isnull))));
	return false;
}

static void
read_closed_period(ReadTable *periods, Snapshot snapshot, SaleHeader *h)
{
	ScanKeyData keys[2];

	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(h->venue_id));
	ScanKeyInit(&keys[1], 2, BTGreaterEqualStrategyNumber, F_DATE_GE, h->business_date);
	h->closed = NULL;
	read_each(periods, keys, 2, snapshot, covering_period, h);
}

/* Posted already: the entry with idempotency key sale:<id> exists. */
static void
read_posted(ReadTable *entries, Snapshot snapshot, SaleHeader *h)
{
	ScanKeyData keys[2];

	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(h->venue_id));
	ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_TEXTEQ,
				CStringGetTextDatum(psprintf("sale:%lld", (long long) h->sale_id)));
	keys[1].sk_collation = DEFAULT_COLLATION_OID;
	h->posted = read_first(entries, keys, 2, snapshot);
}

static bool
add_payment(TupleTableSlot *slot, void *arg)
{
	SaleHeader *h = arg;
	bool		isnull;
	Datum		amount = slot_column_copy(slot, "amount", &isnull);

	h->methods = lappend(h->methods, TextDatumGetCString(slot_column(slot, "method", &isnull)));
	h->amounts = lappend(h->amounts, DatumGetPointer(amount));
	h->paid = num_add(h->paid, amount);
	return true;
}

/* The payments, in method order (the primary key's). */
static void
read_payments(ReadTable *payments, Snapshot snapshot, SaleHeader *h)
{
	ScanKeyData key;

	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(h->sale_id));
	h->methods = NIL;
	h->amounts = NIL;
	h->paid = num_int(0);
	read_each(payments, &key, 1, snapshot, add_payment, h);
}

void
sale_read(int64 sale_id, SaleHeader *h)
{
	Snapshot	snapshot = RegisterSnapshot(locked_row_snapshot());
	ReadTable	sales,
				venues,
				periods,
				entries,
				payments;

	read_open(&sales, "sale", NULL);
	read_open(&venues, "venue", NULL);
	read_open(&periods, "accounting_period", "accounting_period_venue");
	read_open(&entries, "journal_entry", "journal_entry_venue_id_idempotency_key_key");
	read_open(&payments, "sale_payment", NULL);
	read_sale_row(&sales, &venues, snapshot, sale_id, h);
	read_closed_period(&periods, snapshot, h);
	read_posted(&entries, snapshot, h);
	read_payments(&payments, snapshot, h);
	read_close(&payments);
	read_close(&entries);
	read_close(&periods);
	read_close(&venues);
	read_close(&sales);
	UnregisterSnapshot(snapshot);
}
