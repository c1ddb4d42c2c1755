/*
 * row_writer.c
 *		Inserts rows into pub tables without planning or executing an INSERT:
 *		the tuple goes to the heap, its index entries are made (unique
 *		indexes checked at once), NOT NULL and CHECK constraints are checked
 *		and numeric columns are coerced to their declared typmod, as an
 *		INSERT would (the checks' expressions come from check_cache.c).
 *		Row triggers are skipped, except the AFTER triggers
 *		the caller names, which are queued as usual (a deferred constraint
 *		trigger still fires at commit).  Columns not set are NULL: there are
 *		no defaults here, so a new NOT NULL column fails loudly.
 *
 * The same machinery the logical replication apply worker uses
 * (ExecSimpleRelationInsert); the skipped triggers are the caller's promise.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_trigger.h"
#include "catalog/pg_type_d.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "executor/executor.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgrprotos.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "backoffice/check_cache.h"
#include "backoffice/row_writer.h"
#include "backoffice/table_reader.h"

/* The posting writes five tables; a named limit, not a list. */
#define ROW_WRITER_MAX_TABLES 6

struct RowWriterTable
{
	Relation	rel;
	ResultRelInfo *rri;
	TupleTableSlot *slot;		/* the row being written */
	Oid			id_sequence;	/* identity sequence of column "id" */
};

struct RowWriter
{
	EState	   *estate;
	int			ntables;
	RowWriterTable tables[ROW_WRITER_MAX_TABLES];
};

/*
 * Identity sequences by table for the backend's life (looking one up scans
 * pg_depend); any invalidation of a cached table forgets them all.
 */
#define ID_CACHE_SIZE 8
typedef struct IdSequence
{
	Oid			relid;
	Oid			sequence;
} IdSequence;
static IdSequence id_cache[ID_CACHE_SIZE];
static int	id_cache_len = 0;

static void
forget_id_sequences(Datum arg, Oid relid)
{
	for (int i = 0; i < id_cache_len; i++)
	{
		if (!OidIsValid(relid) || id_cache[i].relid == relid)
		{
			id_cache_len = 0;
			return;
		}
	}
}

/* The identity sequence of column "id" of rel, or InvalidOid. */
static Oid
id_sequence(Relation rel)
{
	static bool callback_registered = false;
	Oid			relid = RelationGetRelid(rel);
	AttrNumber	attnum;
	Oid			seq = InvalidOid;

	for (int i = 0; i < id_cache_len; i++)
	{
		if (id_cache[i].relid == relid)
			return id_cache[i].sequence;
	}
	attnum = get_attnum(relid, "id");
	if (attnum != InvalidAttrNumber && TupleDescAttr(RelationGetDescr(rel), attnum - 1)->attidentity)
		seq = getIdentitySequence(relid, attnum, false);
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(forget_id_sequences, (Datum) 0);
		callback_registered = true;
	}
	if (id_cache_len < ID_CACHE_SIZE)
	{
		id_cache[id_cache_len].relid = relid;
		id_cache[id_cache_len++].sequence = seq;
	}
	return seq;
}

/* Starts a unit of writes: an executor state and an after-trigger query level. */
RowWriter *
row_writer_begin(void)
{
	RowWriter  *w = palloc0(sizeof(RowWriter));

	w->estate = CreateExecutorState();
	w->estate->es_output_cid = GetCurrentCommandId(true);
	AfterTriggerBeginQuery();
	return w;
}

/*
 * Only the named AFTER INSERT row trigger of rri's table, or none.  Taken
 * from rri's own copy of the trigdesc (InitResultRelInfo's), not from the
 * relcache entry's, which an invalidation may rebuild while the table is
 * open: a Trigger's name and arguments point into the trigdesc.
 */
static TriggerDesc *
kept_triggers(ResultRelInfo *rri, const char *name)
{
	TriggerDesc *all = rri->ri_TrigDesc;
	Relation	rel = rri->ri_RelationDesc;
	TriggerDesc *kept;

	if (name == NULL)
		return NULL;
	for (int i = 0; all != NULL && i < all->numtriggers; i++)
	{
		Trigger    *tg = &all->triggers[i];

		if (strcmp(tg->tgname, name) != 0)
			continue;
		if (!TRIGGER_TYPE_MATCHES(tg->tgtype, TRIGGER_TYPE_ROW, TRIGGER_TYPE_AFTER, TRIGGER_TYPE_INSERT))
			elog(ERROR, "trigger \"%s\" on \"%s\" is not an AFTER INSERT row trigger",
				 name, RelationGetRelationName(rel));
		kept = palloc0(sizeof(TriggerDesc));
		kept->numtriggers = 1;
		kept->triggers = palloc(sizeof(Trigger));
		memcpy(kept->triggers, tg, sizeof(Trigger));
		kept->trig_insert_after_row = true;
		return kept;
	}
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_OBJECT),
			 errmsg("trigger \"%s\" on table \"%s\" does not exist",
					name, RelationGetRelationName(rel))));
	return NULL;				/* keep the compiler quiet */
}

/* Opens pub.<relname> for inserts, with kept_trigger (or no trigger) queued. */
RowWriterTable *
row_writer_table(RowWriter *w, const char *relname, const char *kept_trigger)
{
	RowWriterTable *t;
	Oid			relid = pub_relation(relname);

	if (w->ntables >= ROW_WRITER_MAX_TABLES)
		elog(ERROR, "row writer: more than %d tables", ROW_WRITER_MAX_TABLES);
	t = &w->tables[w->ntables++];
	t->rel = table_open(relid, RowExclusiveLock);
	t->rri = makeNode(ResultRelInfo);
	/* Range table index 0: not a statement's target; errors still show the row. */
	InitResultRelInfo(t->rri, t->rel, 0, NULL, 0);
	t->rri->ri_TrigDesc = kept_triggers(t->rri, kept_trigger);
	ExecOpenIndices(t->rri, false);
	if (t->rel->rd_att->constr && t->rel->rd_att->constr->num_check > 0)
		t->rri->ri_ConstraintExprs = check_cache_exprs(t->rel, w->estate);
	t->slot = ExecInitExtraTupleSlot(w->estate, RelationGetDescr(t->rel), &TTSOpsVirtual);
	t->id_sequence = id_sequence(t->rel);
	return t;
}

/* Begins a row: every column NULL. */
void
row_start(RowWriterTable *t)
{
	TupleTableSlot *slot = t->slot;

	ExecClearTuple(slot);
	memset(slot->tts_isnull, true, slot->tts_tupleDescriptor->natts * sizeof(bool));
}

/* The 0-based position of a column in desc, or an error. */
static int
column_position(TupleDesc desc, const char *column)
{
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		/* the first letter first: most columns differ there */
		if (NameStr(att->attname)[0] == column[0] && !att->attisdropped &&
			strcmp(NameStr(att->attname), column) == 0)
			return i;
	}
	elog(ERROR, "column \"%s\" does not exist", column);
	return -1;					/* keep the compiler quiet */
}

static int
column_index(RowWriterTable *t, const char *column)
{
	return column_position(RelationGetDescr(t->rel), column);
}

/* A column of a row read into slot, by name. */
Datum
slot_column(TupleTableSlot *slot, const char *column, bool *isnull)
{
	return slot_getattr(slot, column_position(slot->tts_tupleDescriptor, column) + 1, isnull);
}

/* The same, copied into the current memory context: it outlives the slot's row. */
Datum
slot_column_copy(TupleTableSlot *slot, const char *column, bool *isnull)
{
	int			i = column_position(slot->tts_tupleDescriptor, column);
	Form_pg_attribute att = TupleDescAttr(slot->tts_tupleDescriptor, i);
	Datum		d = slot_getattr(slot, i + 1, isnull);

	return *isnull ? (Datum) 0 : datumCopy(d, att->attbyval, att->attlen);
}

/* Begins a row as a copy of old (for row_update). */
void
row_start_from(RowWriterTable *t, TupleTableSlot *old)
{
	int			natts = RelationGetDescr(t->rel)->natts;

	slot_getallattrs(old);
	ExecClearTuple(t->slot);
	memcpy(t->slot->tts_values, old->tts_values, natts * sizeof(Datum));
	memcpy(t->slot->tts_isnull, old->tts_isnull, natts * sizeof(bool));
}

void
row_set(RowWriterTable *t, const char *column, Datum value, bool isnull)
{
	int			i = column_index(t, column);

	t->slot->tts_values[i] = value;
	t->slot->tts_isnull[i] = isnull;
}

Relation
row_table_relation(RowWriterTable *t)
{
	return t->rel;
}

/*
 * value as column att stores it: numeric(p,s) rounded to its scale and
 * checked for overflow, as an INSERT would; other typmods are not written.
 */
static Datum
coerce_to_column(Form_pg_attribute att, Datum value)
{
	if (att->atttypmod < 0)
		return value;
	if (att->atttypid != NUMERICOID)
		elog(ERROR, "row writer: column \"%s\" has a typmod of an unsupported type", NameStr(att->attname));
	return DirectFunctionCall2(numeric, value, Int32GetDatum(att->atttypmod));
}

/* A value as the named column stores it. */
Datum
row_coerce(RowWriterTable *t, const char *column, Datum value)
{
	return coerce_to_column(TupleDescAttr(RelationGetDescr(t->rel), column_index(t, column)), value);
}

/* The next value of the table's identity column "id". */
int64
row_next_id(RowWriterTable *t)
{
	if (!OidIsValid(t->id_sequence))
		elog(ERROR, "\"%s\" has no identity column \"id\"", RelationGetRelationName(t->rel));
	return nextval_internal(t->id_sequence, false);
}

/* numeric(p,s) columns get the value an INSERT would store (scale, overflow). */
static void
coerce_typmods(RowWriterTable *t)
{
	TupleDesc	desc = RelationGetDescr(t->rel);

	for (int i = 0; i < desc->natts; i++)
	{
		if (!t->slot->tts_isnull[i])
			t->slot->tts_values[i] = coerce_to_column(TupleDescAttr(desc, i), t->slot->tts_values[i]);
	}
}

/* Inserts the row built since row_start. */
void
row_insert(RowWriter *w, RowWriterTable *t)
{
	List	   *recheck;

	coerce_typmods(t);
	ExecStoreVirtualTuple(t->slot);
	if (t->rel->rd_att->constr)
		ExecConstraints(t->rri, t->slot, w->estate);
	simple_table_tuple_insert(t->rel, t->slot);
	recheck = ExecInsertIndexTuples(t->rri, t->slot, w->estate, false, false, NULL, NIL);
	if (recheck != NIL)
		elog(ERROR, "row writer: deferrable unique indexes on \"%s\" are not supported",
			 RelationGetRelationName(t->rel));
	if (t->rri->ri_TrigDesc)
		ExecARInsertTriggers(w->estate, t->rri, t->slot, NIL, NULL);
	ResetPerTupleExprContext(w->estate);
}

/*
 * Replaces old (a row of the table locked by this transaction) with the values set since row_start; index entries are made
 * unless the update is HOT.  No triggers: the caller keeps their rules.
 */
void
row_update(RowWriter *w, RowWriterTable *t, TupleTableSlot *old)
{
	HeapTuple	tuple;
	List	   *recheck = NIL;

	coerce_typmods(t);
	ExecStoreVirtualTuple(t->slot);
	if (t->rel->rd_att->constr)
		ExecConstraints(t->rri, t->slot, w->estate);
	tuple = ExecCopySlotHeapTuple(t->slot);
	simple_heap_update(t->rel, &old->tts_tid, tuple);
	if (!HeapTupleIsHeapOnly(tuple))
	{
		t->slot->tts_tid = tuple->t_self;
		recheck = ExecInsertIndexTuples(t->rri, t->slot, w->estate, true, false, NULL, NIL);
	}
	if (recheck != NIL)
		elog(ERROR, "row writer: deferrable unique indexes on \"%s\" are not supported",
			 RelationGetRelationName(t->rel));
	ResetPerTupleExprContext(w->estate);
}

/*
 * Ends the unit: the rows become visible to what follows, the kept triggers
 * that are not deferred fire, and everything but the locks is released.
 */
void
row_writer_end(RowWriter *w)
{
	CommandCounterIncrement();
	AfterTriggerEndQuery(w->estate);
	for (int i = 0; i < w->ntables; i++)
	{
		ExecCloseIndices(w->tables[i].rri);
		table_close(w->tables[i].rel, NoLock);
	}
	ExecCloseResultRelations(w->estate);
	ExecResetTupleTable(w->estate->es_tupleTable, false);
	FreeExecutorState(w->estate);
	pfree(w);
}
