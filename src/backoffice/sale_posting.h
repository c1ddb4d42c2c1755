/*
 * sale_posting.h
 *		What the sale posting works with: the sale's lines, its stock use and
 *		movements, and the signed amounts of its journal entry.
 */
#ifndef SALE_POSTING_H
#define SALE_POSTING_H

#include "nodes/pg_list.h"

#include "backoffice/row_writer.h"

/* The sale as the posting needs it (sale_reader.c). */
typedef struct SaleHeader
{
	int64		sale_id;
	int64		venue_id;
	Datum		kind;			/* text */
	Datum		key;			/* text: the till's idempotency key */
	Datum		sold_at;		/* timestamptz */
	Datum		country;		/* text */
	Datum		rounding_rule;	/* text */
	Datum		business_date;	/* date: sold_at's local date at the venue */
	bool		allow_negative; /* the venue lets stock go negative */
	char	   *closed;			/* "start to end" of a closed period covering the date, or NULL */
	bool		posted;			/* its journal entry exists */
	List	   *methods;		/* payments: method names (char *) */
	List	   *amounts;		/* and amounts (numeric Datums), same order */
	Datum		paid;			/* their sum */
} SaleHeader;

/* A sale line (numeric Datums). */
typedef struct SaleLine
{
	int32		line_no;
	Datum		quantity;
	Datum		gross;			/* round(quantity × unit price, 2), VAT inclusive */
	Datum		vat_full;		/* its VAT, full precision */
	Datum		rate;
	Datum		rate_vat;		/* VAT of the rate over the sale, rounded */
	char	   *category;
	int64		product_id;
	char	   *name;
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
	Datum		stored;			/* amount as journal_line stores it (its scale) */
	Datum		rate;			/* VAT lines only */
	bool		has_rate;
	int64		account_id;		/* 0 until the account is found */
} JournalAmount;

/* sale_reader.c */
extern void sale_read(int64 sale_id, SaleHeader *h);

/* sale_lines.c */
extern List *sale_lines_read(const SaleHeader *h, bool uses_stock, List **uses, Datum *gross);

/* sale_event.c */
extern Datum sale_recorded_payload(const SaleHeader *h, List *lines, Datum gross);

/* sale_amounts.c */
extern List *sale_journal_amounts(List *lines, const SaleHeader *h, List *costs, int sign);

/* sale_stock.c */
extern List *sale_stock_add_use(List *uses, const char *category, int64 stock_item_id, Datum quantity);
extern List *sale_stock_move(RowWriter *w, RowWriterTable *levels, RowWriterTable *moves, List *uses,
							 int64 venue_id, int sign, bool allow_negative);
extern List *sale_category_costs(List *uses, List *moves);

#endif							/* SALE_POSTING_H */
