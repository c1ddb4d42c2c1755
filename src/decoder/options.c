/*
 * options.c
 *		Parsing the plugin's options (Debezium's property names) once, in
 *		the startup callback, and the table and message filters they define.
 *
 * A bad option must stop the slot at start, not produce half-right events
 * later, so every value is checked here and rejected with the list of
 * values that would have been accepted.
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "commands/defrem.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "regex/regex.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "decoder/options.h"

typedef struct EnumChoice
{
	const char *name;
	int			value;
} EnumChoice;

static const EnumChoice decimal_choices[] = {
	{"precise", DECIMAL_PRECISE}, {"double", DECIMAL_DOUBLE}, {"string", DECIMAL_STRING}, {NULL, 0}
};
static const EnumChoice time_choices[] = {
	{"adaptive", TIME_ADAPTIVE},
	{"adaptive_time_microseconds", TIME_ADAPTIVE_MICRO},
	{"connect", TIME_CONNECT}, {NULL, 0}
};
static const EnumChoice binary_choices[] = {
	{"bytes", BINARY_BYTES}, {"base64", BINARY_BASE64},
	{"base64-url-safe", BINARY_BASE64_URL}, {"hex", BINARY_HEX}, {NULL, 0}
};
static const EnumChoice output_choices[] = {
	{"value", OUTPUT_VALUE}, {"record", OUTPUT_RECORD}, {NULL, 0}
};

static void
reject(const char *option, const char *value, const char *allowed)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid value \"%s\" for option \"%s\"", value, option),
			 errdetail("Allowed values: %s.", allowed)));
}

static int
parse_enum(const char *option, const char *value, const EnumChoice *choices)
{
	StringInfoData allowed;

	for (const EnumChoice *c = choices; c->name; c++)
		if (pg_strcasecmp(value, c->name) == 0)
			return c->value;
	initStringInfo(&allowed);
	for (const EnumChoice *c = choices; c->name; c++)
		appendStringInfo(&allowed, "%s%s", c == choices ? "" : ", ", c->name);
	reject(option, value, allowed.data);
	return 0;					/* not reached */
}

static bool
parse_bool_option(const char *option, const char *value)
{
	bool		result;

	if (!parse_bool(value, &result))
		reject(option, value, "true, false");
	return result;
}

/* Compile one anchored, case-insensitive regex, as Debezium matches them. */
static regex_t *
compile_anchored(const char *option, const char *pattern)
{
	char	   *anchored = psprintf("^(?:%s)$", pattern);
	int			len = strlen(anchored);
	pg_wchar   *wide = palloc((len + 1) * sizeof(pg_wchar));
	int			wlen = pg_mb2wchar_with_len(anchored, wide, len);
	regex_t    *re = palloc(sizeof(regex_t));
	int			rc = pg_regcomp(re, wide, wlen, REG_ADVANCED | REG_ICASE | REG_NOSUB,
								C_COLLATION_OID);

	if (rc != REG_OKAY)
	{
		char		msg[128];

		pg_regerror(rc, re, msg, sizeof(msg));
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid regular expression \"%s\" in option \"%s\": %s",
						pattern, option, msg)));
	}
	return re;
}

/* A comma-separated list of regular expressions. */
static List *
parse_regex_list(const char *option, const char *value)
{
	List	   *result = NIL;
	char	   *copy = pstrdup(value);
	char	   *tok;
	char	   *save;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
	{
		char	   *end;

		while (isspace((unsigned char) *tok))
			tok++;
		end = tok + strlen(tok);
		while (end > tok && isspace((unsigned char) end[-1]))
			*--end = '\0';
		if (*tok)
			result = lappend(result, compile_anchored(option, tok));
	}
	return result;
}

static void
parse_skipped(DecoderOptions *opts, const char *value)
{
	char	   *copy = pstrdup(value);
	char	   *tok;
	char	   *save;

	opts->skip_create = opts->skip_update = opts->skip_delete = opts->skip_truncate = false;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
	{
		while (isspace((unsigned char) *tok))
			tok++;
		if (pg_strcasecmp(tok, "none") == 0)
			continue;
		else if (strcmp(tok, "c") == 0)
			opts->skip_create = true;
		else if (strcmp(tok, "u") == 0)
			opts->skip_update = true;
		else if (strcmp(tok, "d") == 0)
			opts->skip_delete = true;
		else if (strcmp(tok, "t") == 0)
			opts->skip_truncate = true;
		else
			reject("skipped.operations", value, "a comma-separated list of c, u, d, t, or none");
	}
}

/*
 * Bytes, with or without a unit as in postgresql.conf ("65536", "64kB");
 * 0 turns batching off.  The cap keeps a message far below the 1 GB an
 * allocation may take, and larger batches save nothing measurable.
 */
#define MAX_BATCH_BYTES (64 * 1024 * 1024)

static int
parse_batch_bytes(const char *option, const char *value)
{
	int			result;

	if (!parse_int(value, &result, GUC_UNIT_BYTE, NULL) ||
		result < 0 || result > MAX_BATCH_BYTES)
		reject(option, value, "a size in bytes from 0 (one event per message) to 64MB, "
			   "such as 65536 or 64kB");
	return result;
}

static void
set_defaults(DecoderOptions *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->topic_prefix = "pub";
	opts->schemas_enable = true;	/* JsonConverter's schemas.enable default */
	opts->decimal_mode = DECIMAL_PRECISE;
	opts->time_mode = TIME_ADAPTIVE;
	opts->binary_mode = BINARY_BYTES;
	opts->tombstones = true;
	opts->skip_truncate = true; /* Debezium's skipped.operations default is "t" */
	opts->output = OUTPUT_VALUE;
	opts->batch_bytes = DEFAULT_BATCH_BYTES;
}

void
decoder_parse_options(DecoderOptions *opts, List *defel_list)
{
	ListCell   *lc;

	set_defaults(opts);
	foreach(lc, defel_list)
	{
		DefElem    *elem = lfirst(lc);
		const char *name = elem->defname;
		char	   *value = elem->arg ? strVal(elem->arg) : "true";

		if (strcmp(name, "topic.prefix") == 0)
		{
			if (*value == '\0')
				reject(name, value, "a non-empty topic prefix");
			opts->topic_prefix = pstrdup(value);
		}
		else if (strcmp(name, "schemas.enable") == 0)
			opts->schemas_enable = parse_bool_option(name, value);
		else if (strcmp(name, "decimal.handling.mode") == 0)
			opts->decimal_mode = parse_enum(name, value, decimal_choices);
		else if (strcmp(name, "time.precision.mode") == 0)
			opts->time_mode = parse_enum(name, value, time_choices);
		else if (strcmp(name, "binary.handling.mode") == 0)
			opts->binary_mode = parse_enum(name, value, binary_choices);
		else if (strcmp(name, "provide.transaction.metadata") == 0)
			opts->transaction_metadata = parse_bool_option(name, value);
		else if (strcmp(name, "tombstones.on.delete") == 0)
			opts->tombstones = parse_bool_option(name, value);
		else if (strcmp(name, "table.include.list") == 0)
			opts->include_list = parse_regex_list(name, value);
		else if (strcmp(name, "table.exclude.list") == 0)
			opts->exclude_list = parse_regex_list(name, value);
		else if (strcmp(name, "message.prefix.include.list") == 0)
			opts->message_include_list = parse_regex_list(name, value);
		else if (strcmp(name, "message.prefix.exclude.list") == 0)
			opts->message_exclude_list = parse_regex_list(name, value);
		else if (strcmp(name, "skipped.operations") == 0)
			parse_skipped(opts, value);
		else if (strcmp(name, "output") == 0)
			opts->output = parse_enum(name, value, output_choices);
		else if (strcmp(name, "batch.bytes") == 0)
			opts->batch_bytes = parse_batch_bytes(name, value);
		else if (strcmp(name, "mask.volatile") == 0)
			opts->mask_volatile = parse_bool_option(name, value);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unrecognized option \"%s\"", name),
					 errhint("Valid options are topic.prefix, schemas.enable, decimal.handling.mode, "
							 "time.precision.mode, binary.handling.mode, provide.transaction.metadata, "
							 "tombstones.on.delete, table.include.list, table.exclude.list, "
							 "message.prefix.include.list, message.prefix.exclude.list, "
							 "skipped.operations, output, batch.bytes, mask.volatile.")));
	}
	if (opts->include_list != NIL && opts->exclude_list != NIL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options \"table.include.list\" and \"table.exclude.list\" cannot be used together"),
				 errdetail("Debezium accepts only one of them.")));
}

static bool
matches_any(List *regexes, const char *s)
{
	int			len = strlen(s);
	pg_wchar   *wide = palloc((len + 1) * sizeof(pg_wchar));
	int			wlen = pg_mb2wchar_with_len(s, wide, len);
	ListCell   *lc;
	bool		found = false;

	foreach(lc, regexes)
	{
		if (pg_regexec(lfirst(lc), wide, wlen, 0, NULL, 0, NULL, 0) == REG_OKAY)
		{
			found = true;
			break;
		}
	}
	pfree(wide);
	return found;
}

static bool
filter_accepts(List *include, List *exclude, const char *s)
{
	if (include != NIL)
		return matches_any(include, s);
	if (exclude != NIL)
		return !matches_any(exclude, s);
	return true;
}

bool
decoder_table_included(const DecoderOptions *opts, const char *schema, const char *table)
{
	char	   *name = psprintf("%s.%s", schema, table);
	bool		result = filter_accepts(opts->include_list, opts->exclude_list, name);

	pfree(name);
	return result;
}

bool
decoder_message_included(const DecoderOptions *opts, const char *prefix)
{
	return filter_accepts(opts->message_include_list, opts->message_exclude_list, prefix);
}
