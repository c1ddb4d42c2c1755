/*
 * user_triggers.c
 *		The sale posting writes its rows without firing the tables' triggers
 *		(row_writer.c), which is safe only for the triggers whose rules it
 *		keeps itself: the extension's.  A trigger someone else adds to a table
 *		the posting writes would silently not fire, so the posting refuses
 *		instead, naming it.
 *
 * A user trigger: not internal (foreign-key triggers are), fired by INSERT
 * or UPDATE (what the posting does), and whose function does not belong to
 * pub_backoffice.  Finding a function's extension scans pg_depend, so each
 * table's user triggers are kept for the backend's life; any invalidation of
 * a cached table (CREATE, DROP, ENABLE or DISABLE TRIGGER among others) marks
 * the cache stale and the next look-up rebuilds it, as check_cache.c does.
 * Whether a trigger would fire (tgenabled against session_replication_role)
 * is decided at each posting, as the executor does.
 */
#include "postgres.h"

#include "catalog/dependency.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_trigger.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "backoffice/user_triggers.h"

typedef struct UserTrigger
{
	NameData	name;
	char		enabled;		/* pg_trigger.tgenabled */
} UserTrigger;

typedef struct TableTriggers
{
	Oid			relid;			/* hash key */
	int			n;
	UserTrigger *triggers;
} TableTriggers;

static HTAB *tables = NULL;
static MemoryContext tables_context = NULL;
static bool tables_stale = false;

static void
forget_tables(Datum arg, Oid relid)
{
	if (tables == NULL)
		return;
	if (OidIsValid(relid) && hash_search(tables, &relid, HASH_FIND, NULL) == NULL)
		return;
	tables_stale = true;
}

static void
init_tables(void)
{
	static bool callback_registered = false;
	HASHCTL		ctl;

	if (tables_context == NULL)
		tables_context = AllocSetContextCreate(CacheMemoryContext, "pub_backoffice user triggers",
											   ALLOCSET_SMALL_SIZES);
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(forget_tables, (Datum) 0);
		callback_registered = true;
	}
	ctl.keysize = sizeof(Oid);
	ctl.entrysize = sizeof(TableTriggers);
	ctl.hcxt = tables_context;
	tables = hash_create("pub_backoffice user triggers", 8, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/*
 * rel's user triggers, in the cache's context.  The candidates are copied out
 * of the relcache's trigdesc first: looking up a function's extension reads
 * pg_depend, which may process an invalidation that rebuilds rel's entry and
 * frees its trigdesc.
 */
static void
find_user_triggers(Relation rel, TableTriggers *e)
{
	TriggerDesc *desc = rel->trigdesc;
	int			n = desc ? desc->numtriggers : 0;
	UserTrigger *found = MemoryContextAlloc(tables_context, sizeof(UserTrigger) * Max(n, 1));
	Oid		   *functions = palloc(sizeof(Oid) * Max(n, 1));
	Oid			extension;
	int			candidates = 0;

	for (int i = 0; i < n; i++)
	{
		const Trigger *t = &desc->triggers[i];

		if (t->tgisinternal || !(TRIGGER_FOR_INSERT(t->tgtype) || TRIGGER_FOR_UPDATE(t->tgtype)))
			continue;
		namestrcpy(&found[candidates].name, t->tgname);
		found[candidates].enabled = t->tgenabled;
		functions[candidates++] = t->tgfoid;
	}
	extension = get_extension_oid("pub_backoffice", false);
	e->n = 0;
	e->triggers = found;
	for (int i = 0; i < candidates; i++)
	{
		if (getExtensionOfObject(ProcedureRelationId, functions[i]) != extension)
			e->triggers[e->n++] = found[i];
	}
	pfree(functions);
}

static TableTriggers *
table_triggers(Relation rel)
{
	Oid			relid = RelationGetRelid(rel);
	TableTriggers *e;
	bool		found;

	if (tables != NULL && tables_stale)
	{
		MemoryContextReset(tables_context);
		tables = NULL;
	}
	tables_stale = false;		/* before the catalog reads: what arrives during them counts */
	if (tables == NULL)
		init_tables();
	e = hash_search(tables, &relid, HASH_FIND, &found);
	if (!found)
	{
		TableTriggers built;

		find_user_triggers(rel, &built);
		e = hash_search(tables, &relid, HASH_ENTER, &found);
		e->n = built.n;
		e->triggers = built.triggers;
	}
	return e;
}

/* Would the executor fire a trigger so enabled now?  (trigger.c's TriggerEnabled) */
static bool
fires(char enabled)
{
	if (enabled == TRIGGER_DISABLED)
		return false;
	if (SessionReplicationRole == SESSION_REPLICATION_ROLE_REPLICA)
		return enabled != TRIGGER_FIRES_ON_ORIGIN;
	return enabled != TRIGGER_FIRES_ON_REPLICA;
}

/* Errors out when rel has a user trigger that would fire for an INSERT or UPDATE. */
void
user_triggers_refuse(Relation rel)
{
	TableTriggers *e = table_triggers(rel);

	for (int i = 0; i < e->n; i++)
	{
		if (fires(e->triggers[i].enabled))
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("cannot post a sale while trigger \"%s\" on table \"%s.%s\" is enabled",
							NameStr(e->triggers[i].name),
							get_namespace_name(RelationGetNamespace(rel)), RelationGetRelationName(rel)),
					 errdetail("The sale posting writes its rows directly and fires only the extension's own triggers."),
					 errhint("Disable or drop the trigger; to follow the posted rows, read pub.outbox or the logical decoding stream.")));
	}
}
