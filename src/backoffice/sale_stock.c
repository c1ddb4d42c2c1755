/*
 * sale_stock.c
 *		A sale's stock: use through recipes per category and item; the level
 *		rows locked in item order (no deadlock between tills) and moved by
 *		the movement's quantity, with the rules pub.stock_movement_apply
 *		applies to movements that are not valued (the average cost stays;
 *		negative_since set or cleared; negative stock refused where the venue
 *		forbids it; StockBelowPar when an item crosses its par level down);
 *		and the cost of goods per category at the average cost read under
 *		the level's lock.
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "utils/snapmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/relcache.h"
#include "utils/timestamp.h"

#include "backoffice/locked_row.h"
#include "backoffice/numeric_ops.h"
#include "backoffice/row_writer.h"
#include "backoffice/sale_posting.h"
#include "backoffice/table_reader.h"

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

static int
by_item(const ListCell *a, const ListCell *b)
{
	int64		x = ((StockUse *) lfirst(a))->stock_item_id;
	int64		y = ((StockUse *) lfirst(b))->stock_item_id;

	return (x > y) - (x < y);
}

/* Total use per item, in item order (the order the levels are locked in). */
static List *
use_per_item(List *uses)
{
	List	   *items = NIL;
	ListCell   *lc;

	foreach(lc, uses)
	{
		StockUse   *u = lfirst(lc);
		StockUse   *item = NULL;
		ListCell   *li;

		foreach(li, items)
		{
			if (((StockUse *) lfirst(li))->stock_item_id == u->stock_item_id)
				item = lfirst(li);
		}
		if (item == NULL)
		{
			item = palloc(sizeof(StockUse));
			*item = *u;
			items = lappend(items, item);
		}
		else
			item->quantity = num_add(item->quantity, u->quantity);
	}
	list_sort(items, by_item);
	return items;
}

static void
key_int8(ScanKey key, Datum value)
{
	ScanKeyInit(key, 1, BTEqualStrategyNumber, F_INT8EQ, value);
}

/* The stock item's own row (sku, par level), as the snapshot sees it. */
static TupleTableSlot *
stock_item_row(ReadTable *items, int64 id, Snapshot snapshot)
{
	if (!read_by_id(items, id, snapshot))
		elog(ERROR, "stock item %lld has a level but no row", (long long) id);
	return items->slot;
}

/* Negative stock where the venue forbids it: the error of pub.stock_movement_apply. */
static void
refuse_negative(TupleTableSlot *item, Datum level, Datum quantity)
{
	bool		isnull;

	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("stock of item %s would go negative: quantity %s after a movement of %s",
					TextDatumGetCString(slot_column(item, "sku", &isnull)), num_text(level), num_text(quantity)),
			 errhint("The venue forbids negative stock (allow_negative_stock = false): book the delivery first.")));
}

/* The StockBelowPar payload of pub.stock_movement_apply, for an item now at level. */
static Datum
below_par_payload(int64 id, Datum level)
{
	Oid			types[2] = {INT8OID, NUMERICOID};
	Datum		args[2] = {Int64GetDatum(id), level};
	bool		isnull;

	if (SPI_execute_with_args(
			"SELECT jsonb_build_object('venue_id', i.venue_id, 'stock_item_id', i.id, 'sku', i.sku, 'name', i.name,"
			"                          'quantity', $2, 'par_level', i.par_level, 'base_unit', i.base_unit,"
			"                          'reorder_packs', ceil((i.par_level - $2) / i.pack_size))"
			"  FROM pub.stock_item i WHERE i.id = $1", 2, types, args, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "sale posting: stock item %lld not found for StockBelowPar", (long long) id);
	return SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
}

/* Moves one level (locked by the caller) by the item's use; returns the movement. */
static StockMove *
move_level(RowWriter *w, RowWriterTable *levels, RowWriterTable *moves, TupleTableSlot *level,
		   const StockUse *use, int sign, bool allow_negative, TupleTableSlot *item)
{
	StockMove  *m = palloc0(sizeof(StockMove));
	bool		isnull;
	Datum		old_q = slot_column(level, "quantity", &isnull);
	Datum		dq = row_coerce(moves, "quantity", num_mul(num_int(-sign), use->quantity));
	Datum		new_q = row_coerce(levels, "quantity", num_add(old_q, dq));
	bool		since_null;
	Datum		since = slot_column(level, "negative_since", &since_null);
	Datum		par = slot_column(item, "par_level", &isnull);

	m->stock_item_id = use->stock_item_id;
	m->quantity = dq;
	/* A copy: the slot moves on to the next level and unpins this page, which may then be pruned. */
	m->unit_cost = slot_column_copy(level, "avg_cost", &isnull);
	row_start_from(levels, level);
	row_set(levels, "quantity", new_q, false);
	if (num_cmp(new_q, num_int(0)) >= 0)
		row_set(levels, "negative_since", (Datum) 0, true);
	else if (since_null)
		row_set(levels, "negative_since", TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()), false);
	else
		row_set(levels, "negative_since", since, false);
	row_update(w, levels, level);
	if (num_cmp(new_q, num_int(0)) < 0 && num_cmp(dq, num_int(0)) < 0 && !allow_negative)
		refuse_negative(item, new_q, dq);
	if (num_cmp(new_q, par) < 0 && num_cmp(num_sub(new_q, dq), par) >= 0)
		m->below_par = below_par_payload(use->stock_item_id, new_q);
	return m;
}

/* Locks and moves the levels of the items used; returns the movements to log. */
List *
sale_stock_move(RowWriter *w, RowWriterTable *levels, RowWriterTable *moves, List *uses,
				int64 venue_id, int sign, bool allow_negative)
{
	Snapshot	snapshot = RegisterSnapshot(locked_row_snapshot());
	ReadTable	level_rows;
	TupleTableSlot *level;
	ReadTable	items;
	List	   *result = NIL;
	ListCell   *lc;
	bool		isnull;

	read_open_locking(&level_rows, "stock_level", NULL, RowShareLock);
	level = level_rows.slot;
	read_open(&items, "stock_item", NULL);
	foreach(lc, use_per_item(uses))
	{
		StockUse   *use = lfirst(lc);
		ScanKeyData key;

		key_int8(&key, Int64GetDatum(use->stock_item_id));
		if (!locked_row_fetch(&level_rows, &key, 1, LockTupleExclusive, snapshot) ||
			DatumGetInt64(slot_column(level, "stock_item_id", &isnull)) != use->stock_item_id ||
			DatumGetInt64(slot_column(level, "venue_id", &isnull)) != venue_id)
			continue;			/* no level row: no movement, as 1.1's join */
		result = lappend(result, move_level(w, levels, moves, level, use, sign, allow_negative,
											stock_item_row(&items, use->stock_item_id, snapshot)));
	}
	read_close(&items);
	read_close(&level_rows);
	UnregisterSnapshot(snapshot);
	return result;
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
