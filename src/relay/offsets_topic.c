/*
 * offsets_topic.c
 *		Write and read back the exactly_once offsets (see offsets_topic.h).
 *
 * Each record is keyed by the slot name, so one topic serves several
 * relays with the same prefix; its value is {"slot":…,"end_lsn":N}.
 */
#include "postgres.h"

#include <librdkafka/rdkafka.h>
#include <json-c/json.h>

#include "utils/timestamp.h"

#include "relay/ack_tracker.h"
#include "relay/kafka_wait.h"
#include "relay/offsets_topic.h"
#include "relay/producer.h"
#include "relay/relay_settings.h"

#define ADMIN_TIMEOUT_MS 30000
#define READ_TIMEOUT_MS 30000

void
offsets_topic_name(char *buf, size_t len)
{
	snprintf(buf, len, "__pub_backoffice-offsets.%s", relay_topic_prefix);
}

bool
offsets_topic_ensure(char *err, size_t errlen)
{
	rd_kafka_t *rk = producer_handle();
	char		topic[NAMEDATALEN * 2];
	char		why[256];
	rd_kafka_NewTopic_t *nt;
	rd_kafka_queue_t *q = rd_kafka_queue_new(rk);
	rd_kafka_event_t *ev;
	bool		ok = false;

	offsets_topic_name(topic, sizeof(topic));
	nt = rd_kafka_NewTopic_new(topic, 1, -1, why, sizeof(why));
	rd_kafka_NewTopic_set_config(nt, "cleanup.policy", "compact");
	rd_kafka_CreateTopics(rk, &nt, 1, NULL, q);
	ev = kafka_wait_event(q, ADMIN_TIMEOUT_MS);
	if (ev == NULL && kafka_wait_stopped())
		snprintf(err, errlen, "shutdown requested while creating topic \"%s\"", topic);
	else if (ev == NULL)
		snprintf(err, errlen, "timed out creating topic \"%s\"", topic);
	else
	{
		const rd_kafka_CreateTopics_result_t *res = rd_kafka_event_CreateTopics_result(ev);
		size_t		n;
		const rd_kafka_topic_result_t **t = res ? rd_kafka_CreateTopics_result_topics(res, &n) : NULL;
		rd_kafka_resp_err_t e = rd_kafka_event_error(ev);

		if (e == RD_KAFKA_RESP_ERR_NO_ERROR && t && n == 1)
			e = rd_kafka_topic_result_error(t[0]);
		ok = e == RD_KAFKA_RESP_ERR_NO_ERROR || e == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS;
		if (!ok)
			snprintf(err, errlen, "could not create topic \"%s\": %s", topic, rd_kafka_err2str(e));
		rd_kafka_event_destroy(ev);
	}
	rd_kafka_NewTopic_destroy(nt);
	rd_kafka_queue_destroy(q);
	return ok;
}

/* The end LSN in a record of ours, or InvalidXLogRecPtr. */
static XLogRecPtr
parse_record(const rd_kafka_message_t *m)
{
	struct json_object *root, *lsn;
	XLogRecPtr	result = InvalidXLogRecPtr;

	if (m->payload == NULL || m->key == NULL ||
		m->key_len != strlen(relay_slot_name) ||
		memcmp(m->key, relay_slot_name, m->key_len) != 0)
		return result;
	root = json_tokener_parse(pnstrdup(m->payload, m->len));
	if (root && json_object_object_get_ex(root, "end_lsn", &lsn))
		result = (XLogRecPtr) json_object_get_uint64(lsn);
	if (root)
		json_object_put(root);
	return result;
}

/*
 * Read our records from the start up to the end of the partition, which
 * librdkafka reports as PARTITION_EOF (with read_committed: the last stable
 * offset; the last offset itself is a transaction marker, never a message).
 */
static bool
read_partition(rd_kafka_t *rk, const char *topic, XLogRecPtr *lsn, char *err, size_t errlen)
{
	rd_kafka_topic_partition_list_t *parts;
	TimestampTz deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), READ_TIMEOUT_MS);
	rd_kafka_resp_err_t last_error = RD_KAFKA_RESP_ERR__TIMED_OUT;

	parts = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(parts, topic, 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
	rd_kafka_assign(rk, parts);
	rd_kafka_topic_partition_list_destroy(parts);
	/* Polled in slices: the consumer fetches on its own threads meanwhile. */
	while (GetCurrentTimestamp() < deadline && !kafka_wait_stopped())
	{
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, KAFKA_SLICE_MS);
		bool		done;

		if (m == NULL)
			continue;
		done = m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF;
		if (m->err == 0)
		{
			XLogRecPtr	found = parse_record(m);

			if (!XLogRecPtrIsInvalid(found))
				*lsn = found;
		}
		else if (!done)
			last_error = m->err;
		rd_kafka_message_destroy(m);
		if (done)
			return true;
	}
	if (kafka_wait_stopped())
		snprintf(err, errlen, "shutdown requested while reading topic \"%s\"", topic);
	else
		snprintf(err, errlen, "could not read topic \"%s\": %s", topic,
				 rd_kafka_err2str(last_error));
	return false;
}

bool
offsets_topic_read(XLogRecPtr *lsn, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf = producer_consumer_conf(err, errlen);
	rd_kafka_t *rk;
	char		topic[NAMEDATALEN * 2];
	char		why[256];
	bool		ok;

	*lsn = InvalidXLogRecPtr;
	if (conf == NULL)
		return false;
	if (rd_kafka_conf_set(conf, "isolation.level", "read_committed", why, sizeof(why)) ||
		rd_kafka_conf_set(conf, "enable.partition.eof", "true", why, sizeof(why)) ||
		rd_kafka_conf_set(conf, "group.id", "pub_backoffice-offsets-reader", why, sizeof(why)) ||
		rd_kafka_conf_set(conf, "enable.auto.commit", "false", why, sizeof(why)))
	{
		rd_kafka_conf_destroy(conf);
		snprintf(err, errlen, "%s", why);
		return false;
	}
	rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen);
	if (rk == NULL)
	{
		rd_kafka_conf_destroy(conf);
		return false;
	}
	offsets_topic_name(topic, sizeof(topic));
	ok = read_partition(rk, topic, lsn, err, errlen);
	/* Nothing to commit or leave: closing would only wait on the brokers. */
	kafka_destroy(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	return ok;
}

bool
offsets_topic_write(XLogRecPtr end_lsn)
{
	char		topic[NAMEDATALEN * 2];
	char	   *value;

	offsets_topic_name(topic, sizeof(topic));
	value = psprintf("{\"slot\":\"%s\",\"end_lsn\":" UINT64_FORMAT "}",
					 relay_slot_name, (uint64) end_lsn);
	return producer_send(topic, strlen(topic), relay_slot_name, strlen(relay_slot_name),
						 value, strlen(value), NULL, ACK_UNTRACKED) == PRODUCE_OK;
}
