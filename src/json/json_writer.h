/*
 * json_writer.h
 *		Appending JSON to a StringInfo the way Kafka Connect's JsonConverter
 *		(Jackson) writes it, so that our documents compare byte for byte.
 */
#ifndef PUB_JSON_WRITER_H
#define PUB_JSON_WRITER_H

#include "lib/stringinfo.h"

/* Append a C string literal without strlen at run time. */
#define json_append_lit(buf, lit) appendBinaryStringInfo((buf), (lit), sizeof(lit) - 1)

extern void json_append_string(StringInfo buf, const char *s, int len);
extern void json_append_cstring(StringInfo buf, const char *s);
extern void json_append_escaped(StringInfo buf, const char *s, int len);
extern void json_append_int64(StringInfo buf, int64 v);
extern void json_append_uint64(StringInfo buf, uint64 v);
extern void json_append_double(StringInfo buf, double v);
extern void json_append_float(StringInfo buf, float v);
extern void json_append_base64(StringInfo buf, const unsigned char *data, int len, bool url_safe);
extern void json_append_hex(StringInfo buf, const unsigned char *data, int len);
extern void json_append_decimal_digits(StringInfo buf, const char *numeric_text, int scale);

#endif							/* PUB_JSON_WRITER_H */
