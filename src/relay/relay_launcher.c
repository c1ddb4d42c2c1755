/*
 * relay_launcher.c
 *		relay_init() and the launcher: a static background worker that starts,
 *		supervises and restarts the relay worker.
 *
 * The launcher connects to no database, so it can check that
 * pub_backoffice.database exists before starting a worker there: a missing
 * database is one log line and a state in the view, not a worker dying at
 * connection time over and over.  It also carries out pub.relay_start(),
 * relay_stop() and relay_restart(), and restarts a worker that exited on an
 * error after pub_backoffice.restart_delay.
 */
#include "postgres.h"

#include "access/heapam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/pg_database.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "utils/guc.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"
#include "utils/wait_event.h"

#include "relay/relay.h"
#include "relay/relay_settings.h"
#include "relay/relay_status.h"

#define SUPERVISE_INTERVAL_MS 1000

PGDLLEXPORT void relay_launcher_main(Datum arg);

static BackgroundWorkerHandle *worker = NULL;
static TimestampTz next_start = 0;
static uint32 restarts_seen = 0;
static char *worker_key = NULL;		/* database|slot the worker runs with */

void
relay_init(void)
{
	BackgroundWorker bgw = {0};

	relay_define_settings();
	if (!process_shared_preload_libraries_in_progress)
		return;
	relay_status_install_hooks();

	bgw.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	bgw.bgw_start_time = BgWorkerStart_RecoveryFinished;
	bgw.bgw_restart_time = 5;
	snprintf(bgw.bgw_library_name, BGW_MAXLEN, "pub_backoffice");
	snprintf(bgw.bgw_function_name, BGW_MAXLEN, "relay_launcher_main");
	snprintf(bgw.bgw_name, BGW_MAXLEN, "pub_backoffice relay launcher");
	snprintf(bgw.bgw_type, BGW_MAXLEN, "pub_backoffice relay launcher");
	RegisterBackgroundWorker(&bgw);
}

/*
 * The OID of pub_backoffice.database, or InvalidOid.  A heap scan, as the
 * autovacuum launcher does: without a database, pg_database's indexes and
 * syscache cannot be used.
 */
static Oid
database_oid(void)
{
	Oid			oid = InvalidOid;
	Relation	rel;
	TableScanDesc scan;
	HeapTuple	tup;

	StartTransactionCommand();
	(void) GetTransactionSnapshot();
	rel = table_open(DatabaseRelationId, AccessShareLock);
	scan = table_beginscan_catalog(rel, 0, NULL);
	while ((tup = heap_getnext(scan, ForwardScanDirection)) != NULL)
	{
		Form_pg_database db = (Form_pg_database) GETSTRUCT(tup);

		if (strcmp(NameStr(db->datname), relay_database) == 0)
			oid = db->oid;
	}
	table_endscan(scan);
	table_close(rel, AccessShareLock);
	CommitTransactionCommand();
	return oid;
}

static bool
start_worker(void)
{
	BackgroundWorker bgw = {0};
	Oid			dboid = database_oid();

	if (!OidIsValid(dboid))
	{
		relay_status_error(LOG, "database \"%s\" named in pub_backoffice.database does not exist",
						   relay_database);
		relay_status_set_state(RELAY_MISCONFIGURED);
		return false;
	}
	bgw.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	bgw.bgw_start_time = BgWorkerStart_RecoveryFinished;
	bgw.bgw_restart_time = BGW_NEVER_RESTART;
	bgw.bgw_main_arg = ObjectIdGetDatum(dboid);
	bgw.bgw_notify_pid = MyProcPid;
	snprintf(bgw.bgw_library_name, BGW_MAXLEN, "pub_backoffice");
	snprintf(bgw.bgw_function_name, BGW_MAXLEN, "relay_worker_main");
	snprintf(bgw.bgw_name, BGW_MAXLEN, "pub_backoffice relay");
	snprintf(bgw.bgw_type, BGW_MAXLEN, "pub_backoffice relay");
	if (!RegisterDynamicBackgroundWorker(&bgw, &worker))
	{
		relay_status_error(LOG, "could not start the relay worker: no free background worker slot");
		return false;
	}
	RELAY_STATUS_UPDATE(strlcpy(relay_status->database, relay_database, NAMEDATALEN));
	worker_key = psprintf("%s|%s", relay_database, relay_slot_name);
	return true;
}

/* Forget a worker that exited; schedule its restart if it was not asked to stop. */
static void
reap_worker(bool requested)
{
	pid_t		pid;

	if (worker == NULL || GetBackgroundWorkerPid(worker, &pid) != BGWH_STOPPED)
		return;
	pfree(worker);
	worker = NULL;
	next_start = requested ? 0 :
		TimestampTzPlusMilliseconds(GetCurrentTimestamp(), relay_restart_delay_s * 1000);
	if (!requested)
		RELAY_STATUS_UPDATE(relay_status->state = relay_status->state == RELAY_MISCONFIGURED ?
							RELAY_MISCONFIGURED : RELAY_FAILED);
}

static void
supervise(void)
{
	bool		stop;
	uint32		restarts;
	bool		wanted;
	bool		stale;
	char	   *key = psprintf("%s|%s", relay_database, relay_slot_name);

	SpinLockAcquire(&relay_status->mutex);
	stop = relay_status->stop_requested;
	restarts = relay_status->restart_requests;
	SpinLockRelease(&relay_status->mutex);

	wanted = !stop && relay_brokers[0] != '\0';
	stale = restarts != restarts_seen || (worker_key && strcmp(key, worker_key) != 0);
	restarts_seen = restarts;

	if (worker != NULL && (!wanted || stale))
	{
		TerminateBackgroundWorker(worker);
		(void) WaitForBackgroundWorkerShutdown(worker);
		reap_worker(true);
	}
	reap_worker(false);
	if (worker == NULL && !wanted)
		relay_status_set_state(stop ? RELAY_STOPPED : RELAY_DISABLED);
	if (worker == NULL && wanted && GetCurrentTimestamp() >= next_start)
		(void) start_worker();
}

void
relay_launcher_main(Datum arg)
{
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, SignalHandlerForShutdownRequest);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(NULL, NULL, 0);
	RELAY_STATUS_UPDATE(relay_status->launcher_latch = MyLatch);

	while (!ShutdownRequestPending)
	{
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		supervise();
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 SUPERVISE_INTERVAL_MS, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
	RELAY_STATUS_UPDATE(relay_status->launcher_latch = NULL);
	proc_exit(0);
}
