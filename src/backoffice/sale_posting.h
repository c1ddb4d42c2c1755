/*
 * sale_posting.h
 *		What the sale posting works with: the sale's lines, its stock use and
 *		movements, and the signed amounts of its journal entry.
 */
#ifndef SALE_POSTING_H
#define SALE_POSTING_H

#include "nodes/pg_list.h"

#include "backoffice/row_writer.h"

/* A sale line (numeric Datums). */
typedef struct SaleLine
{
	int32		line_no;
	Datum		quantity;
	Datum		gross;			/* quantity × unit price, VAT inclusive */
	Datum		vat_full;		/* its VAT, full precision */
	Datum		rate;
	Datum		rate_vat;		/* VAT of the rate over the sale, rounded */
	char	   *category;
} SaleLine;

/* Stock used through recipes, per category and item (base units). */
typedef struct StockUse
{
	char	   *category;
	int64		stock_item_id;
	Datum		quantity;
} StockUse;

/* A movement the posting logs, after its level moved. */
typedef struct StockMove
{
	int64		stock_item_id;
	Datum		quantity;		/* signed, numeric(16,3) */
	Datum		unit_cost;		/* average cost under the level's lock */
	Datum		below_par;		/* StockBelowPar payload, or 0 */
} StockMove;

/* Cost of goods of one category, rounded to the cent. */
typedef struct CategoryCost
{
	char	   *category;
	Datum		cost;
} CategoryCost;

/* One signed amount of the entry: debit > 0, credit < 0. */
typedef struct JournalAmount
{
	const char *role;
	const char *category;		/* "" for none */
	Datum		amount;
	Datum		rate;			/* VAT lines only */
	bool		has_rate;
	int64		account_id;		/* 0 until the account is found */
} JournalAmount;

/* sale_amounts.c */
extern List *sale_journal_amounts(List *lines, Datum methods, Datum amounts, List *costs, int sign);

/* sale_stock.c */
extern List *sale_stock_add_use(List *uses, const char *category, int64 stock_item_id, Datum quantity);
extern List *sale_stock_move(RowWriter *w, RowWriterTable *levels, RowWriterTable *moves, List *uses,
							 int64 venue_id, int sign, bool allow_negative);
extern List *sale_category_costs(List *uses, List *moves);

#endif							/* SALE_POSTING_H */
