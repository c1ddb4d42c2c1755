/*
 * kafka_wait.h
 *		Blocking librdkafka calls that give way to a shutdown request.
 *
 * A postmaster in fast shutdown waits for the relay worker to exit, and
 * SIGTERM interrupts no librdkafka call: each one that can block for long is
 * made here in slices of at most KAFKA_SLICE_MS, and the waiting stops
 * between slices once a shutdown is requested or the postmaster is gone.
 */
#ifndef PUB_KAFKA_WAIT_H
#define PUB_KAFKA_WAIT_H

#include <librdkafka/rdkafka.h>

#define KAFKA_SLICE_MS 250

/* A shutdown was requested or the postmaster died: stop waiting on Kafka. */
extern bool kafka_wait_stopped(void);

/* rd_kafka_init_transactions, rd_kafka_commit_transaction, ... */
typedef rd_kafka_error_t *(*KafkaTxnCall) (rd_kafka_t *rk, int timeout_ms);

/*
 * Make a transactional call, resuming it while its error is retriable (as
 * librdkafka allows), for at most timeout_ms.  After a shutdown request it
 * gets KAFKA_GRACE_MS more, which a broker that answers needs to finish.
 * Returns the last error, or NULL on success.
 */
extern rd_kafka_error_t *kafka_wait_txn(rd_kafka_t *rk, KafkaTxnCall call, int timeout_ms);

/* An event from q within timeout_ms; NULL on timeout or shutdown. */
extern rd_kafka_event_t *kafka_wait_event(rd_kafka_queue_t *q, int timeout_ms);

/*
 * rd_kafka_destroy_flags(), waited for at most KAFKA_DESTROY_MS: librdkafka's
 * destroy can hang (a broker thread stuck in a DNS lookup, or holding a
 * leaked reference), and a client that does not finish is left behind.
 */
#define KAFKA_DESTROY_MS 3000
extern void kafka_destroy(rd_kafka_t *rk, int flags);

#endif							/* PUB_KAFKA_WAIT_H */
