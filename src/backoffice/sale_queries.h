/*
 * sale_queries.h
 *		The posting's two SQL statements, prepared once per backend.
 */
#ifndef SALE_QUERIES_H
#define SALE_QUERIES_H

#include "executor/spi.h"

/* Columns of the header statement (1-based, as SPI_getbinval wants them). */
enum SaleHeaderColumn
{
	HDR_VENUE_ID = 1,
	HDR_KIND,
	HDR_KEY,
	HDR_SOLD_AT,
	HDR_COUNTRY,
	HDR_ROUNDING_RULE,
	HDR_BUSINESS_DATE,
	HDR_CLOSED,
	HDR_POSTED,
	HDR_N_LINES,
	HDR_BAD_LINE,
	HDR_BAD_PRODUCT,
	HDR_BAD_ACTIVE,
	HDR_BAD_CLASS,
	HDR_PAID_OK,
	HDR_SOLD_AT_TEXT,
	HDR_DATE_TEXT,
	HDR_PAID_TEXT,
	HDR_GROSS_TEXT
};

/* Columns of the posting statement: one row per thing to write or refuse. */
enum SalePostingColumn
{
	PST_WHAT = 1,				/* line, move, below_par, recorded, negative */
	PST_ID,						/* account id, stock item id */
	PST_A,						/* debit; movement quantity; new level */
	PST_B,						/* credit; unit cost; movement quantity */
	PST_RATE,					/* VAT rate of a VAT line */
	PST_PAYLOAD,				/* event payload */
	PST_SKU						/* stock item of a refused movement */
};

/* Parameters of the posting statement, in order. */
#define SALE_POSTING_NARGS 9

extern SPIPlanPtr sale_header_plan(void);
extern SPIPlanPtr sale_posting_plan(void);

#endif							/* SALE_QUERIES_H */
