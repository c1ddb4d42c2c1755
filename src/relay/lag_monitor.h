/*
 * lag_monitor.h
 *		How far the relay is behind the WAL, in bytes and in seconds, and the
 *		rate-limited warning past pub_backoffice.lag_warning_size/age.
 */
#ifndef PUB_LAG_MONITOR_H
#define PUB_LAG_MONITOR_H

#include "access/xlogdefs.h"

/* Call once per unit of work with the slot's confirmed position. */
extern void lag_monitor_update(XLogRecPtr confirmed);

#endif							/* PUB_LAG_MONITOR_H */
