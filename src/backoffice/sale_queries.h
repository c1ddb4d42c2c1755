/*
 * sale_queries.h
 *		The sale posting's SQL statements, prepared once per backend.
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
	HDR_ALLOW_NEGATIVE,
	HDR_CLOSED,
	HDR_POSTED,
	HDR_N_LINES,
	HDR_PAID_OK,
	HDR_SOLD_AT_TEXT,
	HDR_DATE_TEXT,
	HDR_PAID_TEXT,
	HDR_GROSS_TEXT,
	HDR_METHODS,
	HDR_AMOUNTS,
	HDR_PAYLOAD
};

/* Columns of the lines statement. */
enum SaleLinesColumn
{
	LN_LINE_NO = 1,
	LN_QUANTITY,
	LN_GROSS,
	LN_VAT_FULL,
	LN_CATEGORY,
	LN_RATE,
	LN_RATE_VAT,
	LN_STOCK_ITEM,
	LN_RECIPE_QUANTITY,
	LN_PRODUCT,
	LN_ACTIVE,
	LN_TAX_CLASS
};

typedef enum SalePlan
{
	SALE_PLAN_HEADER,
	SALE_PLAN_LINES
} SalePlan;

extern SPIPlanPtr sale_plan(SalePlan which);

#endif							/* SALE_QUERIES_H */
