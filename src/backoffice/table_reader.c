/*
 * table_reader.c
 *		Opening the pub tables the posting reads, and reading a row by its
 *		bigint primary key, as a given snapshot sees it.
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "executor/executor.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/relcache.h"

#include "backoffice/locked_row.h"
#include "backoffice/table_reader.h"

/* The OID of pub.<relname> (a table or an index), or an error. */
Oid
pub_relation(const char *relname)
{
	Oid			relid = get_relname_relid(relname, get_namespace_oid("pub", false));

	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"pub.%s\" does not exist", relname)));
	return relid;
}

void
read_open(ReadTable *t, const char *relname)
{
	t->rel = table_open(pub_relation(relname), AccessShareLock);
	t->slot = table_slot_create(t->rel, NULL);
}

void
read_close(ReadTable *t)
{
	ExecDropSingleTupleTableSlot(t->slot);
	table_close(t->rel, AccessShareLock);
}

/* The row whose primary key (one bigint column) is id, into t->slot. */
bool
read_by_id(ReadTable *t, int64 id, Snapshot snapshot)
{
	ScanKeyData key;

	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(id));
	return row_fetch(t->rel, RelationGetPrimaryKeyIndex(t->rel), &key, 1, snapshot, t->slot);
}
