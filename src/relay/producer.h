/*
 * producer.h
 *		The relay's one librdkafka producer: idempotent, acks=all, keys hashed
 *		with murmur2_random like Java clients.  Delivery reports go to the
 *		AckTracker; nothing else decides an event's fate.
 */
#ifndef PUB_RELAY_PRODUCER_H
#define PUB_RELAY_PRODUCER_H

#include "relay/ack_tracker.h"

typedef enum ProduceResult
{
	PRODUCE_OK,
	PRODUCE_QUEUE_FULL,			/* poll, then try again */
	PRODUCE_FAILED				/* rewind to the slot */
} ProduceResult;

/*
 * Build the producer from the settings.  On a configuration error returns
 * false with a message that is safe to log (never a secret value).
 */
extern bool producer_open(AckTracker *tracker, const char *transactional_id,
						  char *err, size_t errlen);
extern void producer_close(void);
extern bool producer_is_open(void);

extern ProduceResult producer_send(const char *topic, int topic_len,
								   const char *key, int key_len,
								   const char *value, int value_len,
								   const char *id_header, uint64 seq);
extern void producer_poll(int timeout_ms);
/* librdkafka's own fault injection: raise a fatal error as a broker could. */
extern void producer_inject_fatal_error(void);
/*
 * Wait for what is queued while Kafka keeps acknowledging it: at most
 * timeout_ms in all and stall_ms without a delivery report.
 */
extern bool producer_flush(int timeout_ms, int stall_ms);

/* A fatal producer error (or a failed delivery); message in err. */
extern bool producer_failed(char *err, size_t errlen);
/*
 * The fatal error is that the brokers lack a feature the producer needs
 * (idempotence: no InitProducerId): retrying cannot help.
 */
extern bool producer_unsupported(void);
/* Whether any acknowledgement arrived since the last call. */
extern bool producer_acked_recently(void);

/*
 * Kafka transactions (exactly_once). Each returns false with err set; init
 * and commit give way to a shutdown request (kafka_wait.h).
 */
extern bool producer_init_transactions(int timeout_ms, bool *unsupported,
									   char *err, size_t errlen);
extern bool producer_begin_transaction(char *err, size_t errlen);
extern bool producer_commit_transaction(int timeout_ms, char *err, size_t errlen);
extern void producer_abort_transaction(int timeout_ms);

/* For the offsets topic: the handle, and a configuration with the same
 * brokers and security settings for a consumer. */
extern struct rd_kafka_s *producer_handle(void);
extern struct rd_kafka_conf_s *producer_consumer_conf(char *err, size_t errlen);

#endif							/* PUB_RELAY_PRODUCER_H */
