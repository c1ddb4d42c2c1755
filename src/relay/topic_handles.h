/*
 * topic_handles.h
 *		librdkafka topic handles by name, kept for the producer's lifetime.
 */
#ifndef PUB_RELAY_TOPIC_HANDLES_H
#define PUB_RELAY_TOPIC_HANDLES_H

struct rd_kafka_s;
struct rd_kafka_topic_s;

/* The handle of a topic, created on first use; NULL with err set if refused. */
extern struct rd_kafka_topic_s *topic_handle(struct rd_kafka_s *rk, const char *topic,
											 int topic_len, char *err, size_t errlen);

/* Release every handle: before the producer is destroyed. */
extern void topic_handles_release(void);

#endif							/* PUB_RELAY_TOPIC_HANDLES_H */
