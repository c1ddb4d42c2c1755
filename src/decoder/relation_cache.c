/*
 * relation_cache.c
 *		A hash of per-relation decoder metadata keyed by relation OID.
 *
 * Built the first time a relation's change is decoded, reused for every
 * later change, and dropped by relcache invalidation (ALTER TABLE, index
 * changes, REPLICA IDENTITY) or type invalidation (ALTER TYPE … ADD VALUE),
 * so a schema change shows from the next change on.  Modelled on pgoutput's
 * RelationSyncEntry.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_index.h"
#include "optimizer/optimizer.h"
#include "rewrite/rewriteHandler.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/relcache.h"
#include "utils/syscache.h"

#include "decoder/envelope.h"
#include "decoder/relation_cache.h"
#include "json/json_writer.h"

static HTAB *relation_hash = NULL;
static RelationEntry *last_entry = NULL;	/* changes come in runs per table */
static MemoryContext cache_cxt = NULL;
static const DecoderOptions *cache_opts = NULL;
static bool callbacks_registered = false;

static void
invalidate_relation(Datum arg, Oid relid)
{
	HASH_SEQ_STATUS status;
	RelationEntry *entry;

	if (relation_hash == NULL)
		return;
	if (OidIsValid(relid))
	{
		entry = hash_search(relation_hash, &relid, HASH_FIND, NULL);
		if (entry)
			entry->valid = false;
		return;
	}
	hash_seq_init(&status, relation_hash);
	while ((entry = hash_seq_search(&status)) != NULL)
		entry->valid = false;
}

static void
invalidate_all(Datum arg, int cacheid, uint32 hashvalue)
{
	invalidate_relation(arg, InvalidOid);
}

/*
 * The decoding context's memory goes away on error as well as at shutdown;
 * the invalidation callbacks, registered for the life of the backend, must
 * then find no cache rather than freed memory.
 */
static void
forget_cache(void *arg)
{
	relation_hash = NULL;
	last_entry = NULL;
	cache_cxt = NULL;
	cache_opts = NULL;
}

void
relation_cache_init(MemoryContext parent, const DecoderOptions *opts)
{
	HASHCTL		ctl;
	MemoryContextCallback *forget = MemoryContextAllocZero(parent, sizeof(MemoryContextCallback));

	cache_cxt = AllocSetContextCreate(parent, "pub_backoffice relation cache",
									  ALLOCSET_DEFAULT_SIZES);
	ctl.keysize = sizeof(Oid);
	ctl.entrysize = sizeof(RelationEntry);
	ctl.hcxt = cache_cxt;
	relation_hash = hash_create("pub_backoffice relations", 64, &ctl,
								HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	cache_opts = opts;
	forget->func = forget_cache;
	MemoryContextRegisterResetCallback(parent, forget);
	/* callbacks cannot be unregistered: register once per backend */
	if (!callbacks_registered)
	{
		CacheRegisterRelcacheCallback(invalidate_relation, (Datum) 0);
		CacheRegisterSyscacheCallback(TYPEOID, invalidate_all, (Datum) 0);
		callbacks_registered = true;
	}
}

void
relation_cache_destroy(void)
{
	if (cache_cxt)
		MemoryContextDelete(cache_cxt);
	forget_cache(NULL);
}

/* Topic names allow [A-Za-z0-9._-]; Debezium replaces anything else with '_'. */
static char *
topic_name(const char *prefix, const char *schema, const char *table)
{
	char	   *topic = psprintf("%s.%s.%s", prefix, schema, table);

	for (char *p = topic; *p; p++)
		if (!(isalnum((unsigned char) *p) || *p == '.' || *p == '_' || *p == '-'))
			*p = '_';
	return topic;
}

/*
 * A literal, possibly cast: the only defaults Debezium parses.  Checking the
 * shape first also keeps user functions from running inside decoding.
 */
static bool
is_literal(Node *node)
{
	if (node == NULL)
		return false;
	if (IsA(node, Const))
		return true;
	if (IsA(node, RelabelType))
		return is_literal((Node *) ((RelabelType *) node)->arg);
	if (IsA(node, CoerceViaIO))
		return is_literal((Node *) ((CoerceViaIO *) node)->arg);
	if (IsA(node, FuncExpr) && ((FuncExpr *) node)->funcformat != COERCE_EXPLICIT_CALL)
	{
		ListCell   *lc;

		foreach(lc, ((FuncExpr *) node)->args)
			if (!is_literal(lfirst(lc)))
				return false;
		return true;
	}
	return false;
}

/*
 * The column's DEFAULT as Debezium puts it in the field schema: a literal
 * rendered like a value of the column; any other expression (nextval(),
 * now()) as the type's zero.  Debezium gives none for unconstrained numeric
 * in precise mode, bytea and arrays.
 */
static char *
column_default_json(Relation rel, Form_pg_attribute att, const ColumnType *type)
{
	Node	   *expr;
	StringInfoData buf;

	if (!att->atthasdef || type->kind == VK_BYTEA || type->kind == VK_ARRAY ||
		(type->kind == VK_NUMERIC && type->scale < 0 &&
		 cache_opts->decimal_mode == DECIMAL_PRECISE))
		return NULL;
	expr = build_column_default(rel, att->attnum);
	if (expr == NULL)
		return NULL;
	expr = is_literal(expr) ? eval_const_expressions(NULL, expr) : NULL;
	initStringInfo(&buf);
	if (expr && IsA(expr, Const))
	{
		Const	   *c = (Const *) expr;

		if (c->constisnull)
			return NULL;
		column_type_write(&buf, type, c->constvalue, cache_opts);
	}
	else
		column_type_write_zero(&buf, type, cache_opts, true);
	return buf.data;
}

static void
load_columns(RelationEntry *entry, Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);

	entry->cols = palloc0(sizeof(RelColumn) * Max(desc->natts, 1));
	entry->ncols = 0;
	for (int i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);
		RelColumn  *col;
		StringInfoData field;

		/* pgoutput does not send generated columns either */
		if (att->attisdropped || att->attgenerated || column_type_omitted(att->atttypid))
			continue;
		col = &entry->cols[entry->ncols++];
		col->attidx = i;
		col->notnull = att->attnotnull;
		initStringInfo(&field);
		appendStringInfoChar(&field, ',');
		json_append_cstring(&field, NameStr(att->attname));
		appendStringInfoChar(&field, ':');
		col->field = field.data;
		col->field_len = field.len;
		column_type_init(&col->type, att->atttypid, att->atttypmod, cache_opts);
		col->default_json = column_default_json(rel, att, &col->type);
	}
}

/* Key columns: the primary key, else the replica identity index. */
static void
load_key(RelationEntry *entry, Relation rel)
{
	Oid			indexoid = RelationGetPrimaryKeyIndex(rel);
	Relation	index;

	entry->nkeys = 0;
	entry->keys = NULL;
	if (!OidIsValid(indexoid))
		indexoid = RelationGetReplicaIndex(rel);
	if (!OidIsValid(indexoid))
		return;
	index = RelationIdGetRelation(indexoid);
	entry->keys = palloc(sizeof(int) * index->rd_index->indnkeyatts);
	for (int k = 0; k < index->rd_index->indnkeyatts; k++)
	{
		AttrNumber	attnum = index->rd_index->indkey.values[k];

		for (int c = 0; c < entry->ncols; c++)
			if (entry->cols[c].attidx == attnum - 1)
				entry->keys[entry->nkeys++] = c;
	}
	RelationClose(index);
}

static void
build_entry(RelationEntry *entry, Relation rel)
{
	MemoryContext old;
	char	   *schema = get_namespace_name(RelationGetNamespace(rel));
	char	   *table = RelationGetRelationName(rel);
	StringInfoData buf;

	entry->cxt = AllocSetContextCreate(cache_cxt, "pub_backoffice relation",
									   ALLOCSET_SMALL_SIZES);
	old = MemoryContextSwitchTo(entry->cxt);
	entry->replident = rel->rd_rel->relreplident;
	entry->included = decoder_table_included(cache_opts, schema, table);
	entry->topic = topic_name(cache_opts->topic_prefix, schema, table);
	entry->topic_len = strlen(entry->topic);
	entry->data_collection = psprintf("%s.%s", schema, table);
	load_columns(entry, rel);
	load_key(entry, rel);
	envelope_render_table_schemas(entry, cache_opts);
	initStringInfo(&buf);
	json_append_lit(&buf, ",\"schema\":");
	json_append_cstring(&buf, schema);
	json_append_lit(&buf, ",\"table\":");
	json_append_cstring(&buf, table);
	json_append_lit(&buf, ",\"txId\":");
	entry->source_table = buf.data;
	entry->source_table_len = buf.len;
	entry->txn_serial = 0;
	entry->txn_events = 0;
	MemoryContextSwitchTo(old);
	entry->valid = true;
}

RelationEntry *
relation_cache_get(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	bool		found;
	RelationEntry *entry;

	/* entries are never removed, so the pointer stays good until the hash goes */
	if (last_entry && last_entry->relid == relid && last_entry->valid)
		return last_entry;
	entry = hash_search(relation_hash, &relid, HASH_ENTER, &found);
	last_entry = entry;
	if (found && entry->valid)
		return entry;
	if (found && entry->cxt)
	{
		/* keep the transaction's event count across an ALTER TABLE */
		uint64		serial = entry->txn_serial;
		int64		events = entry->txn_events;

		MemoryContextDelete(entry->cxt);
		entry->cxt = NULL;
		entry->valid = false;
		build_entry(entry, rel);
		entry->txn_serial = serial;
		entry->txn_events = events;
		return entry;
	}
	entry->cxt = NULL;
	entry->valid = false;
	build_entry(entry, rel);
	return entry;
}
