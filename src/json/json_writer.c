/*
 * json_writer.c
 *		JSON text exactly as Kafka Connect's JsonConverter writes it.
 *
 * JsonConverter serializes with Jackson: strings escape only '"', '\\' and
 * control characters (\uXXXX in upper-case hex, short forms for \b \t \n
 * \f \r) and characters beyond the BMP (as UTF-16 surrogate pairs, since
 * Java strings are UTF-16); floating point numbers use Java's Float/Double.toString layout
 * ("1.0", "1.0E10", "1.0E-4"), and NaN/Infinity are quoted strings; bytes are
 * standard base64 with padding.  Matching these rules is what lets a consumer
 * not tell our events from Debezium's.
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "port/pg_bitutils.h"
#include "utils/builtins.h"

#include "json/json_writer.h"

static const char hex_upper[] = "0123456789ABCDEF";
static const char hex_lower[] = "0123456789abcdef";

/*
 * What a byte needs: 0 = nothing, else its short escape, 'u' (\u00XX) or
 * 'S' (the lead byte of a 4-byte UTF-8 sequence: a surrogate pair).  One
 * look-up per byte keeps the common case a tight loop.
 */
static const char escape_table[256] = {
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'b', 't', 'n', 'u', 'f', 'r', 'u', 'u',
	'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u',
	0, 0, '"', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '\\', 0, 0, 0,
	[0xF0] = 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'S', 'S',
};

/*
 * A character beyond the Basic Multilingual Plane (a 4-byte UTF-8 sequence)
 * as Jackson writes it: an escaped UTF-16 surrogate pair, upper-case hex.
 */
static void
append_surrogate_pair(StringInfo buf, const unsigned char *p)
{
	uint32		cp = ((p[0] & 0x07) << 18) | ((p[1] & 0x3F) << 12) |
		((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
	uint32		units[2] = {0xD800 + ((cp - 0x10000) >> 10), 0xDC00 + ((cp - 0x10000) & 0x3FF)};

	for (int i = 0; i < 2; i++)
	{
		char		u[6] = {'\\', 'u', hex_upper[units[i] >> 12], hex_upper[(units[i] >> 8) & 15],
		hex_upper[(units[i] >> 4) & 15], hex_upper[units[i] & 15]};

		json_append_bytes(buf, u, 6);
	}
}

/* Append the escaped body of a string, without the surrounding quotes. */
void
json_append_escaped(StringInfo buf, const char *s, int len)
{
	int			start = 0;

	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];
		char		esc = escape_table[c];

		if (likely(esc == 0))
			continue;
		if (esc == 'S')
		{
			if (i + 3 >= len)
				continue;
			if (i > start)
				json_append_bytes(buf, s + start, i - start);
			append_surrogate_pair(buf, (const unsigned char *) s + i);
			i += 3;
			start = i + 1;
			continue;
		}
		if (i > start)
			json_append_bytes(buf, s + start, i - start);
		json_append_char(buf, '\\');
		if (esc == 'u')
		{
			char		u[5] = {'u', '0', '0', hex_upper[c >> 4], hex_upper[c & 15]};

			json_append_bytes(buf, u, 5);
		}
		else
			json_append_char(buf, esc);
		start = i + 1;
	}
	if (len > start)
		json_append_bytes(buf, s + start, len - start);
}

void
json_append_string(StringInfo buf, const char *s, int len)
{
	json_append_char(buf, '"');
	json_append_escaped(buf, s, len);
	json_append_char(buf, '"');
}

void
json_append_cstring(StringInfo buf, const char *s)
{
	json_append_string(buf, s, strlen(s));
}

/*
 * Re-lay the shortest round-trip digits that PostgreSQL's Ryu produces
 * ("1.5e-05", "123.25", "1e+22") in Java's toString layout: plain notation
 * with at least one fractional digit for 1e-3 <= |v| < 1e7, otherwise
 * d.dddE<exp>.
 */
static void
append_java_layout(StringInfo buf, const char *ryu)
{
	char		digits[32];
	int			ndigits = 0;
	int			intlen = -1;
	int			exp10 = 0;
	int			e;
	const char *p = ryu;

	if (*p == '-')
	{
		json_append_char(buf, '-');
		p++;
	}
	for (; *p && *p != 'e'; p++)
	{
		if (*p == '.')
			intlen = ndigits;
		else if (ndigits < (int) sizeof(digits))
			digits[ndigits++] = *p;
	}
	if (intlen < 0)
		intlen = ndigits;
	if (*p == 'e')
		exp10 = atoi(p + 1);
	/* strip leading zeros (each moves the decimal point) and trailing ones */
	{
		int			lead = 0;

		while (lead < ndigits && digits[lead] == '0')
			lead++;
		memmove(digits, digits + lead, ndigits - lead);
		ndigits -= lead;
		intlen -= lead;
		while (ndigits > 0 && digits[ndigits - 1] == '0')
			ndigits--;
	}
	if (ndigits == 0)
	{
		json_append_lit(buf, "0.0");
		return;
	}
	e = intlen - 1 + exp10;		/* value = d.ddd x 10^e */
	if (e >= -3 && e < 7)
	{
		if (e >= 0)
		{
			for (int i = 0; i <= e; i++)
				json_append_char(buf, i < ndigits ? digits[i] : '0');
			json_append_char(buf, '.');
			if (ndigits > e + 1)
				json_append_bytes(buf, digits + e + 1, ndigits - e - 1);
			else
				json_append_char(buf, '0');
		}
		else
		{
			json_append_lit(buf, "0.");
			for (int i = 0; i < -e - 1; i++)
				json_append_char(buf, '0');
			json_append_bytes(buf, digits, ndigits);
		}
		return;
	}
	json_append_char(buf, digits[0]);
	json_append_char(buf, '.');
	if (ndigits > 1)
		json_append_bytes(buf, digits + 1, ndigits - 1);
	else
		json_append_char(buf, '0');
	json_append_char(buf, 'E');
	json_append_int64(buf, e);
}

/* Jackson quotes non-finite numbers (QUOTE_NON_NUMERIC_NUMBERS is on). */
static bool
append_non_finite(StringInfo buf, double v)
{
	if (isnan(v))
		json_append_lit(buf, "\"NaN\"");
	else if (isinf(v))
	{
		if (v > 0)
			json_append_lit(buf, "\"Infinity\"");
		else
			json_append_lit(buf, "\"-Infinity\"");
	}
	else
		return false;
	return true;
}

void
json_append_double(StringInfo buf, double v)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (append_non_finite(buf, v))
		return;
	double_to_shortest_decimal_buf(v, tmp);
	append_java_layout(buf, tmp);
}

void
json_append_float(StringInfo buf, float v)
{
	char		tmp[FLOAT_SHORTEST_DECIMAL_LEN];

	if (append_non_finite(buf, v))
		return;
	float_to_shortest_decimal_buf(v, tmp);
	append_java_layout(buf, tmp);
}

/* Quoted base64 (RFC 4648, with padding), standard or URL-safe alphabet. */
void
json_append_base64(StringInfo buf, const unsigned char *data, int len, bool url_safe)
{
	const char *alphabet = url_safe
		? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	int			i;
	char	   *out;

	enlargeStringInfo(buf, (len + 2) / 3 * 4 + 2);
	out = buf->data + buf->len;
	*out++ = '"';
	for (i = 0; i + 2 < len; i += 3)
	{
		uint32		w = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];

		*out++ = alphabet[(w >> 18) & 63];
		*out++ = alphabet[(w >> 12) & 63];
		*out++ = alphabet[(w >> 6) & 63];
		*out++ = alphabet[w & 63];
	}
	if (i < len)
	{
		uint32		w = data[i] << 16;

		if (i + 1 < len)
			w |= data[i + 1] << 8;
		*out++ = alphabet[(w >> 18) & 63];
		*out++ = alphabet[(w >> 12) & 63];
		*out++ = (i + 1 < len) ? alphabet[(w >> 6) & 63] : '=';
		*out++ = '=';
	}
	*out++ = '"';
	buf->len = out - buf->data;
	buf->data[buf->len] = '\0';
}

/* Quoted lower-case hex, as Debezium's binary.handling.mode=hex. */
void
json_append_hex(StringInfo buf, const unsigned char *data, int len)
{
	char	   *out;

	enlargeStringInfo(buf, len * 2 + 2);
	out = buf->data + buf->len;
	*out++ = '"';
	for (int i = 0; i < len; i++)
	{
		*out++ = hex_lower[data[i] >> 4];
		*out++ = hex_lower[data[i] & 15];
	}
	*out++ = '"';
	buf->len = out - buf->data;
	buf->data[buf->len] = '\0';
}

/*
 * Kafka Connect's Decimal: the unscaled value as Java's
 * BigInteger.toByteArray() gives it (big-endian two's complement, minimal
 * length, at least one byte), then base64.  Input is a plain decimal string
 * such as "-12.30"; its digits are rescaled to 'scale' places.
 */
void
json_append_decimal_digits(StringInfo buf, const char *text, int scale)
{
	bool		negative = false;
	int			fraction = -1;
	int			cap = (strlen(text) + Max(scale, 0)) / 2 + 3;
	unsigned char *mag = palloc0(cap);	/* little-endian magnitude */
	int			used = 1;
	unsigned char *out;
	int			n;

	if (*text == '-')
	{
		negative = true;
		text++;
	}
	for (const char *p = text;; p++)
	{
		int			digit;

		if (*p == '.')
		{
			fraction = 0;
			continue;
		}
		if (*p == '\0')
		{
			if (fraction < 0)
				fraction = 0;
			if (fraction >= scale)
				break;
			digit = 0;			/* pad with zeros up to the scale */
			p--;
		}
		else
		{
			if (fraction >= scale)
				continue;		/* already rounded by the type's typmod */
			digit = *p - '0';
		}
		if (fraction >= 0)
			fraction++;
		/* mag = mag * 10 + digit */
		{
			int			carry = digit;

			for (int i = 0; i < used; i++)
			{
				int			v = mag[i] * 10 + carry;

				mag[i] = v & 0xFF;
				carry = v >> 8;
			}
			if (carry && used < cap)
				mag[used++] = carry;
		}
	}
	/* two's complement, little-endian, with room for a sign byte */
	if (negative)
	{
		int			carry = 1;

		for (int i = 0; i < used; i++)
		{
			int			v = (unsigned char) ~mag[i] + carry;

			mag[i] = v & 0xFF;
			carry = v >> 8;
		}
		if (used < cap)
			mag[used++] = 0xFF;
	}
	else if (used < cap)
		mag[used++] = 0;
	/* drop redundant sign bytes, as BigInteger does */
	while (used > 1 &&
		   ((mag[used - 1] == 0 && !(mag[used - 2] & 0x80)) ||
			(mag[used - 1] == 0xFF && (mag[used - 2] & 0x80))))
		used--;
	out = palloc(used);
	for (n = 0; n < used; n++)
		out[n] = mag[used - 1 - n];
	json_append_base64(buf, out, used, false);
	pfree(out);
	pfree(mag);
}

/*
 * Kafka Connect's Decimal of an unscaled value that fits in 64 bits: the
 * same bytes as json_append_decimal_digits, without the text.  Java's
 * BigInteger.toByteArray() takes bitLength / 8 + 1 bytes, where bitLength
 * of a negative value is that of its complement.
 */
void
json_append_decimal_int64(StringInfo buf, int64 unscaled)
{
	uint64		u = (uint64) unscaled;
	uint64		mag = unscaled < 0 ? ~u : u;
	int			nbytes = mag == 0 ? 1 : (pg_leftmost_one_pos64(mag) + 1) / 8 + 1;
	unsigned char bytes[sizeof(int64)];

	for (int i = nbytes - 1; i >= 0; i--, u >>= 8)
		bytes[i] = u & 0xFF;
	json_append_base64(buf, bytes, nbytes, false);
}
