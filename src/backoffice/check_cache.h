/*
 * check_cache.h
 *		A table's CHECK constraints, parsed and planned once per backend.
 */
#ifndef CHECK_CACHE_H
#define CHECK_CACHE_H

#include "nodes/execnodes.h"
#include "utils/rel.h"

extern ExprState **check_cache_exprs(Relation rel, EState *estate);

#endif							/* CHECK_CACHE_H */
