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
 * does not cover (NaN, infinities, more than 18 digits, digits beyond the
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

/* Add one base-10000 digit worth digit × 10^exp10 to *acc. */
static bool
add_digit(int64 *acc, int digit, int exp10)
{
	int64		term;

	if (digit == 0)
		return true;
	if (exp10 < 0)
	{
		/* a digit group reaching past the scale: only its zeros may */
		if (exp10 <= -4 || digit % pow10[-exp10] != 0)
			return false;
		term = digit / pow10[-exp10];
	}
	else if (exp10 >= (int) lengthof(pow10) ||
			 pg_mul_s64_overflow(digit, pow10[exp10], &term))
		return false;
	return !pg_add_s64_overflow(*acc, term, acc);
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
	for (int i = 0; header_len + (i + 1) * (int) sizeof(int16) <= len; i++)
	{
		int			digit = (int16) read_uint16(p + header_len + i * sizeof(int16));

		if (!add_digit(&acc, digit, 4 * (weight - i) + scale))
			return false;
	}
	*unscaled = negative ? -acc : acc;
	*used_scale = scale;
	return true;
}
