/*
 * entry_balance.c
 *		pub.journal_entry_check_balance(): the deferred constraint trigger
 *		journal_entry_balanced.  At commit every journal entry, whoever wrote
 *		it, has at least two lines and its debits equal its credits.  In C
 *		since 1.2: the entry's lines are summed through the journal_line_entry
 *		index, with no statement to plan and run at every sale's commit.
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/snapmgr.h"

#include "backoffice/locked_row.h"
#include "backoffice/numeric_ops.h"
#include "backoffice/row_writer.h"
#include "backoffice/table_reader.h"
#include "backoffice/trigger_row.h"

PG_FUNCTION_INFO_V1(pbo_journal_entry_check_balance);

typedef struct EntrySums
{
	Datum		debit;
	Datum		credit;
	int64		lines;
} EntrySums;

static bool
add_line(TupleTableSlot *slot, void *arg)
{
	EntrySums  *s = arg;
	bool		isnull;

	s->debit = num_add(s->debit, slot_column(slot, "debit", &isnull));
	s->credit = num_add(s->credit, slot_column(slot, "credit", &isnull));
	s->lines++;
	return true;
}

/* The entry's lines as this transaction sees them now. */
static void
sum_lines(int64 entry_id, EntrySums *s)
{
	ReadTable	lines;
	ScanKeyData key;
	Snapshot	snapshot = RegisterSnapshot(locked_row_snapshot());

	s->debit = num_int(0);
	s->credit = num_int(0);
	s->lines = 0;
	read_open(&lines, "journal_line", "journal_line_entry");
	ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ, Int64GetDatum(entry_id));
	read_each(&lines, &key, 1, snapshot, add_line, s);
	read_close(&lines);
	UnregisterSnapshot(snapshot);
}

Datum
pbo_journal_entry_check_balance(PG_FUNCTION_ARGS)
{
	const char *function = "pub.journal_entry_check_balance()";
	int64		entry_id = DatumGetInt64(trigger_new_column(fcinfo, function, "id"));
	EntrySums	s;

	sum_lines(entry_id, &s);
	if (num_cmp(s.debit, s.credit) != 0 || s.lines < 2)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("journal entry %lld (%s) does not balance: debits %s <> credits %s over %lld lines",
						(long long) entry_id,
						TextDatumGetCString(trigger_new_column(fcinfo, function, "idempotency_key")),
						num_text(s.debit), num_text(s.credit), (long long) s.lines),
				 errhint("Every entry needs at least two lines whose debits equal its credits.")));
	return PointerGetDatum(NULL);
}
