/*
 * sale_posting.c
 *		Posts a sale at commit: pub.sale_post_trigger() (the deferred
 *		constraint trigger sale_posted) and pub.post_sale(bigint).
 *
 * No statement is planned or run on the good path: the sale, its lines and
 * payments are read by index (sale_reader.c, sale_lines.c), the stock levels
 * and accounts locked and the levels moved by index (sale_stock.c, here),
 * the entry added up with SQL's own numeric functions (sale_amounts.c), and
 * the entry, its lines, the movements and the events written through
 * row_writer.c.  What the rules refuse is refused with the errors of the
 * 1.1 PL/pgSQL posting, in its order.
 *
 * Why the posting's own rows skip the per-row triggers and foreign-key
 * checks, and what keeps each rule instead (every other writer still gets
 * all of them):
 *	 journal_entry_open_period  check_period refuses a sale whose business
 *								date is in a closed period
 *	 journal_entry_balanced		kept: queued for the entry, fires at commit;
 *								and asserted here before anything is written
 *	 journal_line -> journal_entry	the entry is this transaction's, written here
 *	 journal_line -> account	the accounts are the venue's, read and locked
 *								FOR KEY SHARE here (find_accounts)
 *	 journal_entry -> venue		the sale's own foreign key locked it in this
 *								transaction
 *	 stock_movement -> stock_item	the level rows are locked FOR UPDATE, and
 *								a stock item cannot be deleted under its level
 *	 stock_movement_apply		sale_stock.c moves the levels itself, with the
 *								same rules (negative stock refused,
 *								StockBelowPar written here)
 * A trigger the extension did not create would be skipped too, with no rule
 * kept: user_triggers.c refuses the posting while one is enabled.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/transam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_collation_d.h"
#include "catalog/pg_type_d.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/lsyscache.h"
#include "utils/snapmgr.h"
#include "utils/fmgroids.h"
#include "utils/timestamp.h"

#include "backoffice/locked_row.h"
#include "backoffice/numeric_ops.h"
#include "backoffice/row_writer.h"
#include "backoffice/sale_posting.h"
#include "backoffice/table_reader.h"
#include "backoffice/trigger_row.h"
#include "backoffice/user_triggers.h"

PG_FUNCTION_INFO_V1(pbo_sale_post_trigger);
PG_FUNCTION_INFO_V1(pbo_post_sale);

/* The first check of the 1.1 posting: no sale posts into a closed period. */
static void
check_period(const SaleHeader *h)
{
	if (h->closed != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("sale %s: sold_at %s (business date %s) falls in closed accounting period %s",
						TextDatumGetCString(h->key),
						DatumGetCString(DirectFunctionCall1(timestamptz_out, h->sold_at)),
						DatumGetCString(DirectFunctionCall1(date_out, h->business_date)), h->closed),
				 errhint("Record it in the next open period.")));
}

/* The last checks of the 1.1 posting: lines exist, payments equal them. */
static void
check_totals(const SaleHeader *h, List *lines, Datum gross)
{
	const char *key = TextDatumGetCString(h->key);

	if (lines == NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sale %s has no lines", key),
				 errhint("Insert the sale and its lines in one transaction.")));
	if (num_cmp(h->paid, num_round2(gross)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("sale %s: payments amount total %s does not equal the lines total %s",
						key, num_text(h->paid), num_text(gross))));
}

/* The account of an amount, locked FOR KEY SHARE as journal_line's foreign key would; 0 when none. */
static int64
lock_account(ReadTable *accounts, Snapshot snapshot, int64 venue_id, const JournalAmount *a)
{
	TupleTableSlot *slot = accounts->slot;
	ScanKeyData keys[3];
	bool		isnull;
	bool		no_category;
	Datum		category;

	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(venue_id));
	ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(a->role));
	ScanKeyInit(&keys[2], 3, BTEqualStrategyNumber, F_TEXTEQ, CStringGetTextDatum(a->category));
	keys[1].sk_collation = DEFAULT_COLLATION_OID;
	keys[2].sk_collation = DEFAULT_COLLATION_OID;
	if (!locked_row_fetch(accounts, keys, 3, LockTupleKeyShare, snapshot))
		return 0;
	/* A followed update may have moved the row off the key. */
	category = slot_column(slot, "category", &no_category);
	if (DatumGetInt64(slot_column(slot, "venue_id", &isnull)) != venue_id ||
		strcmp(TextDatumGetCString(slot_column(slot, "role", &isnull)), a->role) != 0 ||
		strcmp(no_category ? "" : TextDatumGetCString(category), a->category) != 0)
		return 0;
	return DatumGetInt64(slot_column(slot, "id", &isnull));
}

/* Finds and locks the accounts of the amounts that are not zero (index account_role). */
static void
find_accounts(List *amounts, int64 venue_id)
{
	ReadTable	accounts;
	Snapshot	snapshot = RegisterSnapshot(locked_row_snapshot());
	ListCell   *lc;

	read_open_locking(&accounts, "account", "account_role", RowShareLock);
	foreach(lc, amounts)
	{
		JournalAmount *a = lfirst(lc);

		if (num_cmp(a->amount, num_int(0)) != 0)
			a->account_id = lock_account(&accounts, snapshot, venue_id, a);
	}
	read_close(&accounts);
	UnregisterSnapshot(snapshot);
}

/* An amount that becomes a line: not zero, with an account (else the entry won't balance). */
static bool
posts(const JournalAmount *a)
{
	return a->account_id != 0 && num_cmp(a->amount, num_int(0)) != 0;
}

/*
 * Debits equal credits over at least two lines: checked again at commit by
 * journal_entry_balanced, asserted here so that nothing unbalanced is written.
 */
static void
assert_balanced(List *amounts, int64 entry_id, int64 sale_id)
{
	Datum		debit = num_int(0);
	Datum		credit = num_int(0);
	int			n = 0;
	ListCell   *lc;

	foreach(lc, amounts)
	{
		JournalAmount *a = lfirst(lc);

		if (!posts(a))
			continue;
		if (num_cmp(a->stored, num_int(0)) > 0)
			debit = num_add(debit, a->stored);
		else
			credit = num_sub(credit, a->stored);
		n++;
	}
	if (num_cmp(debit, credit) != 0 || n < 2)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("journal entry %lld (sale:%lld) does not balance: debits %s <> credits %s over %d lines",
						(long long) entry_id, (long long) sale_id, num_text(debit), num_text(credit), n),
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

/* A line: debit = greatest(amount, 0), credit = greatest(-amount, 0). */
static void
write_line(RowWriter *w, RowWriterTable *t, const SaleHeader *h, int64 entry_id, const JournalAmount *a,
		   const RowDefaults *d)
{
	bool		debit = num_cmp(a->stored, num_int(0)) > 0;

	row_start(t);
	row_set(t, "id", Int64GetDatum(row_next_id(t)), false);
	row_set(t, "entry_id", Int64GetDatum(entry_id), false);
	row_set(t, "venue_id", Int64GetDatum(h->venue_id), false);
	row_set(t, "account_id", Int64GetDatum(a->account_id), false);
	row_set(t, "debit", debit ? a->stored : num_int(0), false);
	row_set(t, "credit", debit ? num_int(0) : num_sub(num_int(0), a->stored), false);
	row_set(t, "vat_rate", a->rate, !a->has_rate);
	row_set(t, "entry_txid", d->txid, false);
	row_insert(w, t);
}

static void
write_move(RowWriter *w, RowWriterTable *t, const SaleHeader *h, const StockMove *m, const RowDefaults *d)
{
	row_start(t);
	row_set(t, "id", Int64GetDatum(row_next_id(t)), false);
	row_set(t, "venue_id", Int64GetDatum(h->venue_id), false);
	row_set(t, "stock_item_id", Int64GetDatum(m->stock_item_id), false);
	row_set(t, "kind", h->kind, false);
	row_set(t, "quantity", m->quantity, false);
	row_set(t, "unit_cost", m->unit_cost, false);
	row_set(t, "valued", BoolGetDatum(false), false);
	row_set(t, "source_id", Int64GetDatum(h->sale_id), false);
	row_set(t, "moved_on", h->business_date, false);
	row_set(t, "created_at", d->now, false);
	row_insert(w, t);
}

/* A business event in the outbox (aggregate sale or stock item). */
static void
write_event(RowWriter *w, RowWriterTable *t, const SaleHeader *h, const char *aggregate, int64 aggregate_id,
			const char *type, Datum payload, const RowDefaults *d)
{
	row_start(t);
	row_set(t, "id", OidFunctionCall0(F_GEN_RANDOM_UUID), false);
	row_set(t, "aggregatetype", CStringGetTextDatum(aggregate), false);
	row_set(t, "aggregateid", CStringGetTextDatum(psprintf("%lld", (long long) aggregate_id)), false);
	row_set(t, "type", CStringGetTextDatum(type), false);
	row_set(t, "payload", payload, false);
	row_set(t, "venue_id", Int64GetDatum(h->venue_id), false);
	row_set(t, "created_at", d->now, false);
	row_insert(w, t);
}

/* The tables the posting writes. */
typedef struct PostingTables
{
	RowWriterTable *entries;
	RowWriterTable *lines;
	RowWriterTable *movements;
	RowWriterTable *events;
	RowWriterTable *levels;
} PostingTables;

/* Writes the entry, its lines, the movements and the events. */
static int64
write_rows(RowWriter *w, const PostingTables *t, const SaleHeader *h, List *amounts, List *moves,
		   Datum payload)
{
	RowDefaults d;
	int64		entry_id = row_next_id(t->entries);
	ListCell   *lc;

	d.now = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	d.txid = Int64GetDatum((int64) U64FromFullTransactionId(GetTopFullTransactionId()));
	/* Lines are kept when the amount is not zero, then stored at the column's scale, as 1.1's INSERT did. */
	foreach(lc, amounts)
	{
		JournalAmount *a = lfirst(lc);

		a->stored = row_coerce(t->lines, "debit", a->amount);
	}
	assert_balanced(amounts, entry_id, h->sale_id);
	write_entry(w, t->entries, h, entry_id, &d);
	foreach(lc, amounts)
	{
		if (posts(lfirst(lc)))
			write_line(w, t->lines, h, entry_id, lfirst(lc), &d);
	}
	foreach(lc, moves)
		write_move(w, t->movements, h, lfirst(lc), &d);
	foreach(lc, moves)
	{
		StockMove  *m = lfirst(lc);

		if (m->below_par != (Datum) 0)
			write_event(w, t->events, h, "stock", m->stock_item_id, "StockBelowPar", m->below_par, &d);
	}
	write_event(w, t->events, h, "sale", h->sale_id, "SaleRecorded", payload, &d);
	return entry_id;
}

/* Lines, stock, amounts, accounts, then the rows; returns the entry id. */
static int64
write_posting(const SaleHeader *h)
{
	char	   *kind = TextDatumGetCString(h->kind);
	int			sign = strcmp(kind, "sale") == 0 ? 1 : -1;
	RowWriter  *w = row_writer_begin();
	PostingTables t;
	List	   *uses;
	List	   *lines;
	List	   *moves;
	List	   *amounts;
	Datum		gross;
	int64		entry_id;

	t.entries = row_writer_table(w, "journal_entry", "journal_entry_balanced");
	t.lines = row_writer_table(w, "journal_line", NULL);
	t.movements = row_writer_table(w, "stock_movement", NULL);
	t.events = row_writer_table(w, "outbox", NULL);
	t.levels = row_writer_table(w, "stock_level", NULL);
	user_triggers_refuse(row_table_relation(t.entries));
	user_triggers_refuse(row_table_relation(t.lines));
	user_triggers_refuse(row_table_relation(t.movements));
	user_triggers_refuse(row_table_relation(t.events));
	user_triggers_refuse(row_table_relation(t.levels));
	lines = sale_lines_read(h, strcmp(kind, "refund") != 0, &uses, &gross);
	check_totals(h, lines, gross);
	moves = sale_stock_move(w, t.levels, t.movements, uses, h->venue_id, sign, h->allow_negative);
	amounts = sale_journal_amounts(lines, h, sale_category_costs(uses, moves), sign);
	find_accounts(amounts, h->venue_id);
	entry_id = write_rows(w, &t, h, amounts, moves, sale_recorded_payload(h, lines, num_round2(gross)));
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
	sale_read(sale_id, &h);
	*posted = !h.posted;
	if (*posted)
	{
		check_period(&h);
		entry_id = write_posting(&h);
	}
	SPI_finish();
	return entry_id;
}

/* The deferred constraint trigger sale_posted on pub.sale. */
Datum
pbo_sale_post_trigger(PG_FUNCTION_ARGS)
{
	bool		posted;

	post_sale(DatumGetInt64(trigger_new_column(fcinfo, "pub.sale_post_trigger()", "id")), &posted);
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
