/*
 * relay_settings.h
 *		The pub_backoffice.* settings that configure the relay.
 */
#ifndef PUB_RELAY_SETTINGS_H
#define PUB_RELAY_SETTINGS_H

#include "nodes/pg_list.h"

typedef enum RelayDeliveryMode
{
	RELAY_AT_LEAST_ONCE,
	RELAY_EXACTLY_ONCE
} RelayDeliveryMode;

typedef enum RelaySnapshotMode
{
	RELAY_SNAPSHOT_INITIAL,		/* existing rows as op r when the slot is new */
	RELAY_SNAPSHOT_NEVER
} RelaySnapshotMode;

extern char *relay_brokers;
extern char *relay_topic_prefix;
extern char *relay_database;
extern char *relay_slot_name;
extern char *relay_table_include_list;
extern char *relay_decoder_options;
extern char *relay_kafka_properties;
extern char *relay_kafka_secret_properties;
extern char *relay_compression;
extern char *relay_outbox_table;
extern int	relay_delivery_mode;
extern int	relay_snapshot_mode;
extern int	relay_batch_max_events;
extern int	relay_queue_max_messages;
extern int	relay_queue_max_kbytes;
extern int	relay_poll_interval_ms;
extern int	relay_lag_warning_kb;
extern int	relay_lag_warning_s;
extern int	relay_heartbeat_interval_ms;
extern int	relay_restart_delay_s;
extern int	relay_slot_save_interval_ms;

extern void relay_define_settings(void);

/*
 * A "key=value,key=value" setting split into DefElems (value as a String).
 * On a malformed entry, returns false and sets *bad to the offending entry
 * by its position, so no part of a secret value reaches a log line.
 */
extern bool relay_parse_pairs(const char *text, List **pairs, char **bad);

#endif							/* PUB_RELAY_SETTINGS_H */
