/*
 * locked_row.h
 *		Fetching one row through an index and locking it, as SELECT ... FOR
 *		UPDATE / FOR KEY SHARE would, without a statement.  The caller opens
 *		the index (once for all its look-ups) and keeps it open.
 */
#ifndef LOCKED_ROW_H
#define LOCKED_ROW_H

#include "access/skey.h"
#include "executor/tuptable.h"
#include "nodes/lockoptions.h"
#include "utils/rel.h"
#include "utils/snapshot.h"

extern Snapshot locked_row_snapshot(void);
extern bool locked_row_fetch(Relation rel, Relation index, ScanKey keys, int nkeys, LockTupleMode mode,
							 Snapshot snapshot, TupleTableSlot *slot);
extern bool row_fetch(Relation rel, Relation index, ScanKey keys, int nkeys, Snapshot snapshot,
					  TupleTableSlot *slot);

/* Called for each row of row_fetch_each in index order; returns false to stop. */
typedef bool (*RowVisitor) (TupleTableSlot *slot, void *arg);

extern void row_fetch_each(Relation rel, Relation index, ScanKey keys, int nkeys, Snapshot snapshot,
						   TupleTableSlot *slot, RowVisitor visit, void *arg);

#endif							/* LOCKED_ROW_H */
