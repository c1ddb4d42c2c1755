/*
 * relay_snapshot.c
 *		The initial snapshot's reads: which tables, in which order, and the
 *		progress shown in pub.relay_status.
 *
 * Runs inside the transaction that imported the slot's snapshot, so the
 * catalog and the rows are seen exactly as of the slot's consistent point:
 * what committed before it is read here, what commits after it is decoded.
 */
#include "postgres.h"

#include "access/table.h"
#include "access/tableam.h"
#include "catalog/pg_class.h"
#include "executor/spi.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "relay/relay_snapshot.h"
#include "relay/relay_status.h"

/* Ordinary tables outside the system schemas, in name order. */
#define TABLES_QUERY \
	"SELECT c.oid FROM pg_catalog.pg_class c " \
	"JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace " \
	"WHERE c.relkind = " CppAsString2(RELKIND_RELATION) " " \
	"AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' " \
	"ORDER BY n.nspname, c.relname"

static List *
all_tables(void)
{
	List	   *oids = NIL;
	MemoryContext caller = CurrentMemoryContext;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute(TABLES_QUERY, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not list the tables for the initial snapshot");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull);

		MemoryContext spi = MemoryContextSwitchTo(caller);	/* outlive SPI_finish */

		oids = lappend_oid(oids, DatumGetObjectId(d));
		MemoryContextSwitchTo(spi);
	}
	SPI_finish();
	return oids;
}

/* The captured tables, and the planner's estimate of their rows. */
static List *
captured_tables(DecoderSnapshot *snap, int64 *rows)
{
	List	   *captured = NIL;
	ListCell   *lc;

	*rows = 0;
	foreach(lc, all_tables())
	{
		Relation	rel = table_open(lfirst_oid(lc), AccessShareLock);
		BlockNumber pages;
		double		tuples;
		double		allvisfrac;

		if (decoder_snapshot_includes(snap, rel))
		{
			captured = lappend_oid(captured, RelationGetRelid(rel));
			table_relation_estimate_size(rel, NULL, &pages, &tuples, &allvisfrac);
			*rows += (int64) tuples;
		}
		table_close(rel, AccessShareLock);
	}
	return captured;
}

void
relay_snapshot_tables(List *options, XLogRecPtr lsn, DecoderRecordSink sink, void *sink_arg)
{
	DecoderSnapshot *snap;
	List	   *tables;
	int64		rows;
	bool		first_row = true;
	ListCell   *lc;

	PushActiveSnapshot(GetTransactionSnapshot());
	/* source.txId: the snapshot's horizon, as no transaction id is taken */
	snap = decoder_snapshot_begin(options, GetActiveSnapshot()->xmin, lsn, sink, sink_arg);
	tables = captured_tables(snap, &rows);
	RELAY_STATUS_UPDATE((relay_status->snapshot_rows_total = rows,
						 relay_status->snapshot_rows_done = 0));
	foreach(lc, tables)
	{
		Oid			relid = lfirst_oid(lc);
		char	   *name = psprintf("%s.%s", get_namespace_name(get_rel_namespace(relid)),
									get_rel_name(relid));

		RELAY_STATUS_UPDATE(strlcpy(relay_status->snapshot_table, name,
									sizeof(relay_status->snapshot_table)));
		decoder_snapshot_table(snap, relid, &first_row, lnext(tables, lc) == NULL);
		pfree(name);
	}
	decoder_snapshot_end(snap);
	PopActiveSnapshot();
}
