/*
 * vat_round.c
 *		VAT rounding, once per document and rate, by the venue's rule:
 *		half_up rounds to the cent half away from zero (numeric round());
 *		up rounds away from zero, never down (sign(x) × ceil(|x| × 100) / 100,
 *		for UK retailers who may not round down).  The one home of the rule:
 *		the sale posting calls vat_round, SQL calls pub.round_vat.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "backoffice/numeric_ops.h"
#include "backoffice/vat_round.h"

PG_FUNCTION_INFO_V1(pbo_round_vat);

/* rule NULL or anything but "up": half up. */
Datum
vat_round(Datum amount, const char *rule)
{
	Datum		hundred = num_int(100);

	if (rule == NULL || strcmp(rule, "up") != 0)
		return num_round2(amount);
	return DirectFunctionCall2(numeric_div,
							   num_mul(DirectFunctionCall1(numeric_sign, amount),
									   DirectFunctionCall1(numeric_ceil,
														   num_mul(DirectFunctionCall1(numeric_abs, amount), hundred))),
							   hundred);
}

/* pub.round_vat(amount numeric, rule text): NULL amount, NULL result; NULL rule, half up. */
Datum
pbo_round_vat(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(vat_round(PG_GETARG_DATUM(0), PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1))));
}
