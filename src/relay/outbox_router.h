/*
 * outbox_router.h
 *		Debezium's outbox event router, in the relay: an insert into the
 *		outbox table becomes one record on <prefix>.outbox.event.<aggregatetype>,
 *		keyed by aggregateid, with the payload as its value and the event id
 *		in an "id" header.  Other changes of the outbox table are dropped.
 */
#ifndef PUB_OUTBOX_ROUTER_H
#define PUB_OUTBOX_ROUTER_H

#include "decoder/decoder.h"

typedef struct OutboxEvent
{
	char	   *topic;
	char	   *key;
	char	   *value;			/* NULL: the payload was null */
	char	   *id;
} OutboxEvent;

/* Call when the settings (prefix, outbox table) may have changed. */
extern void outbox_router_configure(void);

/* Whether the record is a change of the outbox table. */
extern bool outbox_router_matches(const DecoderRecord *r);

/*
 * The routed event for an outbox insert (allocated in the current memory
 * context); false for other operations, which the router drops.
 */
extern bool outbox_router_route(const DecoderRecord *r, OutboxEvent *ev);

#endif							/* PUB_OUTBOX_ROUTER_H */
