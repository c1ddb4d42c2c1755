/*
 * relay_status.c
 *		Shared memory for the relay's status and the SQL functions over it:
 *		pub.relay_status (the view's function), pub.relay_start(),
 *		pub.relay_stop() and pub.relay_restart().
 */
#include "postgres.h"

#include "access/xlog.h"
#include "access/xlogrecovery.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/builtins.h"
#include "utils/pg_lsn.h"

#include "relay/relay_status.h"

RelayStatus *relay_status = NULL;

static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

static const char *const state_names[] = {
	[RELAY_DISABLED] = "disabled",
	[RELAY_STOPPED] = "stopped",
	[RELAY_STARTING] = "starting",
	[RELAY_WAITING_FOR_SLOT] = "waiting_for_slot",
	[RELAY_SNAPSHOT] = "snapshot",
	[RELAY_STREAMING] = "streaming",
	[RELAY_WAITING_FOR_BROKER] = "waiting_for_broker",
	[RELAY_MISCONFIGURED] = "misconfigured",
	[RELAY_FAILED] = "failed",
};

static void
relay_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(MAXALIGN(sizeof(RelayStatus)));
}

static void
relay_shmem_startup(void)
{
	bool		found;

	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	relay_status = ShmemInitStruct("pub_backoffice relay", sizeof(RelayStatus), &found);
	if (!found)
	{
		memset(relay_status, 0, sizeof(RelayStatus));
		SpinLockInit(&relay_status->mutex);
		relay_status->state = RELAY_STARTING;
	}
	LWLockRelease(AddinShmemInitLock);
}

void
relay_status_install_hooks(void)
{
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = relay_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = relay_shmem_startup;
}

void
relay_status_set_state(RelayState state)
{
	RELAY_STATUS_UPDATE(relay_status->state = state);
}

void
relay_status_error(int elevel, const char *fmt,...)
{
	char		msg[RELAY_ERROR_LEN];
	va_list		ap;
	bool		repeated;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	SpinLockAcquire(&relay_status->mutex);
	repeated = strcmp(relay_status->logged_error, msg) == 0;
	strlcpy(relay_status->logged_error, msg, sizeof(relay_status->logged_error));
	strlcpy(relay_status->last_error, msg, sizeof(relay_status->last_error));
	relay_status->last_error_at = GetCurrentTimestamp();
	SpinLockRelease(&relay_status->mutex);

	if (!repeated)
		ereport(elevel, (errmsg("pub_backoffice relay: %s", msg)));
}

void
relay_status_clear_error(void)
{
	/* Keep the text and time for the view; only allow the next log line. */
	RELAY_STATUS_UPDATE(relay_status->logged_error[0] = '\0');
}

static void
require_shmem(void)
{
	if (relay_status == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the pub_backoffice relay is not loaded"),
				 errhint("Add pub_backoffice to shared_preload_libraries and restart the server.")));
}

static void
wake_launcher(void)
{
	Latch	   *latch;

	SpinLockAcquire(&relay_status->mutex);
	latch = relay_status->launcher_latch;
	SpinLockRelease(&relay_status->mutex);
	if (latch)
		SetLatch(latch);
}

PG_FUNCTION_INFO_V1(pub_relay_status);
PG_FUNCTION_INFO_V1(pub_relay_start);
PG_FUNCTION_INFO_V1(pub_relay_stop);
PG_FUNCTION_INFO_V1(pub_relay_restart);

static Datum
lsn_or_null(XLogRecPtr lsn, bool *isnull)
{
	*isnull = XLogRecPtrIsInvalid(lsn);
	return LSNGetDatum(lsn);
}

Datum
pub_relay_status(PG_FUNCTION_ARGS)
{
	RelayStatus s;
	TupleDesc	tupdesc;
	Datum		values[19];
	bool		nulls[19] = {0};
	XLogRecPtr	flush;
	TimestampTz now = GetCurrentTimestamp();
	int			i = 0;

	require_shmem();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	SpinLockAcquire(&relay_status->mutex);
	s = *relay_status;
	SpinLockRelease(&relay_status->mutex);
	flush = RecoveryInProgress() ? GetXLogReplayRecPtr(NULL) : GetFlushRecPtr(NULL);

	values[i++] = CStringGetTextDatum(state_names[s.state]);
	values[i] = Int32GetDatum(s.worker_pid), nulls[i] = s.worker_pid == 0, i++;
	values[i] = CStringGetTextDatum(s.database), nulls[i] = s.database[0] == '\0', i++;
	values[i] = CStringGetTextDatum(s.slot), nulls[i] = s.slot[0] == '\0', i++;
	values[i] = lsn_or_null(s.acked_lsn, &nulls[i]), i++;
	values[i] = Int64GetDatum(flush > s.acked_lsn ? (int64) (flush - s.acked_lsn) : 0);
	nulls[i] = XLogRecPtrIsInvalid(s.acked_lsn), i++;
	values[i++] = Float8GetDatum(s.behind_since == 0 ? 0.0 :
								 (double) (now - s.behind_since) / 1000000.0);
	values[i++] = Int64GetDatum((int64) s.events_sent);
	values[i++] = Int64GetDatum((int64) s.bytes_sent);
	values[i++] = Int64GetDatum((int64) s.batches);
	values[i++] = Int64GetDatum((int64) s.retries);
	values[i++] = Int64GetDatum(s.queue_depth);
	values[i] = Float8GetDatum(s.broker_rtt_ms), nulls[i] = s.broker_rtt_ms < 0, i++;
	values[i] = CStringGetTextDatum(s.last_error), nulls[i] = s.last_error_at == 0, i++;
	values[i] = TimestampTzGetDatum(s.last_error_at), nulls[i] = s.last_error_at == 0, i++;
	values[i] = CStringGetTextDatum(s.snapshot_table), nulls[i] = s.snapshot_table[0] == '\0', i++;
	values[i] = Int64GetDatum(s.snapshot_rows_done), nulls[i] = s.snapshot_table[0] == '\0', i++;
	values[i] = Int64GetDatum(s.snapshot_rows_total), nulls[i] = s.snapshot_table[0] == '\0', i++;
	values[i] = TimestampTzGetDatum(s.started_at), nulls[i] = s.started_at == 0, i++;
	Assert(i == lengthof(values));

	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

static Datum
request(bool stop, bool restart)
{
	require_shmem();
	SpinLockAcquire(&relay_status->mutex);
	relay_status->stop_requested = stop;
	if (restart)
		relay_status->restart_requests++;
	SpinLockRelease(&relay_status->mutex);
	wake_launcher();
	return BoolGetDatum(true);
}

Datum
pub_relay_start(PG_FUNCTION_ARGS)
{
	return request(false, false);
}

Datum
pub_relay_stop(PG_FUNCTION_ARGS)
{
	return request(true, false);
}

Datum
pub_relay_restart(PG_FUNCTION_ARGS)
{
	return request(false, true);
}
