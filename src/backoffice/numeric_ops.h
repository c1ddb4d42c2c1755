/*
 * numeric_ops.h
 *		Exact numeric arithmetic for the posting, through the same functions
 *		as SQL's numeric operators, so C sums equal the SQL ones digit for
 *		digit.
 */
#ifndef NUMERIC_OPS_H
#define NUMERIC_OPS_H

#include "fmgr.h"
#include "utils/fmgrprotos.h"

/* numeric_ops.c: small ones are made once per backend; the caller must not change the result */
extern Datum num_constant(int32 i);

static inline Datum
num_int(int32 i)
{
	return num_constant(i);
}

static inline Datum
num_add(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_add, a, b);
}

static inline Datum
num_sub(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_sub, a, b);
}

static inline Datum
num_mul(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_mul, a, b);
}

static inline int
num_cmp(Datum a, Datum b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, a, b));
}

/* round(x, 2): half away from zero, as SQL's round(numeric, int) */
static inline Datum
num_round2(Datum x)
{
	return DirectFunctionCall2(numeric_round, x, Int32GetDatum(2));
}

static inline char *
num_text(Datum x)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, x));
}

#endif							/* NUMERIC_OPS_H */
