/*
 * relation_cache.h
 *		Per-relation metadata of the decoder: topic, key columns, column
 *		writers and the pre-rendered JSON fragments of its Debezium schemas.
 */
#ifndef PUB_DECODER_RELATION_CACHE_H
#define PUB_DECODER_RELATION_CACHE_H

#include "utils/rel.h"

#include "decoder/options.h"
#include "decoder/types.h"

typedef struct RelColumn
{
	int			attidx;			/* index in the relation's TupleDesc */
	bool		notnull;
	char	   *field;			/* ,"name": already escaped, with leading comma */
	int			field_len;
	char	   *default_json;	/* the schema's "default", NULL for none */
	ColumnType	type;
} RelColumn;

typedef struct RelationEntry
{
	Oid			relid;			/* hash key */
	bool		valid;
	bool		included;		/* passes table.include/exclude.list */
	MemoryContext cxt;			/* everything below lives here */
	char		replident;
	char	   *topic;
	int			topic_len;
	char	   *data_collection;	/* "schema.table" */
	int			ncols;
	RelColumn  *cols;
	int			nkeys;
	int		   *keys;			/* indexes into cols, key order */
	char	   *key_head;		/* {"schema":…,"payload": or empty */
	int			key_head_len;
	char	   *value_head;		/* {"schema":…,"payload": or empty */
	int			value_head_len;
	char	   *source_table;	/* ,"schema":"…","table":"…","txId": */
	int			source_table_len;
	/* transaction metadata: events of this table in the current transaction */
	uint64		txn_serial;
	int64		txn_events;
	struct RelationEntry *txn_next;
} RelationEntry;

extern void relation_cache_init(MemoryContext parent, const DecoderOptions *opts);
extern void relation_cache_destroy(void);
extern RelationEntry *relation_cache_get(Relation rel);

#endif							/* PUB_DECODER_RELATION_CACHE_H */
