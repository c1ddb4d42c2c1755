/*
 * table_reader.c
 *		Opening the pub tables the posting reads, with the index each is read
 *		by, and reading a row by its bigint primary key, as a given snapshot
 *		sees it.
 *
 * A table's index scan is begun once and restarted with each look-up's
 * keys, while the snapshot and the number of keys stay the same.
 *
 * The OIDs of pub's tables and indexes are looked up by name once per
 * backend: a sale used to look up some twenty names in the catalog caches.
 * Any invalidation of a cached relation (DROP, RENAME, but also ANALYZE) or
 * any change to a schema forgets them all; they are cheap to find again.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "executor/executor.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/relcache.h"
#include "utils/syscache.h"

#include "backoffice/table_reader.h"

/* The posting names about fifteen relations; a named limit, past which names are looked up each time. */
#define PUB_RELATIONS_CACHED 32

typedef struct PubRelation
{
	NameData	name;
	Oid			relid;
} PubRelation;

static PubRelation pub_relations[PUB_RELATIONS_CACHED];
static int	pub_relations_len = 0;

static void
forget_relation(Datum arg, Oid relid)
{
	for (int i = 0; i < pub_relations_len; i++)
	{
		if (!OidIsValid(relid) || pub_relations[i].relid == relid)
		{
			pub_relations_len = 0;
			return;
		}
	}
}

static void
forget_schema(Datum arg, int cacheid, uint32 hashvalue)
{
	pub_relations_len = 0;
}

static Oid
look_up_relation(const char *relname)
{
	static bool callbacks_registered = false;
	Oid			relid;

	if (!callbacks_registered)
	{
		CacheRegisterRelcacheCallback(forget_relation, (Datum) 0);
		CacheRegisterSyscacheCallback(NAMESPACEOID, forget_schema, (Datum) 0);
		callbacks_registered = true;
	}
	relid = get_relname_relid(relname, get_namespace_oid("pub", false));
	if (!OidIsValid(relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"pub.%s\" does not exist", relname)));
	return relid;
}

/* The OID of pub.<relname> (a table or an index), or an error. */
Oid
pub_relation(const char *relname)
{
	Oid			relid;

	for (int i = 0; i < pub_relations_len; i++)
	{
		if (strcmp(NameStr(pub_relations[i].name), relname) == 0)
			return pub_relations[i].relid;
	}
	relid = look_up_relation(relname);
	if (pub_relations_len < PUB_RELATIONS_CACHED)
	{
		namestrcpy(&pub_relations[pub_relations_len].name, relname);
		pub_relations[pub_relations_len++].relid = relid;
	}
	return relid;
}

/* Opens pub.<relname> to be read through pub.<index>, or its primary key when index is NULL. */
void
read_open(ReadTable *t, const char *relname, const char *index)
{
	read_open_locking(t, relname, index, AccessShareLock);
}

/* The same, rel locked in mode: RowShareLock or stronger for rows to be locked (locked_row.c). */
void
read_open_locking(ReadTable *t, const char *relname, const char *index, LOCKMODE mode)
{
	t->lockmode = mode;
	t->rel = table_open(pub_relation(relname), mode);
	t->index = index_open(index ? pub_relation(index) : RelationGetPrimaryKeyIndex(t->rel), AccessShareLock);
	t->slot = table_slot_create(t->rel, NULL);
	t->scan = NULL;
}

void
read_close(ReadTable *t)
{
	if (t->scan != NULL)
		index_endscan(t->scan);
	ExecDropSingleTupleTableSlot(t->slot);
	index_close(t->index, AccessShareLock);
	/* A table whose rows were locked stays locked to the end of the transaction, as a locking SELECT's. */
	table_close(t->rel, t->lockmode == AccessShareLock ? AccessShareLock : NoLock);
}

/* Visits the rows whose entries in t's index match keys, in index order, as the snapshot sees them. */
void
read_each(ReadTable *t, ScanKey keys, int nkeys, Snapshot snapshot, RowVisitor visit, void *arg)
{
	if (t->scan != NULL && (t->scan->xs_snapshot != snapshot || t->scan->numberOfKeys != nkeys))
	{
		index_endscan(t->scan);
		t->scan = NULL;
	}
	if (t->scan == NULL)
		t->scan = index_beginscan(t->rel, t->index, snapshot, nkeys, 0);
	index_rescan(t->scan, keys, nkeys, NULL, 0);
	while (index_getnext_slot(t->scan, ForwardScanDirection, t->slot))
	{
		if (!visit(t->slot, arg))
			break;
	}
}

static bool
stop_at_first(TupleTableSlot *slot, void *found)
{
	*(bool *) found = true;
	return false;
}

/* The first row whose entry in t's index matches keys, into t->slot; false when none. */
bool
read_first(ReadTable *t, ScanKey keys, int nkeys, Snapshot snapshot)
{
	bool		found = false;

	read_each(t, keys, nkeys, snapshot, stop_at_first, &found);
	return found;
}

/* The row whose primary key (one bigint column, t's index) is id, into t->slot. */
bool
read_by_id(ReadTable *t, int64 id, Snapshot snapshot)
{
	ScanKeyData key;

	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(id));
	return read_first(t, &key, 1, snapshot);
}
