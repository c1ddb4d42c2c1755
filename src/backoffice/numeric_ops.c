/*
 * numeric_ops.c
 *		The small integers the posting computes with (0, ±1, 100), as numeric
 *		Datums made once per backend: a sale compares and adds with them
 *		dozens of times.  Numeric functions never change their arguments, so
 *		a shared constant is safe.
 */
#include "postgres.h"

#include "utils/memutils.h"

#include "backoffice/numeric_ops.h"

#define NUM_CONSTANT_MIN (-1)
#define NUM_CONSTANT_MAX 100

static Datum constants[NUM_CONSTANT_MAX - NUM_CONSTANT_MIN + 1];

Datum
num_constant(int32 i)
{
	Datum	   *c;
	MemoryContext old;

	if (i < NUM_CONSTANT_MIN || i > NUM_CONSTANT_MAX)
		return DirectFunctionCall1(int4_numeric, Int32GetDatum(i));
	c = &constants[i - NUM_CONSTANT_MIN];
	if (*c == (Datum) 0)
	{
		old = MemoryContextSwitchTo(TopMemoryContext);
		*c = DirectFunctionCall1(int4_numeric, Int32GetDatum(i));
		MemoryContextSwitchTo(old);
	}
	return *c;
}
