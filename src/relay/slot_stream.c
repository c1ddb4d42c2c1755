/*
 * slot_stream.c
 *		Create or acquire the relay's slot and decode it in-process.
 *
 * The loop follows pg_logical_slot_get_changes_guts(): read WAL records with
 * XLogReadRecord and hand them to LogicalDecodingProcessRecord, bounded by
 * the flush position so the page reader never waits.  No walsender globals
 * and no open transaction are needed: decoding opens its own per commit.
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "access/xlogutils.h"
#include "miscadmin.h"
#include "replication/decode.h"
#include "replication/logical.h"
#include "replication/slot.h"
#include "replication/snapbuild.h"
#include "storage/proc.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "relay/slot_stream.h"

#define PLUGIN_NAME "pub_backoffice"

static LogicalDecodingContext *ctx = NULL;
static MemoryContext stream_cxt = NULL;
static TimestampTz last_save = 0;
static XLogRecPtr saved_lsn = InvalidXLogRecPtr;

/* The plugin hands records to the relay's sink, never text. */
static void
prepare_write(LogicalDecodingContext *c, XLogRecPtr lsn, TransactionId xid, bool last)
{
	elog(ERROR, "the pub_backoffice decoder wrote text while the relay expected records");
}

static void
do_write(LogicalDecodingContext *c, XLogRecPtr lsn, TransactionId xid, bool last)
{
	elog(ERROR, "the pub_backoffice decoder wrote text while the relay expected records");
}

/*
 * Create the slot.  With export_snapshot, as CREATE_REPLICATION_SLOT ...
 * USE_SNAPSHOT does: the current (repeatable read) transaction imports the
 * snapshot of the slot's consistent point, and the slot stays ephemeral
 * until slot_stream_persist(), so a crash before then drops it and the next
 * start takes the snapshot again.
 */
static void
create_slot(const char *name, bool export_snapshot)
{
	LogicalDecodingContext *init;

	CheckLogicalDecodingRequirements();
	ReplicationSlotCreate(name, true, RS_EPHEMERAL, false);
	init = CreateInitDecodingContext(PLUGIN_NAME, NIL, export_snapshot, InvalidXLogRecPtr,
									 XL_ROUTINE(.page_read = read_local_xlog_page,
												.segment_open = wal_segment_open,
												.segment_close = wal_segment_close),
									 NULL, NULL, NULL);
	DecodingContextFindStartpoint(init);
	if (export_snapshot)
		RestoreTransactionSnapshot(SnapBuildInitialSnapshot(init->snapshot_builder), MyProc);
	FreeDecodingContext(init);
	if (!export_snapshot)
		ReplicationSlotPersist();
	ereport(LOG,
			(errmsg("pub_backoffice relay created logical replication slot \"%s\" at %X/%X",
					name, LSN_FORMAT_ARGS(MyReplicationSlot->data.confirmed_flush))));
}

XLogRecPtr
slot_stream_create_exported(const char *name)
{
	Assert(MyReplicationSlot == NULL && IsTransactionState() &&
		   XactIsoLevel == XACT_REPEATABLE_READ);
	create_slot(name, true);
	return MyReplicationSlot->data.confirmed_flush;
}

void
slot_stream_persist(void)
{
	ReplicationSlot *s = MyReplicationSlot;

	/* The data xmin held back for the exported snapshot is not needed now. */
	SpinLockAcquire(&s->mutex);
	s->effective_xmin = InvalidTransactionId;
	SpinLockRelease(&s->mutex);
	ReplicationSlotsComputeRequiredXmin(false);
	ReplicationSlotPersist();
}

static void
check_slot(const char *name)
{
	ReplicationSlot *s = MyReplicationSlot;

	if (!SlotIsLogical(s) || strcmp(NameStr(s->data.plugin), PLUGIN_NAME) != 0 ||
		s->data.database != MyDatabaseId)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("replication slot \"%s\" does not belong to the relay", name),
				 errdetail("The relay needs a logical slot with plugin \"%s\" in its database.",
						   PLUGIN_NAME),
				 errhint("Drop the slot or set pub_backoffice.slot_name to another name.")));
}

SlotAcquireResult
slot_stream_acquire(const char *name, bool create)
{
	ReplicationSlot *s;
	int			active_pid = 0;

	Assert(MyReplicationSlot == NULL);
	LWLockAcquire(ReplicationSlotControlLock, LW_SHARED);
	s = SearchNamedReplicationSlot(name, false);
	if (s != NULL)
	{
		SpinLockAcquire(&s->mutex);
		active_pid = s->active_pid;
		SpinLockRelease(&s->mutex);
	}
	LWLockRelease(ReplicationSlotControlLock);

	if (s == NULL && !create)
		return SLOT_MISSING;
	if (s == NULL)
	{
		create_slot(name, false);
		return SLOT_CREATED;
	}
	if (active_pid != 0 && active_pid != MyProcPid)
		return SLOT_BUSY;
	ReplicationSlotAcquire(name, true);
	check_slot(name);
	return SLOT_ACQUIRED;
}

void
slot_stream_start(List *options)
{
	MemoryContext old;

	Assert(ctx == NULL && MyReplicationSlot != NULL);
	if (stream_cxt == NULL)
		stream_cxt = AllocSetContextCreate(TopMemoryContext, "pub_backoffice relay decoding",
										   ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(stream_cxt);
	ctx = CreateDecodingContext(InvalidXLogRecPtr, options, false,
								XL_ROUTINE(.page_read = read_local_xlog_page,
										   .segment_open = wal_segment_open,
										   .segment_close = wal_segment_close),
								prepare_write, do_write, NULL);
	MemoryContextSwitchTo(old);
	/* The catalog caches may predate the slot's view of history. */
	InvalidateSystemCaches();
	XLogBeginRead(ctx->reader, MyReplicationSlot->data.restart_lsn);
	saved_lsn = MyReplicationSlot->data.confirmed_flush;
}

void
slot_stream_stop(void)
{
	if (ctx == NULL)
		return;
	FreeDecodingContext(ctx);
	ctx = NULL;
	MemoryContextReset(stream_cxt);
}

bool
slot_stream_read(int max_records, const bool *stop)
{
	XLogRecPtr	end = GetFlushRecPtr(NULL);
	int			n = 0;

	while (ctx->reader->EndRecPtr < end && n < max_records && !*stop)
	{
		char	   *errm = NULL;
		XLogRecord *record = XLogReadRecord(ctx->reader, &errm);

		if (errm)
			elog(ERROR, "could not read WAL for the relay: %s", errm);
		if (record != NULL)
			LogicalDecodingProcessRecord(ctx, ctx->reader);
		n++;
	}
	return ctx->reader->EndRecPtr < end;
}

XLogRecPtr
slot_stream_decoded_upto(void)
{
	return ctx ? ctx->reader->EndRecPtr : InvalidXLogRecPtr;
}

XLogRecPtr
slot_stream_confirmed(void)
{
	XLogRecPtr	lsn;

	SpinLockAcquire(&MyReplicationSlot->mutex);
	lsn = MyReplicationSlot->data.confirmed_flush;
	SpinLockRelease(&MyReplicationSlot->mutex);
	return lsn;
}

void
slot_stream_confirm(XLogRecPtr lsn, int save_interval_ms)
{
	TimestampTz now;

	if (lsn > slot_stream_confirmed())
		LogicalConfirmReceivedLocation(lsn);
	if (slot_stream_confirmed() <= saved_lsn)
		return;
	now = GetCurrentTimestamp();
	if (save_interval_ms > 0 &&
		!TimestampDifferenceExceeds(last_save, now, save_interval_ms))
		return;
	/* LogicalConfirmReceivedLocation writes the slot only when xmin moves. */
	ReplicationSlotMarkDirty();
	ReplicationSlotSave();
	saved_lsn = slot_stream_confirmed();
	last_save = now;
}
