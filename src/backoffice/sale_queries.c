/*
 * sale_queries.c
 *		The sale posting's SQL: one statement reads and checks the sale, one
 *		locks and moves stock levels and works out what to write.  Both are
 *		prepared once per backend and kept (SPI_keepplan); the plan cache
 *		re-plans them when a table they read changes.
 *
 * Arithmetic stays in SQL (exact numeric, the same sums and roundings as the
 * 1.1 PL/pgSQL posting); C writes the rows (see sale_posting.c).
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"

#include "backoffice/sale_queries.h"

/*
 * $1 sale id.  Everything the checks need, in one row: the business date in
 * the venue's zone, a closed period covering it, whether the sale is posted,
 * the first line whose product is inactive or has no VAT rate, and whether
 * the payments equal the lines.
 */
static const char header_sql[] =
"SELECT x.venue_id, x.kind, x.idempotency_key, x.sold_at, v.country, v.rounding_rule, b.d,"
"       (SELECT cp.period_start || ' to ' || cp.period_end FROM pub.accounting_period cp"
"         WHERE cp.venue_id = x.venue_id AND cp.period_end >= b.d AND cp.period_start <= b.d LIMIT 1),"
"       EXISTS (SELECT 1 FROM pub.journal_entry j WHERE j.venue_id = x.venue_id AND j.idempotency_key = 'sale:' || $1),"
"       t.n_lines, t.bad_line, t.bad_product, t.bad_active, t.bad_class,"
"       p.paid = round(t.gross, 2), x.sold_at::text, b.d::text, p.paid::text, t.gross::text"
"  FROM pub.sale x JOIN pub.venue v ON v.id = x.venue_id"
"  CROSS JOIN LATERAL (SELECT (x.sold_at AT TIME ZONE v.time_zone)::date AS d) b"
"  CROSS JOIN LATERAL ("
"      SELECT count(*) AS n_lines, coalesce(sum(l.quantity * l.unit_price), 0) AS gross,"
"             (array_agg(l.line_no ORDER BY l.line_no) FILTER (WHERE NOT p.active OR r.rate IS NULL))[1] AS bad_line,"
"             (array_agg(l.product_id ORDER BY l.line_no) FILTER (WHERE NOT p.active OR r.rate IS NULL))[1] AS bad_product,"
"             (array_agg(p.active ORDER BY l.line_no) FILTER (WHERE NOT p.active OR r.rate IS NULL))[1] AS bad_active,"
"             (array_agg(p.tax_class ORDER BY l.line_no) FILTER (WHERE NOT p.active OR r.rate IS NULL))[1] AS bad_class"
"        FROM pub.sale_line l JOIN pub.product p ON p.id = l.product_id"
"        LEFT JOIN pub.vat_rate r ON r.country = v.country AND r.tax_class = p.tax_class"
"                                AND r.valid_from <= b.d AND (r.valid_to IS NULL OR r.valid_to >= b.d)"
"       WHERE l.sale_id = $1) t"
"  CROSS JOIN LATERAL (SELECT coalesce(sum(amount), 0) AS paid FROM pub.sale_payment WHERE sale_id = $1) p"
" WHERE x.id = $1";

/*
 * $1 sale id, $2 venue id, $3 country, $4 business date, $5 kind,
 * $6 rounding rule, $7 idempotency key, $8 sold_at, $9 sign: 1 for a sale, -1
 * for a void or refund (money, and a void's stock, go back).
 *
 * Stock: use through recipes per category and item (a refund leaves the
 * poured stock used, a void puts it back), level rows locked in item order
 * (no deadlock between tills) and moved here, in the same statement, with
 * the rules of pub.stock_movement_apply for movements that are not valued
 * (quantity, negative_since; the average cost stays).  Rows out:
 *   line       account, debit, credit, VAT rate: the entry's lines; the
 *              accounts are locked FOR KEY SHARE, as the journal_line
 *              foreign key would
 *   move       stock item, quantity, unit cost: the movements to log, in the
 *              log's numeric(16,3), the same quantity the level moves by
 *   negative   a level that went negative where the venue forbids it
 *   below_par  a StockBelowPar event; recorded: the SaleRecorded event
 */
static const char posting_sql[] =
"WITH ln AS ("
"    SELECT l.line_no, l.product_id, l.quantity, p.name, p.category, r.rate, l.quantity * l.unit_price AS g,"
"           l.quantity * l.unit_price * r.rate / (100 + r.rate) AS vf"
"      FROM pub.sale_line l JOIN pub.product p ON p.id = l.product_id"
"      JOIN pub.vat_rate r ON r.country = $3 AND r.tax_class = p.tax_class"
"                         AND r.valid_from <= $4 AND (r.valid_to IS NULL OR r.valid_to >= $4)"
"     WHERE l.sale_id = $1"
"), use AS ("
"    SELECT ln.category, r.stock_item_id, sum(ln.quantity * r.quantity) AS q"
"      FROM ln JOIN pub.recipe_line r ON r.product_id = ln.product_id"
"     WHERE $5 <> 'refund'"
"     GROUP BY ln.category, r.stock_item_id"
"), lk AS ("
"    SELECT sl.stock_item_id, sl.avg_cost FROM pub.stock_level sl"
"     WHERE sl.stock_item_id IN (SELECT stock_item_id FROM use) AND sl.venue_id = $2"
"     ORDER BY sl.stock_item_id FOR UPDATE"
"), mv AS ("
"    SELECT use.stock_item_id, (-$9 * sum(use.q))::numeric(16,3) AS dq, lk.avg_cost"
"      FROM use JOIN lk USING (stock_item_id)"
"     GROUP BY use.stock_item_id, lk.avg_cost"
"), lvl AS ("
"    UPDATE pub.stock_level s"
"       SET quantity = s.quantity + mv.dq,"
"           negative_since = CASE WHEN s.quantity + mv.dq >= 0 THEN NULL"
"                                 ELSE coalesce(s.negative_since, now()) END"
"      FROM mv"
"     WHERE s.stock_item_id = mv.stock_item_id"
"    RETURNING s.venue_id, s.stock_item_id, s.quantity AS new_q, s.quantity - mv.dq AS old_q, mv.dq"
"), cogs AS ("
"    SELECT use.category, round(sum(use.q * lk.avg_cost), 2) AS c"
"      FROM use JOIN lk USING (stock_item_id) GROUP BY use.category"
"), by_rate AS ("
"    SELECT rate, sum(g) AS g, pub.round_vat(sum(vf), $6) AS v FROM ln GROUP BY rate"
"), by_cat AS ("
"    SELECT c.category, c.rate,"
"           round(c.g - c.vf, 2)"
"           + CASE WHEN row_number() OVER (PARTITION BY c.rate ORDER BY c.g DESC, c.category) = 1"
"                  THEN (br.g - br.v) - sum(round(c.g - c.vf, 2)) OVER (PARTITION BY c.rate) ELSE 0 END AS net"
"      FROM (SELECT category, rate, sum(g) AS g, sum(vf) AS vf FROM ln GROUP BY category, rate) c"
"      JOIN by_rate br USING (rate)"
"), amounts (role, category, amount, rate) AS ("
"    SELECT method, NULL::text, $9 * amount, NULL::numeric FROM pub.sale_payment WHERE sale_id = $1"
"    UNION ALL SELECT 'revenue', category, -$9 * sum(net), NULL FROM by_cat GROUP BY category"
"    UNION ALL SELECT 'vat_output', NULL, -$9 * v, rate FROM by_rate"
"    UNION ALL SELECT 'cogs', category, $9 * c, NULL FROM cogs"
"    UNION ALL SELECT 'inventory', NULL, -$9 * sum(c), NULL FROM cogs"
"), acc AS ("
"    SELECT a.id, a.role, a.category FROM pub.account a"
"     WHERE a.venue_id = $2"
"       AND (a.role, coalesce(a.category, '')) IN (SELECT role, coalesce(category, '') FROM amounts WHERE amount <> 0)"
"       FOR KEY SHARE"
")"
"SELECT 'line', acc.id, greatest(x.amount, 0), greatest(-x.amount, 0), x.rate, NULL::jsonb, NULL::text"
"  FROM amounts x JOIN acc ON acc.role = x.role AND coalesce(acc.category, '') = coalesce(x.category, '')"
" WHERE x.amount <> 0 "
"UNION ALL "
"SELECT 'move', stock_item_id, dq, avg_cost, NULL, NULL, NULL FROM mv "
"UNION ALL "
"SELECT 'negative', u.stock_item_id, u.new_q, u.dq, NULL, NULL, i.sku"
"  FROM lvl u JOIN pub.venue v ON v.id = u.venue_id JOIN pub.stock_item i ON i.id = u.stock_item_id"
" WHERE u.new_q < 0 AND u.dq < 0 AND NOT v.allow_negative_stock "
"UNION ALL "
"SELECT 'below_par', i.id, NULL, NULL, NULL,"
"       jsonb_build_object('venue_id', u.venue_id, 'stock_item_id', i.id, 'sku', i.sku, 'name', i.name,"
"                          'quantity', u.new_q, 'par_level', i.par_level, 'base_unit', i.base_unit,"
"                          'reorder_packs', ceil((i.par_level - u.new_q) / i.pack_size)), NULL"
"  FROM lvl u JOIN pub.stock_item i ON i.id = u.stock_item_id"
" WHERE u.new_q < i.par_level AND u.old_q >= i.par_level "
"UNION ALL "
"SELECT 'recorded', NULL, NULL, NULL, NULL,"
"       jsonb_build_object('sale_id', $1, 'venue_id', $2, 'kind', $5,"
"                          'idempotency_key', $7, 'business_date', $4,"
"                          'sold_at', $8, 'gross', round(sum(ln.g), 2),"
"                          'lines', jsonb_agg(jsonb_build_object("
"                              'product_id', ln.product_id, 'name', ln.name, 'category', ln.category,"
"                              'quantity', ln.quantity, 'amount', round(ln.g, 2)) ORDER BY ln.line_no)), NULL"
"  FROM ln";

static SPIPlanPtr header_plan = NULL;
static SPIPlanPtr posting_plan = NULL;

/* Prepares a statement and keeps its plan for the backend's life. */
static SPIPlanPtr
prepare_kept(const char *sql, int nargs, Oid *argtypes)
{
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare of the sale posting failed: %s",
			 SPI_result_code_string(SPI_result));
	if (SPI_keepplan(plan) != 0)
		elog(ERROR, "SPI_keepplan of the sale posting failed");
	return plan;
}

SPIPlanPtr
sale_header_plan(void)
{
	Oid			argtypes[1] = {INT8OID};

	if (header_plan == NULL)
		header_plan = prepare_kept(header_sql, 1, argtypes);
	return header_plan;
}

SPIPlanPtr
sale_posting_plan(void)
{
	Oid			argtypes[SALE_POSTING_NARGS] = {INT8OID, INT8OID, TEXTOID, DATEOID,
		TEXTOID, TEXTOID, TEXTOID, TIMESTAMPTZOID, INT4OID};

	if (posting_plan == NULL)
		posting_plan = prepare_kept(posting_sql, SALE_POSTING_NARGS, argtypes);
	return posting_plan;
}
