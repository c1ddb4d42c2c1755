/*
 * check_cache.c
 *		The CHECK constraints of pub's tables (those the posting writes, and
 *		every statement's through statement_checks.c), as executor
 *		expressions, without parsing them in every statement.
 *
 * ExecConstraints builds a ResultRelInfo's check expressions on its first
 * row, from their stored text (stringToNode, then the planner); for a posting
 * writing a few rows per table per transaction that parse was most of the
 * check's cost.  Here the planned expressions are kept per table for the
 * backend's life, and each posting makes fresh ExprStates from copies of them
 * in its own executor state: an ExprState points into its expression (an IN
 * list's array constant, say), and the cache may be dropped while a posting
 * still evaluates.  An invalidation of a cached table (ALTER TABLE, DROP,
 * but also VACUUM or ANALYZE updating pg_class) only marks the cache stale:
 * it can arrive in the middle of planning, when nothing may be freed, and
 * the next look-up drops it.  So does any change to a function: the planner
 * may have inlined an SQL function a check calls, and a function's new body
 * does not invalidate the tables that use it.
 */
#include "postgres.h"

#include "executor/executor.h"
#include "nodes/readfuncs.h"
#include "optimizer/optimizer.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "backoffice/check_cache.h"

typedef struct CheckEntry
{
	Oid			relid;			/* hash key */
	int			ncheck;
	Expr	  **exprs;			/* planned, in constr->check order */
} CheckEntry;

static HTAB *checks = NULL;
static MemoryContext checks_context = NULL;
static bool checks_stale = false;

/* Any invalidation of a cached table (or of all) makes every entry stale: they are rebuilt cheaply. */
static void
forget_checks(Datum arg, Oid relid)
{
	if (checks == NULL)
		return;
	if (OidIsValid(relid) && hash_search(checks, &relid, HASH_FIND, NULL) == NULL)
		return;
	checks_stale = true;
}

static void
forget_checks_of_functions(Datum arg, int cacheid, uint32 hashvalue)
{
	if (checks != NULL)
		checks_stale = true;
}

static void
init_checks(void)
{
	static bool callback_registered = false;
	HASHCTL		ctl;

	if (checks_context == NULL)
		checks_context = AllocSetContextCreate(CacheMemoryContext, "pub_backoffice check cache",
											   ALLOCSET_SMALL_SIZES);
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(forget_checks, (Datum) 0);
		CacheRegisterSyscacheCallback(PROCOID, forget_checks_of_functions, (Datum) 0);
		callback_registered = true;
	}
	ctl.keysize = sizeof(Oid);
	ctl.entrysize = sizeof(CheckEntry);
	ctl.hcxt = checks_context;
	checks = hash_create("pub_backoffice checks", 16, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/*
 * Parses and plans rel's checks as ExecRelCheck does (every one, NOT VALID
 * included: new rows must pass them), in the cache's context.
 */
static Expr **
plan_checks(Relation rel, int *ncheck)
{
	TupleConstr *constr = rel->rd_att->constr;
	MemoryContext old = MemoryContextSwitchTo(checks_context);
	Expr	  **exprs;

	*ncheck = constr ? constr->num_check : 0;
	exprs = palloc0(sizeof(Expr *) * Max(*ncheck, 1));
	for (int i = 0; i < *ncheck; i++)
		exprs[i] = expression_planner(stringToNode(constr->check[i].ccbin));
	MemoryContextSwitchTo(old);
	return exprs;
}

/* Executor states of rel's checks, for resultRelInfo->ri_ConstraintExprs. */
ExprState **
check_cache_exprs(Relation rel, EState *estate)
{
	Oid			relid = RelationGetRelid(rel);
	CheckEntry *e;
	bool		found;
	ExprState **states;
	MemoryContext old;

	if (checks != NULL && checks_stale)
	{
		MemoryContextReset(checks_context);
		checks = NULL;
	}
	checks_stale = false;		/* before planning: what arrives during it counts */
	if (checks == NULL)
		init_checks();
	e = hash_search(checks, &relid, HASH_FIND, &found);
	if (!found)
	{
		int			ncheck;
		Expr	  **exprs = plan_checks(rel, &ncheck);

		e = hash_search(checks, &relid, HASH_ENTER, &found);
		e->ncheck = ncheck;
		e->exprs = exprs;
	}
	old = MemoryContextSwitchTo(estate->es_query_cxt);
	states = palloc0(sizeof(ExprState *) * Max(e->ncheck, 1));
	for (int i = 0; i < e->ncheck; i++)
		states[i] = ExecInitExpr(copyObject(e->exprs[i]), NULL);
	MemoryContextSwitchTo(old);
	return states;
}
