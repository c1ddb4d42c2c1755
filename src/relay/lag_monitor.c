/*
 * lag_monitor.c
 *		Lag in seconds is the age of the oldest WAL position that was flushed
 *		but is not yet acknowledged by Kafka.  The monitor samples the flush
 *		position with its time (at most every SAMPLE_MS) into a queue and drops
 *		the samples the slot has passed; the head's time is the answer.  The
 *		queue is bounded: when full, sampling pauses, which can only make the
 *		reported lag smaller by the pause, never hide it.
 */
#include "postgres.h"

#include "access/xlog.h"
#include "utils/timestamp.h"

#include "relay/lag_monitor.h"
#include "relay/relay_settings.h"
#include "relay/relay_status.h"

#define SAMPLE_MS 100
#define MAX_SAMPLES 4096
#define WARNING_EVERY_MS 60000

typedef struct FlushSample
{
	XLogRecPtr	lsn;
	TimestampTz at;
} FlushSample;

static FlushSample samples[MAX_SAMPLES];
static int	head = 0;
static int	count = 0;
static TimestampTz last_warning = 0;

static void
sample(XLogRecPtr flush, TimestampTz now)
{
	FlushSample *last = count ? &samples[(head + count - 1) % MAX_SAMPLES] : NULL;

	if (count == MAX_SAMPLES || (last && last->lsn >= flush))
		return;
	if (last && !TimestampDifferenceExceeds(last->at, now, SAMPLE_MS))
		return;
	samples[(head + count) % MAX_SAMPLES] = (FlushSample) {flush, now};
	count++;
}

static void
warn(XLogRecPtr flush, XLogRecPtr confirmed, TimestampTz behind_since, TimestampTz now)
{
	uint64		lag_kb = (flush - confirmed) / 1024;
	long		age_s = behind_since ? (long) ((now - behind_since) / USECS_PER_SEC) : 0;
	bool		over_size = relay_lag_warning_kb > 0 && lag_kb > (uint64) relay_lag_warning_kb;
	bool		over_age = relay_lag_warning_s > 0 && age_s > relay_lag_warning_s;

	if (!(over_size || over_age) ||
		!TimestampDifferenceExceeds(last_warning, now, WARNING_EVERY_MS))
		return;
	last_warning = now;
	ereport(WARNING,
			(errmsg("pub_backoffice relay is " UINT64_FORMAT " kB and %ld s behind the WAL",
					lag_kb, age_s),
			 errdetail("The slot retains WAL until Kafka acknowledges it."),
			 errhint("Check the brokers and pub.relay_status; max_slot_wal_keep_size bounds the WAL a slot may retain.")));
}

void
lag_monitor_update(XLogRecPtr confirmed)
{
	XLogRecPtr	flush = GetFlushRecPtr(NULL);
	TimestampTz now = GetCurrentTimestamp();
	TimestampTz behind_since;

	if (flush > confirmed)
		sample(flush, now);
	while (count > 0 && samples[head].lsn <= confirmed)
	{
		head = (head + 1) % MAX_SAMPLES;
		count--;
	}
	behind_since = count ? samples[head].at : 0;
	RELAY_STATUS_UPDATE((relay_status->acked_lsn = confirmed,
						 relay_status->behind_since = behind_since));
	warn(flush, confirmed, behind_since, now);
}
