/*
 * producer.c
 *		librdkafka producer: configuration from the settings, produce,
 *		delivery reports, statistics and errors.
 *
 * All callbacks run inside rd_kafka_poll() on the worker's own thread (the
 * log is routed to the main queue too), and never raise a PostgreSQL error:
 * they record what happened, and producer_poll() reports it afterwards.
 */
#include "postgres.h"

#include <librdkafka/rdkafka.h>
#include <json-c/json.h>

#include "nodes/parsenodes.h"
#include "nodes/value.h"
#include "utils/timestamp.h"

#include "relay/kafka_wait.h"
#include "relay/producer.h"
#include "relay/relay_settings.h"
#include "relay/relay_status.h"
#include "relay/topic_handles.h"

static rd_kafka_t *rk = NULL;
static AckTracker *tracker = NULL;
static bool acked_recently = false;
static char delivery_error[256];
static char broker_error[256];
static bool broker_error_pending = false;
static bool brokers_down = false;
/* Delivery reports served, failed ones too: how a flush sees progress. */
static uint64 delivery_reports = 0;

/* Acknowledged since the last publish_counts(): the view is updated per poll. */
static uint64 acked_events = 0;
static uint64 acked_bytes = 0;

/* Properties the relay's guarantees depend on: not overridable. */
static const char *const fixed_properties[] = {
	"enable.idempotence", "acks", "request.required.acks",
	"transactional.id", "partitioner", "log.queue", NULL
};

static void
on_delivery(rd_kafka_t *k, const rd_kafka_message_t *msg, void *opaque)
{
	uint64		seq = (uint64) (uintptr_t) msg->_private;

	delivery_reports++;
	if (tracker == NULL)
		return;					/* purged while closing: no longer matters */
	if (msg->err)
	{
		if (delivery_error[0] == '\0')
			snprintf(delivery_error, sizeof(delivery_error),
					 "delivery to topic \"%s\" failed: %s",
					 rd_kafka_topic_name(msg->rkt), rd_kafka_err2str(msg->err));
		ack_tracker_delivered(tracker, seq, false);
		return;
	}
	acked_recently = true;
	brokers_down = false;
	ack_tracker_delivered(tracker, seq, true);
	if (seq != ACK_UNTRACKED)
	{
		acked_events++;
		acked_bytes += msg->len + msg->key_len;
	}
}

/* Add the acknowledgements served by the last poll to the view's counters. */
static void
publish_counts(void)
{
	if (acked_events == 0)
		return;
	RELAY_STATUS_UPDATE((relay_status->events_sent += acked_events,
						 relay_status->bytes_sent += acked_bytes));
	acked_events = acked_bytes = 0;
}

static void
on_error(rd_kafka_t *k, int err, const char *reason, void *opaque)
{
	if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)
		brokers_down = true;
	snprintf(broker_error, sizeof(broker_error), "Kafka: %s", reason);
	broker_error_pending = true;
}

static void
on_log(const rd_kafka_t *k, int level, const char *fac, const char *buf)
{
	elog(DEBUG1, "librdkafka %s: %s", fac, buf);
}

/* Queue depth and the mean round-trip time of the brokers that are up. */
static int
on_stats(rd_kafka_t *k, char *json, size_t len, void *opaque)
{
	struct json_object *root = json_tokener_parse(json);
	struct json_object *v;
	double		rtt_sum = 0;
	int			rtt_n = 0;
	int64		depth = -1;

	if (root == NULL)
		return 0;
	if (json_object_object_get_ex(root, "msg_cnt", &v))
		depth = json_object_get_int64(v);
	if (json_object_object_get_ex(root, "brokers", &v))
	{
		json_object_object_foreach(v, name, broker)
		{
			struct json_object *state, *rtt, *avg;

			(void) name;
			if (json_object_object_get_ex(broker, "state", &state) &&
				strcmp(json_object_get_string(state), "UP") == 0 &&
				json_object_object_get_ex(broker, "rtt", &rtt) &&
				json_object_object_get_ex(rtt, "avg", &avg) &&
				json_object_get_int64(avg) > 0)
			{
				rtt_sum += json_object_get_int64(avg) / 1000.0;
				rtt_n++;
			}
		}
	}
	json_object_put(root);
	RELAY_STATUS_UPDATE((relay_status->queue_depth = depth,
						 relay_status->broker_rtt_ms = rtt_n ? rtt_sum / rtt_n : -1));
	return 0;
}

static bool
is_fixed(const char *name)
{
	for (int i = 0; fixed_properties[i]; i++)
		if (strcmp(name, fixed_properties[i]) == 0)
			return true;
	return false;
}

/* Set one property; a secret's value never reaches the message. */
static bool
set_property(rd_kafka_conf_t *conf, const char *name, const char *value,
			 bool secret, char *err, size_t errlen)
{
	char		why[512];

	switch (rd_kafka_conf_set(conf, name, value, why, sizeof(why)))
	{
		case RD_KAFKA_CONF_OK:
			return true;
		case RD_KAFKA_CONF_UNKNOWN:
			snprintf(err, errlen, "unknown Kafka property \"%s\"", name);
			return false;
		default:
			if (secret)
				snprintf(err, errlen, "invalid value for Kafka property \"%s\"", name);
			else
				snprintf(err, errlen, "%s", why);
			return false;
	}
}

static bool
set_user_properties(rd_kafka_conf_t *conf, const char *text, bool secret,
					char *err, size_t errlen)
{
	List	   *pairs;
	char	   *bad;
	ListCell   *lc;

	if (!relay_parse_pairs(text, &pairs, &bad))
	{
		snprintf(err, errlen, "%s: %s is not key=value",
				 secret ? "pub_backoffice.kafka_secret_properties" :
				 "pub_backoffice.kafka_properties", bad);
		return false;
	}
	foreach(lc, pairs)
	{
		DefElem    *d = lfirst(lc);

		if (is_fixed(d->defname))
		{
			snprintf(err, errlen, "Kafka property \"%s\" is set by the relay and cannot be changed",
					 d->defname);
			return false;
		}
		if (!set_property(conf, d->defname, strVal(d->arg), secret, err, errlen))
			return false;
	}
	return true;
}

static bool
set_fixed_properties(rd_kafka_conf_t *conf, const char *transactional_id,
					 char *err, size_t errlen)
{
	char		num[32];
	const char *pairs[][2] = {
		{"client.id", "pub_backoffice-relay"},
		{"enable.idempotence", "true"},
		{"acks", "all"},
		{"partitioner", "murmur2_random"},
		{"compression.type", relay_compression},
		{"linger.ms", "5"},
		{"statistics.interval.ms", "1000"},
		{"log.queue", "true"},
	};

	for (size_t i = 0; i < lengthof(pairs); i++)
		if (!set_property(conf, pairs[i][0], pairs[i][1], false, err, errlen))
			return false;
	snprintf(num, sizeof(num), "%d", relay_queue_max_messages);
	if (!set_property(conf, "queue.buffering.max.messages", num, false, err, errlen))
		return false;
	snprintf(num, sizeof(num), "%d", relay_queue_max_kbytes);
	if (!set_property(conf, "queue.buffering.max.kbytes", num, false, err, errlen))
		return false;
	if (transactional_id &&
		!set_property(conf, "transactional.id", transactional_id, false, err, errlen))
		return false;
	return true;
}

/* The configuration shared by the producer and the offsets reader. */
static rd_kafka_conf_t *
base_conf(char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();

	if (!set_property(conf, "bootstrap.servers", relay_brokers, false, err, errlen) ||
		!set_user_properties(conf, relay_kafka_properties, false, err, errlen) ||
		!set_user_properties(conf, relay_kafka_secret_properties, true, err, errlen))
	{
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	return conf;
}

bool
producer_open(AckTracker *t, const char *transactional_id, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf;

	Assert(rk == NULL);
	if (relay_brokers == NULL || relay_brokers[0] == '\0')
	{
		snprintf(err, errlen, "pub_backoffice.brokers is empty");
		return false;
	}
	conf = base_conf(err, errlen);
	if (conf == NULL)
		return false;
	if (!set_fixed_properties(conf, transactional_id, err, errlen))
	{
		rd_kafka_conf_destroy(conf);
		return false;
	}
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	rd_kafka_conf_set_error_cb(conf, on_error);
	rd_kafka_conf_set_log_cb(conf, on_log);
	rd_kafka_conf_set_stats_cb(conf, on_stats);

	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, errlen);
	if (rk == NULL)
	{
		rd_kafka_conf_destroy(conf);
		return false;
	}
	rd_kafka_set_log_queue(rk, NULL);
	tracker = t;
	delivery_error[0] = '\0';
	broker_error_pending = false;
	brokers_down = false;
	return true;
}

/* Drop whatever is still queued: its fate no longer matters after a rewind. */
void
producer_close(void)
{
	if (rk == NULL)
		return;
	/* Not waiting for broker threads: one may be stuck, e.g. on a lookup. */
	rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT |
				   RD_KAFKA_PURGE_F_NON_BLOCKING);
	tracker = NULL;
	rd_kafka_poll(rk, 0);
	publish_counts();
	topic_handles_release();
	kafka_destroy(rk, 0);
	rk = NULL;
}

bool
producer_is_open(void)
{
	return rk != NULL;
}

ProduceResult
producer_send(const char *topic, int topic_len, const char *key, int key_len,
			  const char *value, int value_len, const char *id_header, uint64 seq)
{
	rd_kafka_topic_t *rkt;
	rd_kafka_resp_err_t e;
	rd_kafka_headers_t *headers = NULL;

	rkt = topic_handle(rk, topic, topic_len, delivery_error, sizeof(delivery_error));
	if (rkt == NULL)
		return PRODUCE_FAILED;
	if (id_header)
	{
		headers = rd_kafka_headers_new(1);
		rd_kafka_header_add(headers, "id", -1, id_header, -1);
	}
	e = rd_kafka_producev(rk,
						  RD_KAFKA_V_RKT(rkt),
						  RD_KAFKA_V_KEY(unconstify(char *, key), key ? key_len : 0),
						  RD_KAFKA_V_VALUE(unconstify(char *, value), value ? value_len : 0),
						  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
						  RD_KAFKA_V_OPAQUE((void *) (uintptr_t) seq),
						  RD_KAFKA_V_HEADERS(headers),
						  RD_KAFKA_V_END);
	/* On success the message owns the headers; on failure they are ours. */
	if (e != RD_KAFKA_RESP_ERR_NO_ERROR && headers)
		rd_kafka_headers_destroy(headers);
	if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
		return PRODUCE_OK;
	if (e == RD_KAFKA_RESP_ERR__QUEUE_FULL)
		return PRODUCE_QUEUE_FULL;
	snprintf(delivery_error, sizeof(delivery_error),
			 "could not produce to topic \"%s\": %s", rd_kafka_topic_name(rkt),
			 rd_kafka_err2str(e));
	return PRODUCE_FAILED;
}

void
producer_poll(int timeout_ms)
{
	if (rk == NULL)
		return;
	rd_kafka_poll(rk, timeout_ms);
	publish_counts();
	if (broker_error_pending)
	{
		broker_error_pending = false;
		relay_status_error(LOG, "%s", broker_error);
	}
	if (brokers_down)
		relay_status_set_state(RELAY_WAITING_FOR_BROKER);
}

void
producer_inject_fatal_error(void)
{
	if (rk != NULL)
		(void) rd_kafka_test_fatal_error(rk, RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER,
										 "injected by pub.relay_inject_fatal_error()");
}

bool
producer_flush(int timeout_ms, int stall_ms)
{
	TimestampTz deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), timeout_ms);
	TimestampTz progress = GetCurrentTimestamp();

	if (rk == NULL)
		return true;
	while (rd_kafka_outq_len(rk) > 0)
	{
		uint64		reports = delivery_reports;
		TimestampTz now = GetCurrentTimestamp();

		if (now >= deadline || TimestampDifferenceExceeds(progress, now, stall_ms))
			break;
		(void) rd_kafka_flush(rk, KAFKA_SLICE_MS);
		if (delivery_reports != reports)
			progress = GetCurrentTimestamp();
	}
	publish_counts();
	return rd_kafka_outq_len(rk) == 0;
}

bool
producer_failed(char *err, size_t errlen)
{
	char		why[256];

	if (rk != NULL && rd_kafka_fatal_error(rk, why, sizeof(why)))
	{
		snprintf(err, errlen, "fatal Kafka producer error: %s", why);
		return true;
	}
	if (delivery_error[0] != '\0')
	{
		strlcpy(err, delivery_error, errlen);
		return true;
	}
	return false;
}

bool
producer_unsupported(void)
{
	char		why[256];

	return rk != NULL &&
		rd_kafka_fatal_error(rk, why, sizeof(why)) == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE;
}

bool
producer_acked_recently(void)
{
	bool		r = acked_recently;

	acked_recently = false;
	return r;
}

static bool
tx_error(rd_kafka_error_t *e, char *err, size_t errlen)
{
	if (e == NULL)
		return true;
	snprintf(err, errlen, "Kafka transaction: %s%s", rd_kafka_error_string(e),
			 rd_kafka_error_is_retriable(e) && kafka_wait_stopped() ?
			 " (given up for shutdown)" : "");
	rd_kafka_error_destroy(e);
	return false;
}

bool
producer_init_transactions(int timeout_ms, bool *unsupported, char *err, size_t errlen)
{
	rd_kafka_error_t *e = kafka_wait_txn(rk, rd_kafka_init_transactions, timeout_ms);

	*unsupported = e != NULL &&
		(rd_kafka_error_code(e) == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE ||
		 rd_kafka_error_code(e) == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION ||
		 rd_kafka_error_code(e) == RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
	return tx_error(e, err, errlen);
}

bool
producer_begin_transaction(char *err, size_t errlen)
{
	return tx_error(rd_kafka_begin_transaction(rk), err, errlen);
}

bool
producer_commit_transaction(int timeout_ms, char *err, size_t errlen)
{
	return tx_error(kafka_wait_txn(rk, rd_kafka_commit_transaction, timeout_ms), err, errlen);
}

void
producer_abort_transaction(int timeout_ms)
{
	rd_kafka_error_t *e = rd_kafka_abort_transaction(rk, timeout_ms);

	if (e)
		rd_kafka_error_destroy(e);
}

struct rd_kafka_s *
producer_handle(void)
{
	return rk;
}

struct rd_kafka_conf_s *
producer_consumer_conf(char *err, size_t errlen)
{
	return base_conf(err, errlen);
}
