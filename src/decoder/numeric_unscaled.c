/*
 * numeric_unscaled.c
 *		A numeric datum's unscaled integer, read straight from its stored
 *		form, for Kafka Connect's Decimal.
 *
 * The precise decimal mode needs value × 10^scale as a big-endian integer.
 * Going through numeric_out and parsing the text back costs two
 * allocations and a pass over the digits for every value; reading the
 * base-10000 digits of the on-disk format (stable since PostgreSQL 9.1, as
 * pg_upgrade requires) costs a handful of multiplications.  Anything this
 * does not cover (NaN, infinities, beyond 64 bits, digits beyond the
 * scale) returns false and the caller takes the text path, so both paths
 * give the same bytes.
 */
#include "postgres.h"

#include "common/int.h"

#include "decoder/numeric_unscaled.h"

/* The header bits of numeric.c's NumericShort and NumericLong. */
#define NUMERIC_SIGN_MASK		0xC000
#define NUMERIC_NEG				0x4000
#define NUMERIC_SHORT			0x8000
#define NUMERIC_SPECIAL			0xC000
#define NUMERIC_DSCALE_MASK		0x3FFF
#define NUMERIC_SHORT_SIGN_MASK 0x2000
#define NUMERIC_SHORT_DSCALE_MASK 0x1F80
#define NUMERIC_SHORT_DSCALE_SHIFT 7
#define NUMERIC_SHORT_WEIGHT_SIGN_MASK 0x0040
#define NUMERIC_SHORT_WEIGHT_MASK 0x003F
#define NBASE					10000

static const int64 pow10[] = {
	INT64CONST(1), INT64CONST(10), INT64CONST(100), INT64CONST(1000),
	INT64CONST(10000), INT64CONST(100000), INT64CONST(1000000),
	INT64CONST(10000000), INT64CONST(100000000), INT64CONST(1000000000),
	INT64CONST(10000000000), INT64CONST(100000000000),
	INT64CONST(1000000000000), INT64CONST(10000000000000),
	INT64CONST(100000000000000), INT64CONST(1000000000000000),
	INT64CONST(10000000000000000), INT64CONST(100000000000000000),
	INT64CONST(1000000000000000000)
};

static uint16
read_uint16(const char *p)
{
	uint16		v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* *v × 10^exp10, false when it overflows or drops nonzero digits. */
static bool
rescale(int64 *v, int exp10)
{
	/* constant divisors: the compiler turns them into multiplications */
	switch (exp10)
	{
		case -1:
			if (*v % 10 != 0)
				return false;
			*v /= 10;
			return true;
		case -2:
			if (*v % 100 != 0)
				return false;
			*v /= 100;
			return true;
		case -3:
			if (*v % 1000 != 0)
				return false;
			*v /= 1000;
			return true;
		default:
			break;
	}
	if (exp10 < 0 || exp10 >= (int) lengthof(pow10))
		return false;
	return !pg_mul_s64_overflow(*v, pow10[exp10], v);
}

/*
 * *unscaled = value × 10^scale, with scale the given one, or the value's
 * display scale when scale < 0 (a numeric without typmod); *used_scale is
 * the scale applied.  The datum may be packed but not compressed or
 * external (decoded tuples are flattened).
 */
bool
numeric_unscaled_int64(Datum value, int scale, int64 *unscaled, int *used_scale)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(value);
	const char *p;
	int			len;
	uint16		header;
	bool		negative;
	int			weight;
	int			header_len;
	int			ndigits;
	int64		acc = 0;

	if (VARATT_IS_EXTENDED(v) && !VARATT_IS_SHORT(v))
		return false;
	p = VARDATA_ANY(v);
	len = VARSIZE_ANY_EXHDR(v);
	if (len < (int) sizeof(uint16))
		return false;
	header = read_uint16(p);
	if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SPECIAL)
		return false;
	if ((header & NUMERIC_SIGN_MASK) == NUMERIC_SHORT)
	{
		negative = (header & NUMERIC_SHORT_SIGN_MASK) != 0;
		if (scale < 0)
			scale = (header & NUMERIC_SHORT_DSCALE_MASK) >> NUMERIC_SHORT_DSCALE_SHIFT;
		weight = (header & NUMERIC_SHORT_WEIGHT_MASK) |
			((header & NUMERIC_SHORT_WEIGHT_SIGN_MASK) ? ~NUMERIC_SHORT_WEIGHT_MASK : 0);
		header_len = sizeof(uint16);
	}
	else
	{
		if (len < 2 * (int) sizeof(uint16))
			return false;
		negative = (header & NUMERIC_SIGN_MASK) == NUMERIC_NEG;
		if (scale < 0)
			scale = header & NUMERIC_DSCALE_MASK;
		weight = (int16) read_uint16(p + sizeof(uint16));
		header_len = 2 * sizeof(uint16);
	}
	/* acc = the digits as one integer = value × 10000^(ndigits - 1 - weight) */
	ndigits = (len - header_len) / (int) sizeof(int16);
	for (int i = 0; i < ndigits; i++)
	{
		int			digit = (int16) read_uint16(p + header_len + i * sizeof(int16));

		if (pg_mul_s64_overflow(acc, NBASE, &acc) || pg_add_s64_overflow(acc, digit, &acc))
			return false;
	}
	/* stored digits carry no trailing zero groups, so this rarely divides */
	if (ndigits > 0 && !rescale(&acc, scale - 4 * (ndigits - 1 - weight)))
		return false;
	*unscaled = negative ? -acc : acc;
	*used_scale = scale;
	return true;
}
