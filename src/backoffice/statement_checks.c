/*
 * statement_checks.c
 *		The CHECK constraints of pub tables for the statements that write
 *		them, from check_cache.c instead of parsed again in every statement.
 *
 * ExecConstraints builds a result relation's check expressions on its first
 * row from their stored text (stringToNode, then the planner); for the
 * till's one-row INSERTs into sale, sale_line and sale_payment that parse
 * was most of the cost of a sale's statements.  Once the executor has
 * started, each result relation of schema pub gets its ExprStates from the
 * cache, made from copies in the statement's own memory as the sale
 * posting's are; ExecConstraints finds them built and evaluates them as it
 * would its own.  Only once this library is loaded in the backend (the
 * first posting or other call of its functions): until then PostgreSQL
 * parses the checks itself, with the same result.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "executor/executor.h"
#include "utils/rel.h"

#include "backoffice/check_cache.h"
#include "backoffice/statement_checks.h"

static ExecutorStart_hook_type prev_executor_start = NULL;

static bool
has_checks(Relation rel)
{
	return rel->rd_att->constr != NULL && rel->rd_att->constr->num_check > 0;
}

static void
start_with_cached_checks(QueryDesc *queryDesc, int eflags)
{
	Oid			pub = InvalidOid;
	ListCell   *lc;

	if (prev_executor_start)
		prev_executor_start(queryDesc, eflags);
	else
		standard_ExecutorStart(queryDesc, eflags);
	if (eflags & EXEC_FLAG_EXPLAIN_ONLY)
		return;
	foreach(lc, queryDesc->estate->es_opened_result_relations)
	{
		ResultRelInfo *rri = lfirst(lc);
		Relation	rel = rri->ri_RelationDesc;

		if (rri->ri_ConstraintExprs != NULL || !has_checks(rel))
			continue;
		if (!OidIsValid(pub))
			pub = get_namespace_oid("pub", true);
		if (OidIsValid(pub) && RelationGetNamespace(rel) == pub)
			rri->ri_ConstraintExprs = check_cache_exprs(rel, queryDesc->estate);
	}
}

/* From _PG_init: every statement of the backend starts through the cache. */
void
statement_checks_init(void)
{
	prev_executor_start = ExecutorStart_hook;
	ExecutorStart_hook = start_with_cached_checks;
}
