/*
 * locked_row.c
 *		One row found through an index and locked, with the semantics of a
 *		locking SELECT (ExecLockRows): in READ COMMITTED the lock follows
 *		concurrent updates to the row's latest version; under REPEATABLE READ
 *		or SERIALIZABLE a row changed since the snapshot is a serialization
 *		failure.  The caller re-checks its keys on the row it gets, since a
 *		followed update may have changed them.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "executor/tuptable.h"
#include "utils/snapmgr.h"

#include "backoffice/locked_row.h"

/* A snapshot that sees this transaction's earlier writes (the caller registers or uses it at once). */
Snapshot
locked_row_snapshot(void)
{
	CommandCounterIncrement();
	return GetTransactionSnapshot();
}

/* Visits the rows whose index entries match keys, in index order, as the snapshot sees them. */
void
row_fetch_each(Relation rel, Relation index, ScanKey keys, int nkeys, Snapshot snapshot,
			   TupleTableSlot *slot, RowVisitor visit, void *arg)
{
	IndexScanDesc scan = index_beginscan(rel, index, snapshot, nkeys, 0);

	index_rescan(scan, keys, nkeys, NULL, 0);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		if (!visit(slot, arg))
			break;
	}
	index_endscan(scan);
}

static bool
stop_at_first(TupleTableSlot *slot, void *found)
{
	*(bool *) found = true;
	return false;
}

/* The first row whose index entry matches keys, as the snapshot sees it; false when none. */
bool
row_fetch(Relation rel, Relation index, ScanKey keys, int nkeys, Snapshot snapshot, TupleTableSlot *slot)
{
	bool		found = false;

	row_fetch_each(rel, index, keys, nkeys, snapshot, slot, stop_at_first, &found);
	return found;
}

static void
serialization_failure(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg("could not serialize access due to concurrent update")));
}

/* row_fetch, then the row locked in mode; slot holds the locked version. */
bool
locked_row_fetch(Relation rel, Relation index, ScanKey keys, int nkeys, LockTupleMode mode,
				 Snapshot snapshot, TupleTableSlot *slot)
{
	ItemPointerData tid;
	TM_FailureData tmfd;
	int			flags = IsolationUsesXactSnapshot() ? 0 : TUPLE_LOCK_FLAG_FIND_LAST_VERSION;
	TM_Result	result;

	if (!row_fetch(rel, index, keys, nkeys, snapshot, slot))
		return false;
	tid = slot->tts_tid;
	result = table_tuple_lock(rel, &tid, snapshot, slot, GetCurrentCommandId(false), mode,
							  LockWaitBlock, flags, &tmfd);
	switch (result)
	{
		case TM_Ok:
			return true;
		case TM_Updated:
			serialization_failure();	/* only without FIND_LAST_VERSION */
			break;
		case TM_Deleted:
			if (IsolationUsesXactSnapshot())
				serialization_failure();
			return false;
		default:
			elog(ERROR, "unexpected table_tuple_lock status %d on \"%s\"",
				 (int) result, RelationGetRelationName(rel));
	}
	return false;
}
