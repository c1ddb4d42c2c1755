/*
 * sale_stock.c
 *		A sale's stock: use through recipes per category and item, the levels
 *		moved (the stock statement of sale_queries.c), the negative-stock rule
 *		and the cost of goods per category at the average cost read under
 *		the levels' locks.
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "backoffice/numeric_ops.h"
#include "backoffice/sale_posting.h"
#include "backoffice/sale_queries.h"

/* Adds quantity to the use of (category, item). */
List *
sale_stock_add_use(List *uses, const char *category, int64 stock_item_id, Datum quantity)
{
	ListCell   *lc;
	StockUse   *u;

	foreach(lc, uses)
	{
		u = lfirst(lc);
		if (u->stock_item_id == stock_item_id && strcmp(u->category, category) == 0)
		{
			u->quantity = num_add(u->quantity, quantity);
			return uses;
		}
	}
	u = palloc(sizeof(StockUse));
	u->category = pstrdup(category);
	u->stock_item_id = stock_item_id;
	u->quantity = quantity;
	return lappend(uses, u);
}

/* Total use per item: the stock statement's two arrays. */
static void
use_per_item(List *uses, Datum *items, Datum *quantities)
{
	int			n = 0;
	Datum	   *item = palloc(sizeof(Datum) * list_length(uses));
	Datum	   *q = palloc(sizeof(Datum) * list_length(uses));
	ListCell   *lc;

	foreach(lc, uses)
	{
		StockUse   *u = lfirst(lc);
		int			i = 0;

		while (i < n && DatumGetInt64(item[i]) != u->stock_item_id)
			i++;
		if (i == n)
		{
			item[n] = Int64GetDatum(u->stock_item_id);
			q[n++] = u->quantity;
		}
		else
			q[i] = num_add(q[i], u->quantity);
	}
	*items = PointerGetDatum(construct_array(item, n, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	*quantities = PointerGetDatum(construct_array(q, n, NUMERICOID, -1, false, TYPALIGN_INT));
}

/* The first refused level: the error of pub.stock_movement_apply. */
static void
refuse_negative_stock(void)
{
	bool		isnull;

	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;

		if (DatumGetBool(SPI_getbinval(row, desc, STK_REFUSED, &isnull)))
			ereport(ERROR,
					(errcode(ERRCODE_CHECK_VIOLATION),
					 errmsg("stock of item %s would go negative: quantity %s after a movement of %s",
							SPI_getvalue(row, desc, STK_SKU), SPI_getvalue(row, desc, STK_LEVEL),
							SPI_getvalue(row, desc, STK_QUANTITY)),
					 errhint("The venue forbids negative stock (allow_negative_stock = false): book the delivery first.")));
	}
}

/* Locks and moves the levels; returns the movements to log. */
List *
sale_stock_move(List *uses, int64 venue_id, int sign)
{
	Datum		args[4];
	List	   *moves = NIL;
	bool		isnull;

	if (uses == NIL)
		return NIL;
	use_per_item(uses, &args[0], &args[1]);
	args[2] = Int64GetDatum(venue_id);
	args[3] = Int32GetDatum(sign);
	if (SPI_execute_plan(sale_plan(SALE_PLAN_STOCK), args, NULL, false, 0) != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "sale posting: the stock statement failed");
	refuse_negative_stock();
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		HeapTuple	row = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		StockMove  *m = palloc(sizeof(StockMove));

		m->stock_item_id = DatumGetInt64(SPI_getbinval(row, desc, STK_ITEM, &isnull));
		m->quantity = SPI_getbinval(row, desc, STK_QUANTITY, &isnull);
		m->unit_cost = SPI_getbinval(row, desc, STK_UNIT_COST, &isnull);
		m->below_par = SPI_getbinval(row, desc, STK_BELOW_PAR, &isnull);
		if (isnull)
			m->below_par = (Datum) 0;
		moves = lappend(moves, m);
	}
	return moves;
}

/* Cost of goods per category: round(sum(use × average cost), 2), items with a level only. */
List *
sale_category_costs(List *uses, List *moves)
{
	List	   *costs = NIL;
	ListCell   *lu,
			   *lm,
			   *lc;

	foreach(lu, uses)
	{
		StockUse   *u = lfirst(lu);
		CategoryCost *c = NULL;

		foreach(lm, moves)
		{
			StockMove  *m = lfirst(lm);

			if (m->stock_item_id != u->stock_item_id)
				continue;
			foreach(lc, costs)
			{
				if (strcmp(((CategoryCost *) lfirst(lc))->category, u->category) == 0)
					c = lfirst(lc);
			}
			if (c == NULL)
			{
				c = palloc(sizeof(CategoryCost));
				c->category = u->category;
				c->cost = num_int(0);
				costs = lappend(costs, c);
			}
			c->cost = num_add(c->cost, num_mul(u->quantity, m->unit_cost));
		}
	}
	foreach(lc, costs)
	{
		CategoryCost *c = lfirst(lc);

		c->cost = num_round2(c->cost);
	}
	return costs;
}
