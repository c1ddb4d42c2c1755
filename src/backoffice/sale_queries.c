/*
 * sale_queries.c
 *		The sale posting's SQL: two statements (the sale and its checks; its
 *		lines with VAT and recipes), prepared once per backend and kept
 *		(SPI_keepplan); the plan cache re-plans them when a table they read
 *		changes.  The sums over lines and categories are C's (sale_amounts.c);
 *		stock levels and accounts are read and locked by index (sale_stock.c,
 *		sale_posting.c).
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"

#include "backoffice/sale_queries.h"

/*
 * $1 sale id.  The sale in one row: the business date in the venue's zone,
 * a closed period covering it, whether the sale is posted, its number of
 * lines, whether the payments equal the lines, the payments, and the
 * SaleRecorded payload.
 */
static const char header_sql[] =
"SELECT x.venue_id, x.kind, x.idempotency_key, x.sold_at, v.country, v.rounding_rule, b.d, v.allow_negative_stock,"
"       (SELECT cp.period_start || ' to ' || cp.period_end FROM pub.accounting_period cp"
"         WHERE cp.venue_id = x.venue_id AND cp.period_end >= b.d AND cp.period_start <= b.d LIMIT 1),"
"       EXISTS (SELECT 1 FROM pub.journal_entry j WHERE j.venue_id = x.venue_id AND j.idempotency_key = 'sale:' || $1),"
"       t.n_lines,"
"       p.paid = round(t.gross, 2), x.sold_at::text, b.d::text, p.paid::text, t.gross::text,"
"       p.methods, p.amounts,"
"       jsonb_build_object('sale_id', x.id, 'venue_id', x.venue_id, 'kind', x.kind,"
"                          'idempotency_key', x.idempotency_key, 'business_date', b.d,"
"                          'sold_at', x.sold_at, 'gross', round(t.gross, 2), 'lines', t.lines)"
"  FROM pub.sale x JOIN pub.venue v ON v.id = x.venue_id"
"  CROSS JOIN LATERAL (SELECT (x.sold_at AT TIME ZONE v.time_zone)::date AS d) b"
"  CROSS JOIN LATERAL ("
"      SELECT count(*) AS n_lines, coalesce(sum(l.quantity * l.unit_price), 0) AS gross,"
"             jsonb_agg(jsonb_build_object('product_id', l.product_id, 'name', p.name, 'category', p.category,"
"                                          'quantity', l.quantity, 'amount', round(l.quantity * l.unit_price, 2))"
"                       ORDER BY l.line_no) AS lines"
"        FROM pub.sale_line l JOIN pub.product p ON p.id = l.product_id"
"       WHERE l.sale_id = $1) t"
"  CROSS JOIN LATERAL (SELECT coalesce(sum(amount), 0) AS paid, array_agg(method ORDER BY method) AS methods,"
"                             array_agg(amount ORDER BY method) AS amounts"
"                        FROM pub.sale_payment WHERE sale_id = $1) p"
" WHERE x.id = $1";

/*
 * $1 sale id, $2 country, $3 business date, $4 rounding rule.  One row per
 * line and recipe item (a line without a recipe once), in line order: the
 * VAT-inclusive amount g, its VAT at full precision vf, the VAT of the
 * line's rate over the whole sale, rounded once (pub.round_vat), and what
 * the checks need (an inactive product, a missing rate: rate NULL).
 */
static const char lines_sql[] =
"SELECT ln.line_no, ln.quantity, ln.g, ln.vf, ln.category, ln.rate, ln.rate_vat, rl.stock_item_id, rl.quantity,"
"       ln.product_id, ln.active, ln.tax_class"
"  FROM (SELECT l.line_no, l.product_id, l.quantity, p.category, p.active, p.tax_class, r.rate,"
"               l.quantity * l.unit_price AS g,"
"               l.quantity * l.unit_price * r.rate / (100 + r.rate) AS vf,"
"               pub.round_vat(sum(l.quantity * l.unit_price * r.rate / (100 + r.rate)) OVER (PARTITION BY r.rate), $4) AS rate_vat"
"          FROM pub.sale_line l JOIN pub.product p ON p.id = l.product_id"
"          LEFT JOIN pub.vat_rate r ON r.country = $2 AND r.tax_class = p.tax_class"
"                             AND r.valid_from <= $3 AND (r.valid_to IS NULL OR r.valid_to >= $3)"
"         WHERE l.sale_id = $1) ln"
"  LEFT JOIN pub.recipe_line rl ON rl.product_id = ln.product_id"
" ORDER BY ln.line_no";

/* The statements by SalePlan, with their parameter types; plans made on first use. */
typedef struct KeptPlan
{
	const char *sql;
	int			nargs;
	Oid			argtypes[4];
	SPIPlanPtr	plan;
} KeptPlan;

static KeptPlan plans[] = {
	[SALE_PLAN_HEADER] = {header_sql, 1, {INT8OID}},
	[SALE_PLAN_LINES] = {lines_sql, 4, {INT8OID, TEXTOID, DATEOID, TEXTOID}},
};

/* The plan of a statement, prepared on first use and kept for the backend's life. */
SPIPlanPtr
sale_plan(SalePlan which)
{
	KeptPlan   *k = &plans[which];

	if (k->plan == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(k->sql, k->nargs, k->argtypes);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare of the sale posting failed: %s",
				 SPI_result_code_string(SPI_result));
		if (SPI_keepplan(plan) != 0)
			elog(ERROR, "SPI_keepplan of the sale posting failed");
		k->plan = plan;
	}
	return k->plan;
}
