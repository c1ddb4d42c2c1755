/*
 * sale_lines.c
 *		A sale's lines, read by index in line order, with their products, the
 *		VAT rate in force on the business date and their recipes: the gross
 *		(quantity × unit price rounded half up to the cent, the amount the
 *		till prints: the sale's total is the sum of these, so every figure of
 *		the entry is in cents and it balances), its VAT at full precision
 *		(gross × rate ÷ (100 + rate)), the VAT of each rate over the sale
 *		rounded once by the venue's rule, and the stock used (unless a refund,
 *		which leaves the poured stock used).  A line whose product is
 *		inactive, or has no rate on the date, is refused with 1.1's errors,
 *		the first in line order.
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "catalog/pg_collation_d.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/snapmgr.h"

#include "backoffice/locked_row.h"
#include "backoffice/numeric_ops.h"
#include "backoffice/row_writer.h"
#include "backoffice/sale_posting.h"
#include "backoffice/table_reader.h"
#include "backoffice/vat_round.h"

typedef struct LineReader
{
	const SaleHeader *h;
	Snapshot	snapshot;
	bool		uses_stock;
	ReadTable	products;
	ReadTable	rates;
	ReadTable	recipes;
	List	   *lines;
	List	   *uses;
	Datum		gross;
	SaleLine   *line;			/* the line whose recipes are being read */
	Datum		rate;			/* the rate found, or 0 */
	List	   *class_rates;	/* ClassRate: the rates found so far */
} LineReader;

/* The rate of a tax class on the sale's date (one per class: lines share them). */
typedef struct ClassRate
{
	char	   *tax_class;
	Datum		rate;
} ClassRate;

/* The missing VAT rate's own error, from pub.vat_rate_on. */
static void
raise_missing_rate(const SaleHeader *h, Datum tax_class)
{
	Oid			types[3] = {TEXTOID, TEXTOID, DATEOID};
	Datum		args[3];

	args[0] = h->country;
	args[1] = tax_class;
	args[2] = h->business_date;
	SPI_execute_with_args("SELECT pub.vat_rate_on($1, $2, $3)", 3, types, args, NULL, true, 1);
	elog(ERROR, "sale posting: a line has no VAT rate but pub.vat_rate_on found one");
}

/* A rate row whose period covers the date (valid_from <= date is the scan's). */
static bool
rate_in_force(TupleTableSlot *slot, void *arg)
{
	LineReader *r = arg;
	bool		isnull;
	Datum		valid_to = slot_column(slot, "valid_to", &isnull);

	if (!isnull && DatumGetInt32(DirectFunctionCall2(date_cmp, valid_to, r->h->business_date)) < 0)
		return true;
	r->rate = slot_column_copy(slot, "rate", &isnull);
	return false;
}

static Datum
rate_on_date(LineReader *r, Datum tax_class)
{
	char	   *class = TextDatumGetCString(tax_class);
	ClassRate  *found;
	ListCell   *lc;
	ScanKeyData keys[3];

	foreach(lc, r->class_rates)
	{
		found = lfirst(lc);
		if (strcmp(found->tax_class, class) == 0)
			return found->rate;
	}

	ScanKeyInit(&keys[0], 1, BTEqualStrategyNumber, F_TEXTEQ, r->h->country);
	ScanKeyInit(&keys[1], 2, BTEqualStrategyNumber, F_TEXTEQ, tax_class);
	ScanKeyInit(&keys[2], 3, BTLessEqualStrategyNumber, F_DATE_LE, r->h->business_date);
	keys[0].sk_collation = DEFAULT_COLLATION_OID;
	keys[1].sk_collation = DEFAULT_COLLATION_OID;
	r->rate = (Datum) 0;
	read_each(&r->rates, keys, 3, r->snapshot, rate_in_force, r);
	if (r->rate == (Datum) 0)
		raise_missing_rate(r->h, tax_class);
	found = palloc(sizeof(ClassRate));
	found->tax_class = class;
	found->rate = r->rate;
	r->class_rates = lappend(r->class_rates, found);
	return r->rate;
}

static bool
add_recipe_use(TupleTableSlot *slot, void *arg)
{
	LineReader *r = arg;
	bool		isnull;

	r->uses = sale_stock_add_use(r->uses, r->line->category,
								 DatumGetInt64(slot_column(slot, "stock_item_id", &isnull)),
								 num_mul(r->line->quantity, slot_column(slot, "quantity", &isnull)));
	return true;
}

/* The product's name, category, rate; the checks. */
static void
read_product(LineReader *r, SaleLine *l)
{
	TupleTableSlot *p = r->products.slot;
	bool		isnull;
	Datum		tax_class;

	if (!read_by_id(&r->products, l->product_id, r->snapshot))
		elog(ERROR, "sale line %d: product %lld not found", l->line_no, (long long) l->product_id);
	if (!DatumGetBool(slot_column(p, "active", &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_FOREIGN_KEY_VIOLATION),
				 errmsg("sale %s line %d: product_id %lld is inactive",
						TextDatumGetCString(r->h->key), l->line_no, (long long) l->product_id)));
	l->name = TextDatumGetCString(slot_column(p, "name", &isnull));
	l->category = TextDatumGetCString(slot_column(p, "category", &isnull));
	tax_class = slot_column_copy(p, "tax_class", &isnull);
	l->rate = rate_on_date(r, tax_class);
}

static bool
read_line(TupleTableSlot *slot, void *arg)
{
	LineReader *r = arg;
	SaleLine   *l = palloc0(sizeof(SaleLine));
	bool		isnull;

	l->line_no = DatumGetInt32(slot_column(slot, "line_no", &isnull));
	l->product_id = DatumGetInt64(slot_column(slot, "product_id", &isnull));
	l->quantity = slot_column_copy(slot, "quantity", &isnull);
	l->gross = num_round2(num_mul(l->quantity, slot_column(slot, "unit_price", &isnull)));
	read_product(r, l);
	l->vat_full = DirectFunctionCall2(numeric_div, num_mul(l->gross, l->rate), num_add(num_int(100), l->rate));
	r->gross = num_add(r->gross, l->gross);
	r->lines = lappend(r->lines, l);
	if (r->uses_stock)
	{
		ScanKeyData key;

		ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(l->product_id));
		r->line = l;
		read_each(&r->recipes, &key, 1, r->snapshot, add_recipe_use, r);
	}
	return true;
}

/* Each line's rate_vat: the VAT of its rate over all the lines, rounded once. */
static void
round_per_rate(List *lines, const char *rule)
{
	ListCell   *lc,
			   *lo;

	foreach(lc, lines)
	{
		SaleLine   *l = lfirst(lc);
		Datum		sum = num_int(0);

		if (l->rate_vat != (Datum) 0)
			continue;
		foreach(lo, lines)
		{
			SaleLine   *o = lfirst(lo);

			if (num_cmp(o->rate, l->rate) == 0)
				sum = num_add(sum, o->vat_full);
		}
		sum = vat_round(sum, rule);
		foreach(lo, lines)
		{
			SaleLine   *o = lfirst(lo);

			if (num_cmp(o->rate, l->rate) == 0)
				o->rate_vat = sum;
		}
	}
}

/* The lines in line order; *uses the stock they use, *gross their total (a sum of cents). */
List *
sale_lines_read(const SaleHeader *h, bool uses_stock, List **uses, Datum *gross)
{
	LineReader	r = {0};
	ReadTable	lines;
	ScanKeyData key;

	r.h = h;
	r.uses_stock = uses_stock;
	r.gross = num_int(0);
	r.snapshot = RegisterSnapshot(locked_row_snapshot());
	read_open(&lines, "sale_line", NULL);
	read_open(&r.products, "product", NULL);
	read_open(&r.rates, "vat_rate", NULL);
	read_open(&r.recipes, "recipe_line", NULL);
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(h->sale_id));
	read_each(&lines, &key, 1, r.snapshot, read_line, &r);
	read_close(&r.recipes);
	read_close(&r.rates);
	read_close(&r.products);
	read_close(&lines);
	UnregisterSnapshot(r.snapshot);
	round_per_rate(r.lines, TextDatumGetCString(h->rounding_rule));
	*uses = r.uses;
	*gross = r.gross;
	return r.lines;
}
