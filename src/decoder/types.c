/*
 * types.c
 *		Debezium's PostgreSQL type mapping: the schema fragment of each column
 *		and the writer of its values.
 *
 * Everything that depends on the catalog (base type of a domain, typmod,
 * enum labels, output functions) is resolved in column_type_init, once per
 * relation; column_type_write only formats.  Integers, booleans, dates and
 * times are formatted directly rather than through output functions, which
 * is most of the speed of the hot path.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "utils/array.h"
#include "utils/cash.h"
#include "utils/geo_decls.h"
#include "utils/varbit.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "decoder/numeric_unscaled.h"
#include "decoder/types.h"
#include "json/json_writer.h"

#define UNAVAILABLE_VALUE "__debezium_unavailable_value"
#define UNIX_EPOCH_OFFSET_US ((int64) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY)
#define DEFAULT_FRACTION_DIGITS 6
#define DAYS_PER_MONTH_AVG 30.4375	/* Debezium's MicroDuration constant */

/*
 * Debezium's stand-ins for PostgreSQL's infinite dates and timestamps, as it
 * writes them: epoch microseconds (milliseconds are these / 1000) and epoch
 * days (of year -5877611, the sign notwithstanding).
 */
#define POS_INFINITY_US INT64CONST(9223372036825200000)
#define NEG_INFINITY_US INT64CONST(-9223372036832400000)
#define POS_INFINITY_DAYS INT64CONST(-2147472692)
#define NEG_INFINITY_DAYS INT64CONST(-2147472691)

static ValueKind
kind_of(Oid typid)
{
	switch (typid)
	{
		case BOOLOID: return VK_BOOL;
		case INT2OID: return VK_INT2;
		case INT4OID: return VK_INT4;
		case OIDOID: return VK_INT8;
		case INT8OID: return VK_INT8;
		case FLOAT4OID: return VK_FLOAT4;
		case FLOAT8OID: return VK_FLOAT8;
		case NUMERICOID: return VK_NUMERIC;
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID: return VK_TEXT;
		case NAMEOID: return VK_NAME;
		case CHAROID: return VK_CHAR;
		case BYTEAOID: return VK_BYTEA;
		case DATEOID: return VK_DATE;
		case TIMEOID: return VK_TIME;
		case TIMETZOID: return VK_TIMETZ;
		case TIMESTAMPOID: return VK_TIMESTAMP;
		case TIMESTAMPTZOID: return VK_TIMESTAMPTZ;
		case UUIDOID: return VK_UUID;
		case JSONOID:
		case JSONBOID: return VK_JSON;
		case INTERVALOID: return VK_INTERVAL;
		case CASHOID: return VK_MONEY;
		case BITOID:
		case VARBITOID: return VK_BITS;
		case POINTOID: return VK_POINT;
		case XMLOID: return VK_XML;
		case TSVECTOROID: return VK_TSVECTOR;
		default:
			break;
	}
	if (type_is_enum(typid))
		return VK_ENUM;
	if (OidIsValid(get_element_type(typid)))
		return VK_ARRAY;
	return VK_OTHER;
}

/* Debezium leaves columns of these types out of schema and value alike. */
bool
column_type_omitted(Oid typid)
{
	typid = getBaseType(typid);
	return typid == XIDOID || typid == XID8OID || typid == PG_LSNOID;
}

/* Fractional-second digits of a time/timestamp typmod (-1 means 6). */
static int
fraction_digits(int32 typmod)
{
	return typmod < 0 ? DEFAULT_FRACTION_DIGITS : typmod;
}

/* The enum's labels in sort order, comma-separated, as Debezium's "allowed". */
static char *
enum_allowed(Oid typid)
{
	CatCList   *list = SearchSysCacheList1(ENUMTYPOIDNAME, ObjectIdGetDatum(typid));
	int			n = list->n_members;
	HeapTuple  *sorted = palloc(sizeof(HeapTuple) * Max(n, 1));
	StringInfoData buf;

	for (int i = 0; i < n; i++)
		sorted[i] = &list->members[i]->tuple;
	/* insertion sort by enumsortorder: enums are short */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 &&
			 ((Form_pg_enum) GETSTRUCT(sorted[j - 1]))->enumsortorder >
			 ((Form_pg_enum) GETSTRUCT(sorted[j]))->enumsortorder; j--)
		{
			HeapTuple	t = sorted[j];

			sorted[j] = sorted[j - 1];
			sorted[j - 1] = t;
		}
	initStringInfo(&buf);
	for (int i = 0; i < n; i++)
		appendStringInfo(&buf, "%s%s", i ? "," : "",
						 NameStr(((Form_pg_enum) GETSTRUCT(sorted[i]))->enumlabel));
	ReleaseSysCacheList(list);
	pfree(sorted);
	return buf.data;
}

static void
logical(StringInfo tail, const char *name)
{
	appendStringInfo(tail, ",\"name\":\"%s\",\"version\":1", name);
}

static const char *
time_type_name(const ColumnType *ct, const DecoderOptions *opts)
{
	if (ct->kind == VK_DATE)
		return opts->time_mode == TIME_CONNECT ? "org.apache.kafka.connect.data.Date" : "io.debezium.time.Date";
	if (ct->kind == VK_TIME)
	{
		if (opts->time_mode == TIME_CONNECT)
			return "org.apache.kafka.connect.data.Time";
		return ct->millis ? "io.debezium.time.Time" : "io.debezium.time.MicroTime";
	}
	if (opts->time_mode == TIME_CONNECT)
		return "org.apache.kafka.connect.data.Timestamp";
	return ct->millis ? "io.debezium.time.Timestamp" : "io.debezium.time.MicroTimestamp";
}

static void
numeric_schema(ColumnType *ct, StringInfo head, StringInfo tail, const DecoderOptions *opts)
{
	if (opts->decimal_mode == DECIMAL_DOUBLE)
		appendStringInfoString(head, "{\"type\":\"double\"");
	else if (opts->decimal_mode == DECIMAL_STRING)
		appendStringInfoString(head, "{\"type\":\"string\"");
	else if (ct->scale >= 0)
	{
		appendStringInfoString(head, "{\"type\":\"bytes\"");
		logical(tail, "org.apache.kafka.connect.data.Decimal");
		appendStringInfo(tail, ",\"parameters\":{\"scale\":\"%d\",\"connect.decimal.precision\":\"%d\"}",
						 ct->scale, ct->precision);
	}
	else
	{
		appendStringInfoString(head, "{\"type\":\"struct\",\"fields\":["
							   "{\"type\":\"int32\",\"optional\":false,\"field\":\"scale\"},"
							   "{\"type\":\"bytes\",\"optional\":false,\"field\":\"value\"}]");
		logical(tail, "io.debezium.data.VariableScaleDecimal");
		appendStringInfoString(tail, ",\"doc\":\"Variable scaled decimal\"");
	}
}

static void
build_schema(ColumnType *ct, const DecoderOptions *opts)
{
	StringInfoData head;
	StringInfoData tail;

	initStringInfo(&head);
	initStringInfo(&tail);
	switch (ct->kind)
	{
		case VK_BOOL: appendStringInfoString(&head, "{\"type\":\"boolean\""); break;
		case VK_INT2: appendStringInfoString(&head, "{\"type\":\"int16\""); break;
		case VK_INT4: appendStringInfoString(&head, "{\"type\":\"int32\""); break;
		case VK_INT8: appendStringInfoString(&head, "{\"type\":\"int64\""); break;
		case VK_FLOAT4: appendStringInfoString(&head, "{\"type\":\"float\""); break;
		case VK_FLOAT8: appendStringInfoString(&head, "{\"type\":\"double\""); break;
		case VK_NUMERIC: numeric_schema(ct, &head, &tail, opts); break;
		case VK_BYTEA:
			appendStringInfoString(&head, opts->binary_mode == BINARY_BYTES
								   ? "{\"type\":\"bytes\"" : "{\"type\":\"string\"");
			break;
		case VK_DATE:
			appendStringInfoString(&head, "{\"type\":\"int32\"");
			logical(&tail, time_type_name(ct, opts));
			break;
		case VK_TIME:
			appendStringInfoString(&head, ct->millis ? "{\"type\":\"int32\"" : "{\"type\":\"int64\"");
			logical(&tail, time_type_name(ct, opts));
			break;
		case VK_TIMESTAMP:
		case VK_INTERVAL:
			appendStringInfoString(&head, "{\"type\":\"int64\"");
			logical(&tail, ct->kind == VK_INTERVAL ? "io.debezium.time.MicroDuration"
					: time_type_name(ct, opts));
			break;
		case VK_TIMETZ:
			appendStringInfoString(&head, "{\"type\":\"string\"");
			logical(&tail, "io.debezium.time.ZonedTime");
			break;
		case VK_TIMESTAMPTZ:
			appendStringInfoString(&head, "{\"type\":\"string\"");
			logical(&tail, "io.debezium.time.ZonedTimestamp");
			break;
		case VK_UUID:
			appendStringInfoString(&head, "{\"type\":\"string\"");
			logical(&tail, "io.debezium.data.Uuid");
			break;
		case VK_JSON:
			appendStringInfoString(&head, "{\"type\":\"string\"");
			logical(&tail, "io.debezium.data.Json");
			break;
		case VK_ENUM:
			appendStringInfoString(&head, "{\"type\":\"string\"");
			logical(&tail, "io.debezium.data.Enum");
			appendStringInfoString(&tail, ",\"parameters\":{\"allowed\":");
			json_append_cstring(&tail, enum_allowed(ct->typid));
			json_append_char(&tail, '}');
			break;
		case VK_ARRAY:
			appendStringInfoString(&head, "{\"type\":\"array\",\"items\":");
			/* Debezium's enum items alone are not optional */
			column_type_write_schema(&head, ct->elem, ct->elem->kind != VK_ENUM);
			json_append_char(&head, '}');
			break;
		case VK_MONEY:
			if (opts->decimal_mode == DECIMAL_PRECISE)
			{
				appendStringInfoString(&head, "{\"type\":\"bytes\"");
				logical(&tail, "org.apache.kafka.connect.data.Decimal");
				appendStringInfoString(&tail, ",\"parameters\":{\"scale\":\"2\"}");
			}
			else
				appendStringInfo(&head, "{\"type\":\"%s\"",
								 opts->decimal_mode == DECIMAL_DOUBLE ? "double" : "string");
			break;
		case VK_BITS:
			appendStringInfoString(&head, "{\"type\":\"bytes\"");
			logical(&tail, "io.debezium.data.Bits");
			appendStringInfo(&tail, ",\"parameters\":{\"length\":\"%d\"}",
							 ct->typmod > 0 ? ct->typmod : PG_INT32_MAX);
			break;
		case VK_POINT:
			appendStringInfoString(&head, "{\"type\":\"struct\",\"fields\":["
								   "{\"type\":\"double\",\"optional\":false,\"field\":\"x\"},"
								   "{\"type\":\"double\",\"optional\":false,\"field\":\"y\"},"
								   "{\"type\":\"bytes\",\"optional\":true,\"field\":\"wkb\"},"
								   "{\"type\":\"int32\",\"optional\":true,\"field\":\"srid\"}]");
			logical(&tail, "io.debezium.data.geometry.Point");
			appendStringInfoString(&tail, ",\"doc\":\"Geometry (POINT)\"");
			break;
		case VK_XML:
			appendStringInfoString(&head, "{\"type\":\"string\"");
			logical(&tail, "io.debezium.data.Xml");
			break;
		case VK_TSVECTOR:
			appendStringInfoString(&head, "{\"type\":\"string\"");
			logical(&tail, "io.debezium.data.Tsvector");
			break;
		case VK_TEXT:
		case VK_NAME:
		case VK_CHAR:
		case VK_OTHER:
			appendStringInfoString(&head, "{\"type\":\"string\"");
			break;
	}
	ct->schema_head = head.data;
	ct->schema_tail = tail.data;
}

void
column_type_init(ColumnType *ct, Oid typid, int32 typmod, const DecoderOptions *opts)
{
	Oid			outfunc;
	bool		isvarlena;

	memset(ct, 0, sizeof(*ct));
	/* a domain is written as its base type, as Debezium does */
	ct->typid = getBaseTypeAndTypmod(typid, &typmod);
	ct->typmod = typmod;
	ct->kind = kind_of(ct->typid);
	ct->scale = -1;
	getTypeOutputInfo(ct->typid, &outfunc, &isvarlena);
	fmgr_info(outfunc, &ct->out);
	ct->varlena = get_typlen(ct->typid) == -1;

	if (ct->kind == VK_NUMERIC && typmod >= (int32) VARHDRSZ)
	{
		ct->precision = ((typmod - VARHDRSZ) >> 16) & 0xffff;
		ct->scale = (((typmod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024;
	}
	else if (ct->kind == VK_TIME || ct->kind == VK_TIMESTAMP ||
			 ct->kind == VK_TIMESTAMPTZ || ct->kind == VK_TIMETZ)
	{
		ct->precision = fraction_digits(typmod);
		if (opts->time_mode == TIME_CONNECT)
			ct->millis = true;
		else if (opts->time_mode == TIME_ADAPTIVE)
			ct->millis = ct->precision <= 3;
		else			/* adaptive_time_microseconds: only time changes */
			ct->millis = ct->kind != VK_TIME && ct->precision <= 3;
	}
	else if (ct->kind == VK_ARRAY)
	{
		Oid			elemtype = get_element_type(ct->typid);

		ct->elem = palloc(sizeof(ColumnType));
		column_type_init(ct->elem, elemtype, typmod, opts);
		get_typlenbyvalalign(elemtype, &ct->elmlen, &ct->elmbyval, &ct->elmalign);
	}
	build_schema(ct, opts);
}

/*
 * A schema without its closing brace: the caller may still add "default"
 * and "field", which JsonConverter writes last.
 */
void
column_type_write_schema(StringInfo buf, const ColumnType *ct, bool optional)
{
	appendStringInfoString(buf, ct->schema_head);
	if (optional)
		json_append_lit(buf, ",\"optional\":true");
	else
		json_append_lit(buf, ",\"optional\":false");
	appendStringInfoString(buf, ct->schema_tail);
}

static void
write_binary(StringInfo buf, const unsigned char *data, int len, const DecoderOptions *opts)
{
	if (opts->binary_mode == BINARY_HEX)
		json_append_hex(buf, data, len);
	else
		json_append_base64(buf, data, len, opts->binary_mode == BINARY_BASE64_URL);
}

static void
write_text_datum(StringInfo buf, Datum value)
{
	struct varlena *v = pg_detoast_datum_packed((struct varlena *) DatumGetPointer(value));

	json_append_string(buf, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
}

static void
write_via_output(StringInfo buf, const ColumnType *ct, Datum value)
{
	json_append_cstring(buf, OutputFunctionCall((FmgrInfo *) &ct->out, value));
}

static void
write_numeric(StringInfo buf, const ColumnType *ct, Datum value, const DecoderOptions *opts)
{
	Numeric		num;
	char	   *text;
	int64		unscaled;
	int			scale;

	if (opts->decimal_mode == DECIMAL_PRECISE &&
		numeric_unscaled_int64(value, ct->scale, &unscaled, &scale))
	{
		if (ct->scale >= 0)
			json_append_decimal_int64(buf, unscaled);
		else
		{
			json_append_lit(buf, "{\"scale\":");
			json_append_int64(buf, scale);
			json_append_lit(buf, ",\"value\":");
			json_append_decimal_int64(buf, unscaled);
			json_append_char(buf, '}');
		}
		return;
	}
	num = DatumGetNumeric(value);
	if (opts->decimal_mode == DECIMAL_DOUBLE)
	{
		json_append_double(buf, DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, value)));
		return;
	}
	text = DatumGetCString(DirectFunctionCall1(numeric_out, value));
	if (opts->decimal_mode == DECIMAL_STRING)
	{
		/* Debezium spells it as Java's BigDecimal special value does */
		json_append_cstring(buf, numeric_is_nan(num) ? "NAN" : text);
		return;
	}
	/* Kafka's Decimal has no NaN or infinity: Debezium writes null */
	if (numeric_is_nan(num) || numeric_is_inf(num))
	{
		json_append_lit(buf, "null");
		return;
	}
	if (ct->scale >= 0)
		json_append_decimal_digits(buf, text, ct->scale);
	else
	{
		const char *dot = strchr(text, '.');
		int			scale = dot ? (int) strlen(dot + 1) : 0;

		json_append_lit(buf, "{\"scale\":");
		json_append_int64(buf, scale);
		json_append_lit(buf, ",\"value\":");
		json_append_decimal_digits(buf, text, scale);
		json_append_char(buf, '}');
	}
}

/* Room that put_date_ymd and put_time_of_day need at most. */
#define DATE_YMD_MAX 24
#define TIME_OF_DAY_MAX 24

/* v as exactly 'width' zero-padded digits (v >= 0, fits in width). */
static char *
put_padded(char *p, int64 v, int width)
{
	for (int i = width - 1; i >= 0; i--)
	{
		p[i] = '0' + v % 10;
		v /= 10;
	}
	return p + width;
}

/* v (0..99) as two digits: months, days and clock fields, without a loop. */
static inline char *
put_two(char *p, int v)
{
	Assert(v >= 0 && v < 100);
	p[0] = '0' + v / 10;
	p[1] = '0' + v % 10;
	return p + 2;
}

/* Java's ISO layout of a LocalDate: 4-digit year, signed beyond 0..9999. */
static char *
put_date_ymd(char *p, int year, int month, int day)
{
	if (year > 9999)
	{
		*p++ = '+';
		p += pg_ltoa(year, p);
	}
	else if (year < 0)
	{
		*p++ = '-';
		p = put_padded(p, -year, 4);
	}
	else
		p = put_padded(p, year, 4);
	*p++ = '-';
	p = put_two(p, month);
	*p++ = '-';
	return put_two(p, day);
}

/* Microseconds of a second (0..999999) as six digits. */
static char *
put_micros(char *p, int frac)
{
	p = put_two(p, frac / 10000);
	p = put_two(p, frac / 100 % 100);
	return put_two(p, frac % 100);
}

/*
 * hh:mm:ss and the fraction: 'width' digits when 1..9 (Debezium pads to the
 * column's precision), else as few as needed, none for whole seconds.
 */
static char *
put_time_of_day(char *p, int64 us, int width)
{
	int			frac = us % USECS_PER_SEC;
	int			secs = us / USECS_PER_SEC;	/* us is within a day */

	p = put_two(p, secs / 3600);
	*p++ = ':';
	p = put_two(p, secs / 60 % 60);
	*p++ = ':';
	p = put_two(p, secs % 60);
	if (width >= 1 && width <= 9)
	{
		*p++ = '.';
		if (width <= 6)
		{
			static const int divisor[] = {1000000, 100000, 10000, 1000, 100, 10, 1};

			/* six digits, the default precision, go two at a time */
			if (width == 6)
				return put_micros(p, frac);
			return put_padded(p, frac / divisor[width], width);
		}
		p = put_padded(p, frac, 6);
		return put_padded(p, 0, width - 6);
	}
	if (frac != 0)
	{
		int			len = 6;

		while (frac % 10 == 0)
		{
			frac /= 10;
			len--;
		}
		*p++ = '.';
		p = put_padded(p, frac, len);
	}
	return p;
}

/* Days since the Unix epoch as a date; rows in a run mostly share the day. */
static void
unix_days_to_ymd(int64 days, int *year, int *month, int *day)
{
	static int64 last_days = PG_INT64_MIN;
	static int	last_year,
				last_month,
				last_day;

	if (days != last_days)
	{
		j2date(days + UNIX_EPOCH_JDATE, &last_year, &last_month, &last_day);
		last_days = days;
	}
	*year = last_year;
	*month = last_month;
	*day = last_day;
}

static void
write_timestamptz(StringInfo buf, const ColumnType *ct, TimestampTz ts)
{
	int64		unix_us;
	int64		days;
	int64		tod;
	int			year,
				month,
				day;
	char	   *p;

	if (TIMESTAMP_IS_NOBEGIN(ts))
	{
		json_append_lit(buf, "\"-infinity\"");
		return;
	}
	if (TIMESTAMP_IS_NOEND(ts))
	{
		json_append_lit(buf, "\"infinity\"");
		return;
	}
	unix_us = ts + UNIX_EPOCH_OFFSET_US;
	days = unix_us / USECS_PER_DAY;
	tod = unix_us % USECS_PER_DAY;
	if (tod < 0)
	{
		tod += USECS_PER_DAY;
		days--;
	}
	unix_days_to_ymd(days, &year, &month, &day);
	p = json_write_begin(buf, DATE_YMD_MAX + TIME_OF_DAY_MAX + 4);
	*p++ = '"';
	p = put_date_ymd(p, year, month, day);
	*p++ = 'T';
	p = put_time_of_day(p, tod, ct->precision > 0 ? ct->precision : 0);
	*p++ = 'Z';
	*p++ = '"';
	json_write_end(buf, p);
}

static int64
floor_div(int64 a, int64 b)
{
	int64		q = a / b;

	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static void
write_timestamp(StringInfo buf, const ColumnType *ct, Timestamp ts)
{
	if (TIMESTAMP_NOT_FINITE(ts))
	{
		int64		us = TIMESTAMP_IS_NOEND(ts) ? POS_INFINITY_US : NEG_INFINITY_US;

		json_append_int64(buf, ct->millis ? us / 1000 : us);
		return;
	}
	if (ct->millis)
		json_append_int64(buf, floor_div(ts + UNIX_EPOCH_OFFSET_US, 1000));
	else
		json_append_int64(buf, ts + UNIX_EPOCH_OFFSET_US);
}

static void
write_timetz(StringInfo buf, const ColumnType *ct, TimeTzADT *t)
{
	int64		utc = (t->time + (int64) t->zone * USECS_PER_SEC) % USECS_PER_DAY;
	char	   *p;

	if (utc < 0)
		utc += USECS_PER_DAY;
	p = json_write_begin(buf, TIME_OF_DAY_MAX + 3);
	*p++ = '"';
	p = put_time_of_day(p, utc, 0);
	*p++ = 'Z';
	*p++ = '"';
	json_write_end(buf, p);
}

/* Debezium's MicroDuration: months count as 30.4375 days, computed in double. */
static void
write_interval(StringInfo buf, Interval *iv)
{
	int			years = iv->month / 12;
	int			months = iv->month % 12;
	int64		hours = iv->time / USECS_PER_HOUR;
	int64		minutes = (iv->time / USECS_PER_MINUTE) % 60;
	double		seconds = (double) (iv->time % USECS_PER_MINUTE) / USECS_PER_SEC;
	double		days = (years * 12 + months) * DAYS_PER_MONTH_AVG + iv->day;
	double		total = ((days * 24.0 + hours) * 60.0 + minutes) * 60.0 + seconds;

	json_append_int64(buf, (int64) (total * 1000000.0));
}

static void
write_uuid(StringInfo buf, pg_uuid_t *u)
{
	static const char hex[] = "0123456789abcdef";
	char		out[38];
	int			p = 0;

	out[p++] = '"';
	for (int i = 0; i < UUID_LEN; i++)
	{
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[p++] = '-';
		out[p++] = hex[u->data[i] >> 4];
		out[p++] = hex[u->data[i] & 15];
	}
	out[p++] = '"';
	json_append_bytes(buf, out, p);
}

/* money: cents as Decimal(scale 2) bytes, a double, or text "12.34" */
static void
write_money(StringInfo buf, Cash cents, const DecoderOptions *opts)
{
	char		text[32];
	uint64		mag = cents < 0 ? (uint64) 0 - (uint64) cents : (uint64) cents;

	snprintf(text, sizeof(text), "%s" UINT64_FORMAT ".%02d", cents < 0 ? "-" : "",
			 mag / 100, (int) (mag % 100));
	if (opts->decimal_mode == DECIMAL_DOUBLE)
		json_append_double(buf, (double) cents / 100.0);
	else if (opts->decimal_mode == DECIMAL_STRING)
		json_append_cstring(buf, text);
	else
		json_append_decimal_digits(buf, text, 2);
}

/*
 * Debezium's Bits: java.util.BitSet.toByteArray() of the bit string read as
 * a binary number (last bit = bit 0), i.e. little-endian bytes without
 * trailing zero bytes.
 */
static void
write_bits(StringInfo buf, VarBit *bits)
{
	int			nbits = VARBITLEN(bits);
	unsigned char *out = palloc0(nbits / 8 + 1);
	int			used = 0;

	for (int i = 0; i < nbits; i++)
	{
		int			pos = nbits - 1 - i;	/* char position of bit i */

		if (VARBITS(bits)[pos / 8] & (0x80 >> (pos % 8)))
		{
			out[i / 8] |= 1 << (i % 8);
			used = i / 8 + 1;
		}
	}
	json_append_base64(buf, out, used, false);
	pfree(out);
}

/* Debezium's Point struct, with the point as little-endian WKB. */
static void
write_point(StringInfo buf, Point *pt)
{
	unsigned char wkb[21] = {1, 1, 0, 0, 0};

	memcpy(wkb + 5, &pt->x, 8);
	memcpy(wkb + 13, &pt->y, 8);
#ifdef WORDS_BIGENDIAN
	for (int i = 0; i < 4; i++)
	{
		unsigned char t;

		t = wkb[5 + i], wkb[5 + i] = wkb[12 - i], wkb[12 - i] = t;
		t = wkb[13 + i], wkb[13 + i] = wkb[20 - i], wkb[20 - i] = t;
	}
#endif
	json_append_lit(buf, "{\"x\":");
	json_append_double(buf, pt->x);
	json_append_lit(buf, ",\"y\":");
	json_append_double(buf, pt->y);
	json_append_lit(buf, ",\"wkb\":");
	json_append_base64(buf, wkb, sizeof(wkb), false);
	json_append_lit(buf, ",\"srid\":null}");
}

static void
write_array(StringInfo buf, const ColumnType *ct, Datum value, const DecoderOptions *opts)
{
	ArrayType  *arr = DatumGetArrayTypeP(value);
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	deconstruct_array(arr, ARR_ELEMTYPE(arr), ct->elmlen, ct->elmbyval, ct->elmalign,
					  &elems, &nulls, &n);
	json_append_char(buf, '[');
	for (int i = 0; i < n; i++)
	{
		if (i)
			json_append_char(buf, ',');
		if (nulls[i])
			json_append_lit(buf, "null");
		else
			column_type_write(buf, ct->elem, elems[i], opts);
	}
	json_append_char(buf, ']');
}

void
column_type_write(StringInfo buf, const ColumnType *ct, Datum value, const DecoderOptions *opts)
{
	switch (ct->kind)
	{
		case VK_BOOL:
			if (DatumGetBool(value))
				json_append_lit(buf, "true");
			else
				json_append_lit(buf, "false");
			break;
		case VK_INT2: json_append_int64(buf, DatumGetInt16(value)); break;
		case VK_INT4: json_append_int64(buf, DatumGetInt32(value)); break;
		case VK_INT8:
			json_append_int64(buf, ct->typid == OIDOID ? (int64) DatumGetObjectId(value)
							  : DatumGetInt64(value));
			break;
		case VK_FLOAT4: json_append_float(buf, DatumGetFloat4(value)); break;
		case VK_FLOAT8: json_append_double(buf, DatumGetFloat8(value)); break;
		case VK_NUMERIC: write_numeric(buf, ct, value, opts); break;
		case VK_TEXT:
		case VK_JSON:
			if (ct->typid == JSONBOID)
				write_via_output(buf, ct, value);
			else
				write_text_datum(buf, value);
			break;
		case VK_NAME:
			/* Debezium's pgoutput decoder never fills name columns */
			json_append_lit(buf, "null");
			break;
		case VK_MONEY: write_money(buf, DatumGetCash(value), opts); break;
		case VK_BITS: write_bits(buf, DatumGetVarBitP(value)); break;
		case VK_POINT: write_point(buf, DatumGetPointP(value)); break;
		case VK_XML: write_text_datum(buf, value); break;
		case VK_CHAR:
			{
				char		c = DatumGetChar(value);

				json_append_string(buf, &c, c ? 1 : 0);
				break;
			}
		case VK_BYTEA:
			{
				bytea	   *b = DatumGetByteaPP(value);

				write_binary(buf, (unsigned char *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), opts);
				break;
			}
		case VK_DATE:
			{
				DateADT		d = DatumGetDateADT(value);

				if (DATE_NOT_FINITE(d))
					json_append_int64(buf, DATE_IS_NOEND(d) ? POS_INFINITY_DAYS : NEG_INFINITY_DAYS);
				else
					json_append_int64(buf, (int64) d + (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE));
				break;
			}
		case VK_TIME:
			json_append_int64(buf, ct->millis ? DatumGetTimeADT(value) / 1000 : DatumGetTimeADT(value));
			break;
		case VK_TIMETZ: write_timetz(buf, ct, DatumGetTimeTzADTP(value)); break;
		case VK_TIMESTAMP: write_timestamp(buf, ct, DatumGetTimestamp(value)); break;
		case VK_TIMESTAMPTZ: write_timestamptz(buf, ct, DatumGetTimestampTz(value)); break;
		case VK_UUID: write_uuid(buf, DatumGetUUIDP(value)); break;
		case VK_INTERVAL: write_interval(buf, DatumGetIntervalP(value)); break;
		case VK_ARRAY: write_array(buf, ct, value, opts); break;
		case VK_ENUM:
		case VK_TSVECTOR:
		case VK_OTHER:
			write_via_output(buf, ct, value);
			break;
	}
}

/*
 * What Debezium fills in for a NOT NULL column whose value the WAL does not
 * carry (non-key columns of a delete under REPLICA IDENTITY DEFAULT): the
 * converters' fallback, i.e. the type's zero.
 */
void
column_type_write_zero(StringInfo buf, const ColumnType *ct, const DecoderOptions *opts,
					   bool as_default)
{
	switch (ct->kind)
	{
		case VK_BOOL: json_append_lit(buf, "false"); break;
		case VK_FLOAT4:
		case VK_FLOAT8: json_append_lit(buf, "0.0"); break;
		case VK_NUMERIC:
			if (opts->decimal_mode == DECIMAL_DOUBLE)
				json_append_lit(buf, "0.0");
			else if (opts->decimal_mode == DECIMAL_STRING)
			{
				/* zero at the column's scale: "0.00" */
				json_append_lit(buf, "\"0");
				if (ct->scale > 0)
				{
					json_append_char(buf, '.');
					for (int i = 0; i < ct->scale; i++)
						json_append_char(buf, '0');
				}
				json_append_char(buf, '"');
			}
			else if (ct->scale >= 0)
				json_append_lit(buf, "\"AA==\"");
			else
				json_append_lit(buf, "{\"scale\":0,\"value\":\"AA==\"}");
			break;
		case VK_BYTEA: write_binary(buf, (const unsigned char *) "", 0, opts); break;
		case VK_TIMESTAMPTZ:
			/* a schema default keeps the column's digits, a before image does not */
			if (as_default)
				write_timestamptz(buf, ct, -UNIX_EPOCH_OFFSET_US);
			else
				json_append_lit(buf, "\"1970-01-01T00:00:00Z\"");
			break;
		case VK_TIMETZ: json_append_lit(buf, "\"00:00:00Z\""); break;
		case VK_ARRAY: json_append_lit(buf, "[]"); break;
		case VK_MONEY: write_money(buf, 0, opts); break;
		case VK_BITS: json_append_lit(buf, "\"\""); break;
		case VK_POINT: json_append_lit(buf, "null"); break;
		case VK_XML:
		case VK_TSVECTOR:
		case VK_TEXT:
		case VK_NAME:
		case VK_CHAR:
		case VK_UUID:
		case VK_JSON:
		case VK_ENUM:
		case VK_OTHER: json_append_lit(buf, "\"\""); break;
		default: json_append_lit(buf, "0"); break;
	}
}

/* Debezium's placeholder for a TOASTed value the WAL did not carry. */
void
column_type_write_unavailable(StringInfo buf, const ColumnType *ct, const DecoderOptions *opts)
{
	/* per binary mode exactly as Debezium does it, odd as base64's null is */
	if (ct->kind == VK_BYTEA && opts->binary_mode == BINARY_BYTES)
		json_append_base64(buf, (const unsigned char *) UNAVAILABLE_VALUE,
						   sizeof(UNAVAILABLE_VALUE) - 1, false);
	else if (ct->kind == VK_BYTEA && opts->binary_mode != BINARY_HEX)
		json_append_lit(buf, "null");
	else if (ct->kind == VK_ARRAY)
	{
		json_append_char(buf, '[');
		column_type_write_unavailable(buf, ct->elem, opts);
		json_append_char(buf, ']');
	}
	else
		json_append_lit(buf, "\"" UNAVAILABLE_VALUE "\"");
}
