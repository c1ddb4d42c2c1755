/*
 * options.h
 *		The plugin's options, parsed once when a decoding session starts.
 */
#ifndef PUB_DECODER_OPTIONS_H
#define PUB_DECODER_OPTIONS_H

#include "nodes/pg_list.h"

typedef enum DecimalMode
{
	DECIMAL_PRECISE,
	DECIMAL_DOUBLE,
	DECIMAL_STRING
} DecimalMode;

typedef enum TimeMode
{
	TIME_ADAPTIVE,
	TIME_ADAPTIVE_MICRO,
	TIME_CONNECT
} TimeMode;

typedef enum BinaryMode
{
	BINARY_BYTES,
	BINARY_BASE64,
	BINARY_BASE64_URL,
	BINARY_HEX
} BinaryMode;

typedef enum OutputMode
{
	OUTPUT_VALUE,
	OUTPUT_RECORD
} OutputMode;

/*
 * Lines a streaming walsender packs into one message, in bytes: 64kB was
 * at or near the fastest of 8kB to 1MB, schemas on and off, in every run of
 * test/bench/batch_sizes.py (test/bench/RESULTS.md).
 */
#define DEFAULT_BATCH_BYTES (64 * 1024)

typedef struct DecoderOptions
{
	char	   *topic_prefix;
	bool		schemas_enable;
	DecimalMode decimal_mode;
	TimeMode	time_mode;
	BinaryMode	binary_mode;
	bool		transaction_metadata;
	bool		tombstones;
	List	   *include_list;	/* of regex_t *, NIL = everything */
	List	   *exclude_list;	/* of regex_t * */
	bool		skip_create;
	bool		skip_update;
	bool		skip_delete;
	bool		skip_truncate;
	List	   *message_include_list;	/* message prefixes, NIL = all */
	List	   *message_exclude_list;
	OutputMode	output;
	int			batch_bytes;	/* walsender message size to batch lines to, 0 = off */
	bool		mask_volatile;
} DecoderOptions;

extern void decoder_parse_options(DecoderOptions *opts, List *defel_list);
extern bool decoder_message_included(const DecoderOptions *opts, const char *prefix);
extern bool decoder_table_included(const DecoderOptions *opts,
								   const char *schema, const char *table);

#endif							/* PUB_DECODER_OPTIONS_H */
