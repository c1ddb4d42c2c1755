/*
 * relay.h
 *		The background worker that streams decoded changes to Kafka.
 */
#ifndef PUB_RELAY_H
#define PUB_RELAY_H

/* Define the pub_backoffice.* settings; register the worker when preloaded. */
extern void relay_init(void);

#endif							/* PUB_RELAY_H */
