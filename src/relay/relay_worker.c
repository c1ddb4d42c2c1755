/*
 * relay_worker.c
 *		The relay background worker (placeholder until the relay lands).
 */
#include "postgres.h"

#include "relay/relay.h"

void
relay_init(void)
{
}
