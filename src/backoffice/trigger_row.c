/*
 * trigger_row.c
 *		The new row's columns for the back office's C triggers, which are all
 *		AFTER INSERT row triggers: anything else is a protocol error.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/spi.h"

#include "backoffice/trigger_row.h"

/* A column of the inserted row (not NULL); function names the trigger function in errors. */
Datum
trigger_new_column(FunctionCallInfo fcinfo, const char *function, const char *column)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	int			attnum;
	bool		isnull;
	Datum		value;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_AFTER(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) || !TRIGGER_FIRED_BY_INSERT(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s must be fired AFTER INSERT FOR EACH ROW", function)));
	desc = RelationGetDescr(td->tg_relation);
	attnum = SPI_fnumber(desc, column);
	if (attnum <= 0)
		elog(ERROR, "%s: the row has no column \"%s\"", function, column);
	value = heap_getattr(td->tg_trigtuple, attnum, desc, &isnull);
	if (isnull)
		elog(ERROR, "%s: the row's \"%s\" is NULL", function, column);
	return value;
}
