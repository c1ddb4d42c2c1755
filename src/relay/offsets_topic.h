/*
 * offsets_topic.h
 *		exactly_once: the compacted topic that records, inside each Kafka
 *		transaction, the end LSN of the last PostgreSQL transaction in it.
 *		After a restart the relay reads it back and skips what Kafka has.
 */
#ifndef PUB_OFFSETS_TOPIC_H
#define PUB_OFFSETS_TOPIC_H

#include "access/xlogdefs.h"

/* "__pub_backoffice-offsets.<prefix>" into buf. */
extern void offsets_topic_name(char *buf, size_t len);

/* Create the topic (one partition, cleanup.policy=compact) if missing. */
extern bool offsets_topic_ensure(char *err, size_t errlen);

/*
 * The last end LSN committed for our slot (InvalidXLogRecPtr if none), read
 * with isolation.level=read_committed.
 */
extern bool offsets_topic_read(XLogRecPtr *lsn, char *err, size_t errlen);

/* Produce the record for end_lsn into the open Kafka transaction. */
extern bool offsets_topic_write(XLogRecPtr end_lsn);

#endif							/* PUB_OFFSETS_TOPIC_H */
