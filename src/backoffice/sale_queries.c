/*
 * sale_queries.c
 *		The sale posting's SQL: one statement reads the lines with their
 *		products, VAT rates and recipes; prepared once per backend and kept
 *		(SPI_keepplan), the plan cache re-plans it when a table it reads
 *		changes.  The sums over lines and categories are C's (sale_amounts.c);
 *		the sale, its payments, stock levels and accounts are read by index
 *		(sale_reader.c, sale_stock.c, sale_posting.c).
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"

#include "backoffice/sale_queries.h"

/*
 * $1 sale id, $2 country, $3 business date, $4 rounding rule.  One row per
 * line and recipe item (a line without a recipe once), in line order: the
 * VAT-inclusive amount g, its VAT at full precision vf, the VAT of the
 * line's rate over the whole sale, rounded once (pub.round_vat), and what
 * the checks need (an inactive product, a missing rate: rate NULL).
 */
static const char lines_sql[] =
"SELECT ln.line_no, ln.quantity, ln.g, ln.vf, ln.category, ln.rate, ln.rate_vat, rl.stock_item_id, rl.quantity,"
"       ln.product_id, ln.active, ln.tax_class, ln.name"
"  FROM (SELECT l.line_no, l.product_id, l.quantity, p.category, p.active, p.tax_class, p.name, r.rate,"
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
