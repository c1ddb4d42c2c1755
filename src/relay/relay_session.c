/*
 * relay_session.c
 *		The record sink the decoder calls, and the unit of work around it.
 *
 * The decoder hands each Kafka record to relay_sink() while it replays a
 * commit; the sink produces it, tagged with its transaction's sequence
 * number.  After each unit of work the session confirms the slot up to the
 * last transaction Kafka acknowledged completely (AckTracker), so a crash at
 * any point re-sends from there and loses nothing.  Any failed delivery or
 * fatal producer error "rewinds": the producer and decoding context are
 * rebuilt and decoding resumes at the slot's confirmed position.
 */
#include "postgres.h"

#include "access/xact.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "postmaster/interrupt.h"
#include "replication/slot.h"
#include "storage/condition_variable.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/latch.h"
#include "storage/pmsignal.h"
#include "utils/wait_event.h"

#include "decoder/decoder.h"
#include "relay/ack_tracker.h"
#include "relay/lag_monitor.h"
#include "relay/offsets_topic.h"
#include "relay/outbox_router.h"
#include "relay/producer.h"
#include "relay/relay_session.h"
#include "relay/relay_settings.h"
#include "relay/relay_snapshot.h"
#include "relay/relay_status.h"
#include "relay/slot_stream.h"

/* WAL records decoded per unit of work at most, so SIGHUP etc. stay prompt. */
#define MAX_RECORDS_PER_STEP 100000
/*
 * Closing waits for acknowledgements while Kafka gives them, but a fast
 * shutdown must not wait on a broker that stopped answering.
 */
#define SHUTDOWN_FLUSH_MS 10000
#define SHUTDOWN_STALL_MS 2000
#define SHUTDOWN_ABORT_MS 2000
#define MAX_BACKOFF_MS 30000
#define KAFKA_TXN_TIMEOUT_MS 60000

typedef struct RelaySession
{
	AckTracker	tracker;
	bool		decoding;		/* producer and decoding context are up */
	bool		abandon;		/* stop producing: rewind or shut down */
	bool		yield;			/* end this unit of work at the next record */
	uint64		step_events;
	int			backoff_ms;
	/* exactly_once */
	bool		exactly_once;
	bool		in_kafka_txn;	/* a Kafka transaction is open */
	XLogRecPtr	skip_upto;		/* Kafka already has transactions ending here */
	XLogRecPtr	last_end_lsn;	/* of the last transaction produced */
	TimestampTz last_heartbeat;
	bool		snapshot_pending;	/* no slot yet: create it with a snapshot */
	SessionStatus status;		/* of the last attempt to open */
} RelaySession;

static RelaySession session;

static List *
decoder_options(void)
{
	List	   *options = NIL;
	char	   *bad;

	if (!relay_parse_pairs(relay_decoder_options, &options, &bad))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pub_backoffice.decoder_options: %s is not key=value", bad)));
	options = lappend(options, makeDefElem("topic.prefix",
										   (Node *) makeString(relay_topic_prefix), -1));
	if (relay_table_include_list[0] != '\0')
		options = lappend(options, makeDefElem("table.include.list",
											   (Node *) makeString(relay_table_include_list), -1));
	return options;
}

/* Confirm the slot as far as Kafka's acknowledgements allow. */
static void
confirm_acked(bool at_record_boundary, int save_interval_ms)
{
	XLogRecPtr	lsn = ack_tracker_pop_acked(&session.tracker);

	/*
	 * With nothing in flight between WAL records, every commit decoded so far
	 * is in Kafka: the slot can move past WAL that produced no events (other
	 * databases, excluded tables), which keeps an idle slot from pinning WAL.
	 */
	if (at_record_boundary && ack_tracker_idle(&session.tracker) && !session.abandon)
		lsn = Max(lsn, slot_stream_decoded_upto());
	if (!XLogRecPtrIsInvalid(lsn))
		slot_stream_confirm(lsn, save_interval_ms);
}

static void
check_producer(void)
{
	char		err[256];

	if (session.tracker.failed || producer_failed(err, sizeof(err)))
		session.abandon = session.yield = true;
}

/* The producer's queue is full: serve reports until there is room. */
static void
wait_for_room(void)
{
	producer_poll(100);
	/*
	 * In exactly_once mode an acknowledged event may still belong to a Kafka
	 * transaction that aborts: the slot moves only after the commit.
	 */
	if (!session.exactly_once)
		confirm_acked(false, relay_slot_save_interval_ms);
	check_producer();
	if (ShutdownRequestPending)
		session.abandon = session.yield = true;
	if (!PostmasterIsAlive())
		proc_exit(1);
}

static bool
begin_kafka_txn(void)
{
	char		err[256];

	if (!producer_begin_transaction(err, sizeof(err)))
	{
		relay_status_error(LOG, "%s", err);
		session.abandon = session.yield = true;
		return false;
	}
	session.in_kafka_txn = true;
	return true;
}

/*
 * Commit the open Kafka transaction with end_lsn in the offsets topic,
 * atomically; on failure, rewind.
 */
static bool
commit_kafka_txn_at(XLogRecPtr end_lsn)
{
	char		err[256] = "the offsets record could not be produced";

	if (!session.in_kafka_txn)
		return false;
	session.in_kafka_txn = false;
	if (!offsets_topic_write(end_lsn) ||
		!producer_commit_transaction(KAFKA_TXN_TIMEOUT_MS, err, sizeof(err)))
	{
		relay_status_error(LOG, "could not commit the Kafka transaction ending at %X/%X: %s",
						   LSN_FORMAT_ARGS(end_lsn), err);
		session.abandon = session.yield = true;
		return false;
	}
	producer_poll(0);
	return true;
}

/* Close the unit of work: its events and its last transaction's end LSN. */
static void
commit_kafka_txn(void)
{
	if (commit_kafka_txn_at(session.last_end_lsn))
		RELAY_STATUS_UPDATE(relay_status->batches++);
}

static void produce(const char *topic, int topic_len, const char *key, int key_len,
					const char *value, int value_len, const char *id_header);
static void route_outbox(const DecoderRecord *r);
static void stop_decoding(void);

static void
relay_sink(LogicalDecodingContext *ctx, const DecoderRecord *r, void *arg)
{
	if (ShutdownRequestPending)
		session.abandon = session.yield = true;		/* a big transaction can take long */
	if (session.abandon)
		return;
	if (r->kind == DECODER_RECORD_TXN_END)
	{
		ack_tracker_end_txn(&session.tracker, r->end_lsn);
		session.last_end_lsn = r->end_lsn;
		return;
	}
	if (session.exactly_once)
	{
		if (r->end_lsn <= session.skip_upto)
			return;				/* committed in Kafka before a restart */
		if (!session.in_kafka_txn && !begin_kafka_txn())
			return;
	}
	if (outbox_router_matches(r))
	{
		route_outbox(r);
		return;
	}
	produce(r->topic, r->topic_len, r->key, r->key_len, r->value, r->value_len, NULL);
}

/* An outbox insert goes out routed; other outbox changes are dropped. */
static void
route_outbox(const DecoderRecord *r)
{
	OutboxEvent ev;

	if (!outbox_router_route(r, &ev))
		return;
	produce(ev.topic, strlen(ev.topic), ev.key, strlen(ev.key),
			ev.value, ev.value ? strlen(ev.value) : 0, ev.id);
	pfree(ev.topic);
	pfree(ev.key);
	if (ev.value)
		pfree(ev.value);
	if (ev.id)
		pfree(ev.id);
}

/* Produce one event of the current transaction, waiting for queue room. */
static void
produce(const char *topic, int topic_len, const char *key, int key_len,
		const char *value, int value_len, const char *id_header)
{
	uint64		seq = ack_tracker_add_event(&session.tracker);

	for (;;)
	{
		switch (producer_send(topic, topic_len, key, key_len,
							  value, value_len, id_header, seq))
		{
			case PRODUCE_OK:
				if (++session.step_events >= (uint64) relay_batch_max_events)
					session.yield = true;
				return;
			case PRODUCE_FAILED:
				session.abandon = session.yield = true;
				return;
			case PRODUCE_QUEUE_FULL:
				wait_for_room();
				if (session.abandon)
					return;
				break;
		}
	}
}

/* Producer and decoding context, from the slot's confirmed position. */
/*
 * exactly_once: a transactional producer, the offsets topic, and the end LSN
 * up to which Kafka already holds our transactions.
 */
static SessionStatus
start_transactions(void)
{
	char		err[256];
	bool		unsupported;

	if (!producer_init_transactions(KAFKA_TXN_TIMEOUT_MS, &unsupported, err, sizeof(err)))
	{
		producer_close();
		if (unsupported)
		{
			relay_status_error(LOG, "exactly_once needs Kafka transactions, which the brokers refused (%s); "
							   "set pub_backoffice.delivery_mode to at_least_once or upgrade the brokers",
							   err);
			relay_status_set_state(RELAY_MISCONFIGURED);
			return SESSION_MISCONFIGURED;
		}
		relay_status_error(LOG, "%s", err);
		relay_status_set_state(RELAY_WAITING_FOR_BROKER);
		return SESSION_RETRY;
	}
	if (!offsets_topic_ensure(err, sizeof(err)) ||
		!offsets_topic_read(&session.skip_upto, err, sizeof(err)))
	{
		producer_close();
		relay_status_error(LOG, "%s", err);
		relay_status_set_state(RELAY_WAITING_FOR_BROKER);
		return SESSION_RETRY;
	}
	if (!XLogRecPtrIsInvalid(session.skip_upto))
		ereport(LOG,
				(errmsg("pub_backoffice relay: Kafka holds transactions up to %X/%X; skipping them",
						LSN_FORMAT_ARGS(session.skip_upto))));
	return SESSION_OPEN;
}

/* A snapshot row: produced like a change, and counted in the view. */
static void
snapshot_sink(LogicalDecodingContext *ctx, const DecoderRecord *r, void *arg)
{
	if (ShutdownRequestPending)
		session.abandon = true;
	relay_sink(ctx, r, arg);
	RELAY_STATUS_UPDATE(relay_status->snapshot_rows_done++);
}

/* Every snapshot row acknowledged (in exactly_once: committed in Kafka). */
static bool
await_snapshot_acks(XLogRecPtr lsn)
{
	if (session.abandon)
		return false;
	relay_sink(NULL, &(DecoderRecord) {.kind = DECODER_RECORD_TXN_END, .end_lsn = lsn}, NULL);
	if (session.exactly_once)
		commit_kafka_txn();
	while (!session.abandon && session.tracker.in_flight > 0)
		wait_for_room();
	check_producer();
	return !session.abandon;
}

/*
 * The initial snapshot: create the slot with an exported snapshot, send the
 * captured tables' rows as op r and wait for Kafka to acknowledge them all;
 * only then make the slot permanent.  Streaming then starts at the slot's
 * consistent point, which is exactly the snapshot's: no gap, no overlap.  If
 * anything fails first, the ephemeral slot is dropped and the next attempt
 * takes the whole snapshot again.
 */
static SessionStatus
take_snapshot(void)
{
	XLogRecPtr	lsn;

	relay_status_set_state(RELAY_SNAPSHOT);
	StartTransactionCommand();
	XactIsoLevel = XACT_REPEATABLE_READ;
	lsn = slot_stream_create_exported(relay_slot_name);
	session.last_end_lsn = lsn;
	relay_snapshot_tables(decoder_options(), lsn, snapshot_sink, &session);
	if (!await_snapshot_acks(lsn))
	{
		AbortCurrentTransaction();
		ReplicationSlotRelease();
		stop_decoding();
		relay_status_error(LOG, "the initial snapshot was not completely acknowledged by Kafka; "
						   "it will be taken again");
		relay_status_set_state(RELAY_WAITING_FOR_BROKER);
		return SESSION_RETRY;
	}
	slot_stream_persist();
	CommitTransactionCommand();
	ack_tracker_reset(&session.tracker);
	session.snapshot_pending = false;
	ereport(LOG,
			(errmsg("pub_backoffice relay sent the initial snapshot; streaming from %X/%X",
					LSN_FORMAT_ARGS(lsn))));
	return SESSION_OPEN;
}

static SessionStatus
start_decoding(void)
{
	char		err[256];
	char	   *txn_id = NULL;

	session.exactly_once = relay_delivery_mode == RELAY_EXACTLY_ONCE;
	session.in_kafka_txn = false;
	session.skip_upto = InvalidXLogRecPtr;
	if (session.exactly_once)
		txn_id = psprintf("pub_backoffice-%s", relay_slot_name);
	if (!producer_open(&session.tracker, txn_id, err, sizeof(err)))
	{
		relay_status_error(LOG, "%s", err);
		relay_status_set_state(RELAY_MISCONFIGURED);
		return SESSION_MISCONFIGURED;
	}
	if (session.exactly_once)
	{
		SessionStatus s = start_transactions();

		if (s != SESSION_OPEN)
			return s;
	}
	outbox_router_configure();
	decoder_record_sink = relay_sink;
	decoder_record_sink_arg = &session;
	session.abandon = session.yield = false;
	if (session.snapshot_pending)
	{
		SessionStatus s = take_snapshot();

		if (s != SESSION_OPEN)
			return s;
	}
	slot_stream_start(decoder_options());
	session.decoding = true;
	session.abandon = session.yield = false;
	relay_status_set_state(RELAY_STREAMING);
	return SESSION_OPEN;
}

static void
stop_decoding(void)
{
	slot_stream_stop();
	producer_close();
	ack_tracker_reset(&session.tracker);
	session.decoding = false;
}

/*
 * Run fn; an error becomes a recorded, logged-once misconfiguration instead
 * of a worker exit, so a bad setting cannot make the worker crash-loop.
 */
static bool
run_guarded(void (*fn) (void *), void *arg)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool ok = true;

	PG_TRY();
	{
		fn(arg);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		AbortOutOfAnyTransaction();
		LWLockReleaseAll();
		ConditionVariableCancelSleep();
		if (MyReplicationSlot != NULL)
			ReplicationSlotRelease();
		relay_status_error(LOG, "%s", edata->message);
		relay_status_set_state(RELAY_MISCONFIGURED);
		FreeErrorData(edata);
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

static void
acquire(void *arg)
{
	*(SlotAcquireResult *) arg =
		slot_stream_acquire(relay_slot_name, relay_snapshot_mode == RELAY_SNAPSHOT_NEVER);
}

static void
start(void *arg)
{
	*(SessionStatus *) arg = start_decoding();
}

static SessionStatus open_session(void);

SessionStatus
relay_session_open(void)
{
	session.status = open_session();
	return session.status;
}

static SessionStatus
open_session(void)
{
	SlotAcquireResult slot = SLOT_BUSY;
	SessionStatus status = SESSION_MISCONFIGURED;

	if (session.tracker.ring == NULL)
		ack_tracker_init(&session.tracker);
	RELAY_STATUS_UPDATE(strlcpy(relay_status->slot, relay_slot_name, NAMEDATALEN));
	if (MyReplicationSlot == NULL)
	{
		if (!run_guarded(acquire, &slot))
			return SESSION_MISCONFIGURED;
		if (slot == SLOT_BUSY)
		{
			relay_status_error(LOG, "replication slot \"%s\" is active in another process; waiting",
							   relay_slot_name);
			relay_status_set_state(RELAY_WAITING_FOR_SLOT);
			return SESSION_RETRY;
		}
		session.snapshot_pending = slot == SLOT_MISSING;
	}
	if (!run_guarded(start, &status))
	{
		if (producer_is_open())
			producer_close();
		return SESSION_MISCONFIGURED;
	}
	return status;
}

static void
rewind_to_slot(void)
{
	char		err[256] = "delivery failed";
	bool		unsupported = producer_unsupported();

	producer_failed(err, sizeof(err));
	stop_decoding();
	if (unsupported)
	{
		/* Not a fault to retry: wait for new settings (or a reload). */
		relay_status_error(LOG, "%s; the relay needs an idempotent producer and waits for a "
						   "configuration reload", err);
		relay_status_set_state(RELAY_MISCONFIGURED);
		session.status = SESSION_MISCONFIGURED;
		return;
	}
	RELAY_STATUS_UPDATE(relay_status->retries++);
	relay_status_error(LOG, "%s; resuming from the slot's confirmed position %X/%X",
					   err, LSN_FORMAT_ARGS(slot_stream_confirmed()));
	/* Back off while the cause persists, e.g. a topic the broker rejects. */
	(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
					 session.backoff_ms, PG_WAIT_EXTENSION);
	ResetLatch(MyLatch);
	session.backoff_ms = Min(Max(session.backoff_ms * 2, 100), MAX_BACKOFF_MS);
	if (ShutdownRequestPending)
	{
		session.status = SESSION_RETRY;
		return;
	}
	(void) relay_session_open();
}

/*
 * In exactly_once a heartbeat is a Kafka transaction of its own (a
 * transactional producer cannot write outside one), sent only when every
 * decoded transaction is committed in Kafka: its offsets record can then say
 * that Kafka holds everything up to the decoded position, never less than a
 * record before it (skip_upto).
 */
static void
heartbeat(void)
{
	TimestampTz now;
	char		topic[NAMEDATALEN * 2];
	char		key[NAMEDATALEN * 2];
	char		value[64];

	if (relay_heartbeat_interval_ms <= 0 || ShutdownRequestPending)
		return;
	if (session.exactly_once && (session.abandon || !ack_tracker_idle(&session.tracker)))
		return;
	now = GetCurrentTimestamp();
	if (!TimestampDifferenceExceeds(session.last_heartbeat, now, relay_heartbeat_interval_ms))
		return;
	session.last_heartbeat = now;
	snprintf(topic, sizeof(topic), "__debezium-heartbeat.%s", relay_topic_prefix);
	snprintf(key, sizeof(key), "{\"serverName\":\"%s\"}", relay_topic_prefix);
	snprintf(value, sizeof(value), "{\"ts_ms\":" INT64_FORMAT "}",
			 (int64) (now / 1000 + (int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY * 1000));
	if (session.exactly_once && !begin_kafka_txn())
		return;
	(void) producer_send(topic, strlen(topic), key, strlen(key), value, strlen(value),
						 NULL, ACK_UNTRACKED);
	if (session.exactly_once)
		(void) commit_kafka_txn_at(Max(session.skip_upto, slot_stream_decoded_upto()));
}

bool
relay_session_step(void)
{
	bool		more;

	if (!session.decoding)
		return false;
	if (relay_status->inject_fatal_error)
	{
		RELAY_STATUS_UPDATE(relay_status->inject_fatal_error = false);
		producer_inject_fatal_error();
	}
	producer_poll(0);
	check_producer();
	if (session.abandon)
	{
		rewind_to_slot();
		return true;
	}
	session.step_events = 0;
	session.yield = false;
	more = slot_stream_read(MAX_RECORDS_PER_STEP, &session.yield);
	producer_poll(0);
	if (session.abandon)
		return !ShutdownRequestPending;
	if (session.exactly_once)
	{
		commit_kafka_txn();
		if (session.abandon)
			return true;		/* aborted: rewind without confirming */
	}
	else if (session.step_events > 0)
		RELAY_STATUS_UPDATE(relay_status->batches++);
	if (producer_acked_recently())
	{
		session.backoff_ms = 0;
		relay_status_clear_error();
		relay_status_set_state(RELAY_STREAMING);
	}
	confirm_acked(true, relay_slot_save_interval_ms);
	heartbeat();
	lag_monitor_update(slot_stream_confirmed());
	return more || session.yield;
}

SessionStatus
relay_session_status(void)
{
	return session.decoding ? SESSION_OPEN : session.status;
}

void
relay_session_close(void)
{
	if (!session.decoding)
		return;
	session.abandon = true;
	if (session.in_kafka_txn)
	{
		/*
		 * Stopped inside a unit of work: Kafka must not keep half of it.  An
		 * abort that times out is finished by the next producer with our
		 * transactional.id, which fences this one.
		 */
		producer_abort_transaction(SHUTDOWN_ABORT_MS);
		session.in_kafka_txn = false;
	}
	/* In exactly_once only commits move the slot: acknowledgements don't. */
	if (!session.exactly_once && !producer_flush(SHUTDOWN_FLUSH_MS, SHUTDOWN_STALL_MS))
		ereport(LOG,
				(errmsg("pub_backoffice relay stopped with events unacknowledged by Kafka"),
				 errdetail("They will be sent again from the slot's confirmed position.")));
	producer_poll(0);
	session.abandon = false;
	if (session.exactly_once)
		slot_stream_confirm(slot_stream_confirmed(), 0);	/* save what commits confirmed */
	else
		confirm_acked(false, 0);
	stop_decoding();
}
