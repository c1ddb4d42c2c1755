/*
 * types.h
 *		Per-column value writers and schema fragments for Debezium's type
 *		mapping, resolved once per relation so the per-change path never
 *		consults the catalog.
 */
#ifndef PUB_DECODER_TYPES_H
#define PUB_DECODER_TYPES_H

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "decoder/options.h"

typedef enum ValueKind
{
	VK_BOOL,
	VK_INT2,
	VK_INT4,
	VK_INT8,
	VK_FLOAT4,
	VK_FLOAT8,
	VK_NUMERIC,
	VK_TEXT,
	VK_NAME,
	VK_CHAR,
	VK_BYTEA,
	VK_DATE,
	VK_TIME,
	VK_TIMETZ,
	VK_TIMESTAMP,
	VK_TIMESTAMPTZ,
	VK_UUID,
	VK_JSON,
	VK_ENUM,
	VK_INTERVAL,
	VK_ARRAY,
	VK_MONEY,
	VK_BITS,
	VK_POINT,
	VK_XML,
	VK_TSVECTOR,
	VK_OTHER					/* any other type: its text output as a string */
} ValueKind;

typedef struct ColumnType
{
	ValueKind	kind;
	Oid			typid;			/* after resolving domains */
	int32		typmod;
	int			precision;		/* numeric precision; fractional second digits */
	int			scale;			/* numeric scale; -1 when unconstrained */
	bool		millis;			/* time/timestamp written in milliseconds */
	bool		varlena;		/* TOAST placeholder possible */
	FmgrInfo	out;			/* output function, for kinds that need text */
	struct ColumnType *elem;	/* array element type */
	int16		elmlen;
	bool		elmbyval;
	char		elmalign;
	char	   *schema_head;	/* {"type":…[,"items":…] */
	char	   *schema_tail;	/* [,"name":…,"version":1][,"parameters":…] */
} ColumnType;

extern bool column_type_omitted(Oid typid);
extern void column_type_init(ColumnType *ct, Oid typid, int32 typmod,
							 const DecoderOptions *opts);
extern void column_type_write(StringInfo buf, const ColumnType *ct, Datum value,
							  const DecoderOptions *opts);
extern void column_type_write_zero(StringInfo buf, const ColumnType *ct,
								   const DecoderOptions *opts, bool as_default);
extern void column_type_write_unavailable(StringInfo buf, const ColumnType *ct,
										  const DecoderOptions *opts);
extern void column_type_write_schema(StringInfo buf, const ColumnType *ct, bool optional);

#endif							/* PUB_DECODER_TYPES_H */
