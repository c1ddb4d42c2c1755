/*
 * sale_queries.h
 *		The sale posting's SQL statement, prepared once per backend.
 */
#ifndef SALE_QUERIES_H
#define SALE_QUERIES_H

#include "executor/spi.h"

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
	LN_TAX_CLASS,
	LN_NAME
};

typedef enum SalePlan
{
	SALE_PLAN_LINES
} SalePlan;

extern SPIPlanPtr sale_plan(SalePlan which);

#endif							/* SALE_QUERIES_H */
