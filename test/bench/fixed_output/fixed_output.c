/*
 * fixed_output.c
 *		Bench-only output plugin: one line of exactly `bytes` bytes per row
 *		change, nothing else.
 *
 * It does no work of its own, so what it costs through a decoding interface
 * is what that interface charges for lines of that size: the ceiling any
 * plugin writing as many bytes per change can reach there
 * (test/bench/decode.py).  Not part of the extension.
 */
#include "postgres.h"

#include "replication/logical.h"
#include "replication/output_plugin.h"
#include "utils/builtins.h"

PG_MODULE_MAGIC;

extern void _PG_output_plugin_init(OutputPluginCallbacks *cb);

static void
fixed_startup(LogicalDecodingContext *ctx, OutputPluginOptions *opt,
			  bool is_init)
{
	int		   *bytes = palloc(sizeof(int));
	ListCell   *lc;

	*bytes = 100;
	foreach(lc, ctx->output_plugin_options)
	{
		DefElem    *elem = lfirst(lc);

		if (strcmp(elem->defname, "bytes") != 0 || elem->arg == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"%s\" is not supported", elem->defname),
					 errhint("The only option is \"bytes\".")));
		*bytes = pg_strtoint32(strVal(elem->arg));
		if (*bytes < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"bytes\" must be at least 1")));
	}
	ctx->output_plugin_private = bytes;
	opt->output_type = OUTPUT_PLUGIN_TEXTUAL_OUTPUT;
}

static void
fixed_begin(LogicalDecodingContext *ctx, ReorderBufferTXN *txn)
{
}

static void
fixed_commit(LogicalDecodingContext *ctx, ReorderBufferTXN *txn,
			 XLogRecPtr commit_lsn)
{
}

static void
fixed_change(LogicalDecodingContext *ctx, ReorderBufferTXN *txn,
			 Relation relation, ReorderBufferChange *change)
{
	int			bytes = *(int *) ctx->output_plugin_private;

	OutputPluginPrepareWrite(ctx, true);
	enlargeStringInfo(ctx->out, bytes);
	memset(ctx->out->data + ctx->out->len, 'x', bytes);
	ctx->out->len += bytes;
	ctx->out->data[ctx->out->len] = '\0';
	OutputPluginWrite(ctx, true);
}

void
_PG_output_plugin_init(OutputPluginCallbacks *cb)
{
	cb->startup_cb = fixed_startup;
	cb->begin_cb = fixed_begin;
	cb->commit_cb = fixed_commit;
	cb->change_cb = fixed_change;
}
