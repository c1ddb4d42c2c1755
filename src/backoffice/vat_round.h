/*
 * vat_round.h
 *		VAT rounding by the venue's rule (half_up, up).
 */
#ifndef VAT_ROUND_H
#define VAT_ROUND_H

#include "fmgr.h"

extern Datum vat_round(Datum amount, const char *rule);

#endif							/* VAT_ROUND_H */
