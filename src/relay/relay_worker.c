/*
 * relay_worker.c
 *		The relay worker's main loop.
 *
 * Started by the launcher (relay_launcher.c) for the database named in
 * pub_backoffice.database.  The loop is short: wait on the latch unless work
 * is waiting, reload settings on SIGHUP, flush and exit on SIGTERM, do one
 * bounded unit of work.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "utils/guc.h"
#include "utils/resowner.h"
#include "utils/wait_event.h"

#include "relay/relay_session.h"
#include "relay/relay_settings.h"
#include "relay/relay_status.h"

#define RETRY_MS 1000

PGDLLEXPORT void relay_worker_main(Datum arg);

/* Settings that need a new producer or decoding context when they change. */
static char *
session_settings(void)
{
	return psprintf("%s|%s|%s|%s|%s|%s|%s|%s|%d|%d|%d",
					relay_brokers, relay_topic_prefix, relay_table_include_list, relay_outbox_table,
					relay_decoder_options, relay_kafka_properties,
					relay_kafka_secret_properties, relay_compression,
					relay_delivery_mode, relay_queue_max_messages, relay_queue_max_kbytes);
}

static void
worker_exit(int code, Datum arg)
{
	RELAY_STATUS_UPDATE((relay_status->worker_pid = 0,
						 relay_status->queue_depth = 0));
}

void
relay_worker_main(Datum arg)
{
	char	   *settings;
	SessionStatus status = SESSION_MISCONFIGURED;
	long		timeout;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, SignalHandlerForShutdownRequest);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnectionByOid(DatumGetObjectId(arg), InvalidOid, 0);
	CurrentResourceOwner = ResourceOwnerCreate(NULL, "pub_backoffice relay");
	before_shmem_exit(worker_exit, 0);
	RELAY_STATUS_UPDATE((relay_status->worker_pid = MyProcPid,
						 relay_status->started_at = GetCurrentTimestamp(),
						 relay_status->state = RELAY_STARTING));
	ereport(LOG, (errmsg("pub_backoffice relay started for database \"%s\", slot \"%s\"",
						 relay_database, relay_slot_name)));

	settings = session_settings();
	status = relay_session_open();
	for (;;)
	{
		bool		more = false;

		if (status == SESSION_OPEN)
		{
			more = relay_session_step();
			status = relay_session_status();
		}
		if (ShutdownRequestPending)
			break;
		if (!more)
		{
			timeout = status == SESSION_OPEN ? relay_poll_interval_ms :
				status == SESSION_RETRY ? RETRY_MS : -1;
			(void) WaitLatch(MyLatch,
							 WL_LATCH_SET | WL_EXIT_ON_PM_DEATH | (timeout >= 0 ? WL_TIMEOUT : 0),
							 timeout, PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
		}
		CHECK_FOR_INTERRUPTS();
		if (ShutdownRequestPending)
			break;
		if (ConfigReloadPending)
		{
			char	   *now;

			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			now = session_settings();
			if (strcmp(now, settings) != 0 && status == SESSION_OPEN)
				relay_session_close();	/* reopened below with the new settings */
			if (strcmp(now, settings) != 0 || status != SESSION_OPEN)
				status = SESSION_RETRY;		/* i.e. try to open now */
			settings = now;
		}
		if (status == SESSION_RETRY)
			status = relay_session_open();
	}
	relay_session_close();
	ereport(LOG, (errmsg("pub_backoffice relay stopped")));
	proc_exit(0);
}
