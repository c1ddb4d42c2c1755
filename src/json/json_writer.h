/*
 * json_writer.h
 *		Appending JSON to a StringInfo the way Kafka Connect's JsonConverter
 *		(Jackson) writes it, so that our documents compare byte for byte.
 */
#ifndef PUB_JSON_WRITER_H
#define PUB_JSON_WRITER_H

#include "lib/stringinfo.h"
#include "utils/builtins.h"

/*
 * Inline appends for the per-event path: an event is built from dozens of
 * short pieces, and when there is room (almost always) each is a compare
 * and a copy rather than two calls into stringinfo.c.
 */
static inline void
json_reserve(StringInfo buf, int n)
{
	if (unlikely(buf->len + n >= buf->maxlen))
		enlargeStringInfo(buf, n);
}

static inline void
json_append_bytes(StringInfo buf, const char *s, int n)
{
	json_reserve(buf, n);
	memcpy(buf->data + buf->len, s, n);
	buf->len += n;
	buf->data[buf->len] = '\0';
}

static inline void
json_append_char(StringInfo buf, char c)
{
	json_reserve(buf, 1);
	buf->data[buf->len++] = c;
	buf->data[buf->len] = '\0';
}

/*
 * Writing in place: json_write_begin reserves at most n bytes and returns
 * where to write; json_write_end takes the new end and terminates.
 */
static inline char *
json_write_begin(StringInfo buf, int n)
{
	json_reserve(buf, n);
	return buf->data + buf->len;
}

static inline void
json_write_end(StringInfo buf, char *end)
{
	buf->len = end - buf->data;
	*end = '\0';
}

/* Integers are most of a row's numbers: inline, no call but the digits'. */
static inline void
json_append_uint64(StringInfo buf, uint64 v)
{
	char	   *p = json_write_begin(buf, MAXINT8LEN + 1);

	json_write_end(buf, p + pg_ulltoa_n(v, p));
}

static inline void
json_append_int64(StringInfo buf, int64 v)
{
	if (v < 0)
	{
		json_append_char(buf, '-');
		json_append_uint64(buf, (uint64) 0 - (uint64) v);
	}
	else
		json_append_uint64(buf, (uint64) v);
}

/* Append a C string literal without strlen at run time. */
#define json_append_lit(buf, lit) json_append_bytes((buf), (lit), sizeof(lit) - 1)

extern void json_append_string(StringInfo buf, const char *s, int len);
extern void json_append_cstring(StringInfo buf, const char *s);
extern void json_append_escaped(StringInfo buf, const char *s, int len);
extern void json_append_double(StringInfo buf, double v);
extern void json_append_float(StringInfo buf, float v);
extern void json_append_base64(StringInfo buf, const unsigned char *data, int len, bool url_safe);
extern void json_append_hex(StringInfo buf, const unsigned char *data, int len);
extern void json_append_decimal_digits(StringInfo buf, const char *numeric_text, int scale);
extern void json_append_decimal_int64(StringInfo buf, int64 unscaled);

#endif							/* PUB_JSON_WRITER_H */
