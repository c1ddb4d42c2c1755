/*
 * topic_handles.c
 *		librdkafka topic handles by name.
 *
 * Producing by topic name makes librdkafka look the topic up under its
 * handle's write lock for every message, which the broker thread then waits
 * on; producing through a handle kept here costs one hash probe instead.
 * The handles belong to one producer and are released before it goes.
 */
#include "postgres.h"

#include <librdkafka/rdkafka.h>

#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "relay/topic_handles.h"

/* Kafka's own limit on topic names is 249 characters. */
#define TOPIC_NAME_MAX 256

typedef struct TopicHandle
{
	char		name[TOPIC_NAME_MAX];	/* hash key */
	rd_kafka_topic_t *rkt;
} TopicHandle;

static HTAB *handles = NULL;

/* Consecutive events mostly go to one topic: skip the hash probe for it. */
static TopicHandle *last = NULL;
static int	last_len = 0;

static void
create_table(void)
{
	HASHCTL		ctl = {.keysize = TOPIC_NAME_MAX, .entrysize = sizeof(TopicHandle),
	.hcxt = TopMemoryContext};

	handles = hash_create("pub_backoffice relay topics", 64, &ctl,
						  HASH_ELEM | HASH_STRINGS | HASH_CONTEXT);
}

rd_kafka_topic_t *
topic_handle(rd_kafka_t *rk, const char *topic, int topic_len, char *err, size_t errlen)
{
	char		name[TOPIC_NAME_MAX];
	TopicHandle *h;
	bool		found;

	if (last && topic_len == last_len && memcmp(topic, last->name, topic_len) == 0)
		return last->rkt;
	if (topic_len >= TOPIC_NAME_MAX)
	{
		snprintf(err, errlen, "topic name of %d bytes is longer than Kafka allows", topic_len);
		return NULL;
	}
	memcpy(name, topic, topic_len);
	name[topic_len] = '\0';
	if (handles == NULL)
		create_table();
	h = hash_search(handles, name, HASH_ENTER, &found);
	if (!found)
	{
		h->rkt = rd_kafka_topic_new(rk, name, NULL);
		if (h->rkt == NULL)
		{
			snprintf(err, errlen, "could not produce to topic \"%s\": %s", name,
					 rd_kafka_err2str(rd_kafka_last_error()));
			hash_search(handles, name, HASH_REMOVE, NULL);
			return NULL;
		}
	}
	last = h;
	last_len = topic_len;
	return h->rkt;
}

void
topic_handles_release(void)
{
	HASH_SEQ_STATUS seq;
	TopicHandle *h;

	if (handles == NULL)
		return;
	hash_seq_init(&seq, handles);
	while ((h = hash_seq_search(&seq)) != NULL)
		rd_kafka_topic_destroy(h->rkt);
	hash_destroy(handles);
	handles = NULL;
	last = NULL;
}
