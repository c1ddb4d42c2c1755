/*
 * pub_backoffice.c
 *		Library entry points: settings, worker registration and the CHECK
 *		cache's executor hook at load time, and the logical decoding output
 *		plugin hook.
 *
 * One shared library plays three roles: the back office's C functions, the
 * Debezium-compatible output plugin (src/decoder) and the Kafka relay
 * (src/relay).  This file only wires them to PostgreSQL.
 */
#include "postgres.h"

#include "fmgr.h"
#include "replication/output_plugin.h"

#include "backoffice/statement_checks.h"
#include "decoder/decoder.h"
#include "relay/relay.h"

PG_MODULE_MAGIC;

void		_PG_init(void);
void		_PG_output_plugin_init(OutputPluginCallbacks *cb);

void
_PG_init(void)
{
	relay_init();
	statement_checks_init();
}

void
_PG_output_plugin_init(OutputPluginCallbacks *cb)
{
	decoder_register_callbacks(cb);
}
