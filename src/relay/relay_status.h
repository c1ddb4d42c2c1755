/*
 * relay_status.h
 *		The relay's state in shared memory: what pub.relay_status shows, and
 *		the requests pub.relay_start()/stop()/restart() leave for the launcher.
 */
#ifndef PUB_RELAY_STATUS_H
#define PUB_RELAY_STATUS_H

#include "access/xlogdefs.h"
#include "storage/latch.h"
#include "storage/spin.h"
#include "utils/timestamp.h"

typedef enum RelayState
{
	RELAY_DISABLED,				/* pub_backoffice.brokers is empty */
	RELAY_STOPPED,				/* pub.relay_stop() */
	RELAY_STARTING,
	RELAY_WAITING_FOR_SLOT,		/* the slot is active in another process */
	RELAY_SNAPSHOT,
	RELAY_STREAMING,
	RELAY_WAITING_FOR_BROKER,
	RELAY_MISCONFIGURED,		/* waits for a reload */
	RELAY_FAILED				/* exited on an error; the launcher restarts it */
} RelayState;

#define RELAY_ERROR_LEN 256

typedef struct RelayStatus
{
	slock_t		mutex;

	/* control: written by SQL functions, read by the launcher */
	bool		stop_requested;
	uint32		restart_requests;
	Latch	   *launcher_latch;

	/* written by the launcher and the worker */
	RelayState	state;
	int			worker_pid;
	TimestampTz started_at;
	char		slot[NAMEDATALEN];
	char		database[NAMEDATALEN];
	XLogRecPtr	acked_lsn;
	TimestampTz behind_since;	/* 0: caught up */
	uint64		events_sent;
	uint64		bytes_sent;
	uint64		batches;
	uint64		retries;
	int64		queue_depth;
	double		broker_rtt_ms;
	char		last_error[RELAY_ERROR_LEN];
	char		logged_error[RELAY_ERROR_LEN];	/* last one written to the log */
	TimestampTz last_error_at;
	char		snapshot_table[2 * NAMEDATALEN + 2];
	int64		snapshot_rows_done;
	int64		snapshot_rows_total;
} RelayStatus;

extern RelayStatus *relay_status;

extern void relay_status_install_hooks(void);
extern void relay_status_set_state(RelayState state);

/*
 * Record an error in the view and log it at `elevel`, unless it is the same
 * message as the last one recorded: a condition that persists is logged
 * once, not on every retry.  The message must not contain secrets.
 */
extern void relay_status_error(int elevel, const char *fmt,...) pg_attribute_printf(2, 3);
/* The condition cleared: its next occurrence is logged again. */
extern void relay_status_clear_error(void);

#define RELAY_STATUS_UPDATE(stmt) \
	do { \
		SpinLockAcquire(&relay_status->mutex); \
		stmt; \
		SpinLockRelease(&relay_status->mutex); \
	} while (0)

#endif							/* PUB_RELAY_STATUS_H */
