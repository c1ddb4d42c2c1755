/*
 * trigger_row.h
 *		The new row of an AFTER INSERT row trigger written in C.
 */
#ifndef TRIGGER_ROW_H
#define TRIGGER_ROW_H

#include "fmgr.h"

extern Datum trigger_new_column(FunctionCallInfo fcinfo, const char *function, const char *column);

#endif							/* TRIGGER_ROW_H */
