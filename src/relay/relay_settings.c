/*
 * relay_settings.c
 *		Definitions of the pub_backoffice.* settings and the parser of their
 *		"key=value,..." lists.
 *
 * Every setting is PGC_SIGHUP: the relay runs in background processes, so
 * only postgresql.conf (or ALTER SYSTEM) and a reload can change it.  Those
 * that may hold secrets are GUC_SUPERUSER_ONLY and GUC_NO_SHOW_ALL, and the
 * relay never writes their values to the log.
 */
#include "postgres.h"

#include "nodes/makefuncs.h"
#include "nodes/value.h"
#include "utils/guc.h"

#include "relay/relay_settings.h"

char	   *relay_brokers = NULL;
char	   *relay_topic_prefix = NULL;
char	   *relay_database = NULL;
char	   *relay_slot_name = NULL;
char	   *relay_table_include_list = NULL;
char	   *relay_decoder_options = NULL;
char	   *relay_kafka_properties = NULL;
char	   *relay_kafka_secret_properties = NULL;
char	   *relay_compression = NULL;
char	   *relay_outbox_table = NULL;
int			relay_delivery_mode = RELAY_AT_LEAST_ONCE;
int			relay_snapshot_mode = RELAY_SNAPSHOT_INITIAL;
int			relay_batch_max_events = 10000;
int			relay_queue_max_messages = 100000;
int			relay_queue_max_kbytes = 65536;
int			relay_poll_interval_ms = 10;
int			relay_lag_warning_kb = 1048576;
int			relay_lag_warning_s = 300;
int			relay_heartbeat_interval_ms = 0;
int			relay_restart_delay_s = 5;
int			relay_slot_save_interval_ms = 100;

static const struct config_enum_entry delivery_modes[] = {
	{"at_least_once", RELAY_AT_LEAST_ONCE, false},
	{"exactly_once", RELAY_EXACTLY_ONCE, false},
	{NULL, 0, false}
};

static const struct config_enum_entry snapshot_modes[] = {
	{"initial", RELAY_SNAPSHOT_INITIAL, false},
	{"never", RELAY_SNAPSHOT_NEVER, false},
	{NULL, 0, false}
};

static void
define_string(const char *name, const char *desc, char **var,
			  const char *def, int flags)
{
	DefineCustomStringVariable(name, desc, NULL, var, def, PGC_SIGHUP,
							   flags, NULL, NULL, NULL);
}

static void
define_int(const char *name, const char *desc, int *var, int def,
		   int min, int max, int flags)
{
	DefineCustomIntVariable(name, desc, NULL, var, def, min, max, PGC_SIGHUP,
							flags, NULL, NULL, NULL);
}

void
relay_define_settings(void)
{
	define_string("pub_backoffice.brokers",
				  "Kafka bootstrap servers (host:port,...); empty disables the relay.",
				  &relay_brokers, "", 0);
	define_string("pub_backoffice.topic_prefix",
				  "Topic prefix (Debezium topic.prefix) of every relayed topic.",
				  &relay_topic_prefix, "pub", 0);
	define_string("pub_backoffice.database",
				  "Database whose changes the relay streams.",
				  &relay_database, "postgres", 0);
	define_string("pub_backoffice.slot_name",
				  "Logical replication slot the relay creates and owns.",
				  &relay_slot_name, "pub_backoffice_relay", 0);
	define_string("pub_backoffice.table_include_list",
				  "Comma-separated schema.table patterns to capture (Debezium table.include.list); empty captures all.",
				  &relay_table_include_list, "", 0);
	define_string("pub_backoffice.decoder_options",
				  "Further decoder options as key=value,... (Debezium names).",
				  &relay_decoder_options, "", 0);
	define_string("pub_backoffice.kafka_properties",
				  "librdkafka producer properties as key=value,...",
				  &relay_kafka_properties, "", 0);
	define_string("pub_backoffice.kafka_secret_properties",
				  "librdkafka properties holding secrets (sasl.password, ssl.key.password, ...) as key=value,...",
				  &relay_kafka_secret_properties, "",
				  GUC_SUPERUSER_ONLY | GUC_NO_SHOW_ALL);
	define_string("pub_backoffice.compression",
				  "Compression codec of produced batches (none, gzip, snappy, lz4, zstd).",
				  &relay_compression, "lz4", 0);
	define_string("pub_backoffice.outbox_table",
				  "schema.table whose inserts are routed like Debezium's outbox event router; empty turns routing off.",
				  &relay_outbox_table, "pub.outbox", 0);
	DefineCustomEnumVariable("pub_backoffice.delivery_mode",
							 "at_least_once, or exactly_once with Kafka transactions.",
							 NULL, &relay_delivery_mode, RELAY_AT_LEAST_ONCE,
							 delivery_modes, PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomEnumVariable("pub_backoffice.snapshot_mode",
							 "initial: send the captured tables' rows (op r) when the slot is created; never: only changes.",
							 NULL, &relay_snapshot_mode, RELAY_SNAPSHOT_INITIAL,
							 snapshot_modes, PGC_SIGHUP, 0, NULL, NULL, NULL);
	define_int("pub_backoffice.batch_max_events",
			   "Most events decoded per unit of work (and per Kafka transaction in exactly_once mode).",
			   &relay_batch_max_events, 10000, 1, 1000000, 0);
	define_int("pub_backoffice.queue_max_messages",
			   "Most events waiting in the producer for Kafka's acknowledgement.",
			   &relay_queue_max_messages, 100000, 100, 10000000, 0);
	define_int("pub_backoffice.queue_max_size",
			   "Most bytes waiting in the producer for Kafka's acknowledgement.",
			   &relay_queue_max_kbytes, 65536, 1024, 2097151, GUC_UNIT_KB);
	define_int("pub_backoffice.poll_interval",
			   "How long the worker sleeps when it has caught up with the WAL.",
			   &relay_poll_interval_ms, 10, 1, 10000, GUC_UNIT_MS);
	define_int("pub_backoffice.lag_warning_size",
			   "Warn when this much WAL awaits Kafka's acknowledgement (0: never).",
			   &relay_lag_warning_kb, 1048576, 0, INT_MAX, GUC_UNIT_KB);
	define_int("pub_backoffice.lag_warning_age",
			   "Warn when the relay has been behind for this long (0: never).",
			   &relay_lag_warning_s, 300, 0, INT_MAX, GUC_UNIT_S);
	define_int("pub_backoffice.heartbeat_interval",
			   "Interval of heartbeat records to __debezium-heartbeat.<prefix> (0: none).",
			   &relay_heartbeat_interval_ms, 0, 0, INT_MAX, GUC_UNIT_MS);
	define_int("pub_backoffice.restart_delay",
			   "Delay before the relay worker is started again after it stopped on an error.",
			   &relay_restart_delay_s, 5, 1, 3600, GUC_UNIT_S);
	define_int("pub_backoffice.slot_save_interval",
			   "Most time between writes of the slot's confirmed position to disk; after a crash, up to this much acknowledged work is sent again (exactly_once skips it).",
			   &relay_slot_save_interval_ms, 100, 0, 3600000, GUC_UNIT_MS);
	MarkGUCPrefixReserved("pub_backoffice");
}

/* Trim spaces in place; returns the start. */
static char *
trim(char *s)
{
	char	   *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return s;
}

bool
relay_parse_pairs(const char *text, List **pairs, char **bad)
{
	char	   *copy = pstrdup(text ? text : "");
	char	   *save = NULL;
	char	   *item;
	int			n = 0;

	*pairs = NIL;
	for (item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save))
	{
		char	   *eq = strchr(item, '=');
		char	   *key;

		n++;
		if (*trim(item) == '\0')
			continue;
		if (eq != NULL)
			*eq = '\0';
		key = trim(item);
		/* Name a bad entry by position: its text may be part of a secret. */
		if (eq == NULL || *key == '\0')
		{
			*bad = psprintf("entry %d", n);
			return false;
		}
		*pairs = lappend(*pairs, makeDefElem(pstrdup(key),
											 (Node *) makeString(pstrdup(trim(eq + 1))),
											 -1));
	}
	return true;
}
