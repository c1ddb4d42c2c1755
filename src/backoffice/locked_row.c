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

static void
serialization_failure(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg("could not serialize access due to concurrent update")));
}

/* read_first, then the row locked in mode; t->slot holds the locked version. */
bool
locked_row_fetch(ReadTable *t, ScanKey keys, int nkeys, LockTupleMode mode, Snapshot snapshot)
{
	Relation	rel = t->rel;
	TupleTableSlot *slot = t->slot;
	ItemPointerData tid;
	TM_FailureData tmfd;
	int			flags = IsolationUsesXactSnapshot() ? 0 : TUPLE_LOCK_FLAG_FIND_LAST_VERSION;
	TM_Result	result;

	if (!read_first(t, keys, nkeys, snapshot))
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
