/*
 * sale_event.c
 *		The SaleRecorded payload, the same jsonb as 1.1's
 *		jsonb_build_object('sale_id', …, 'lines', jsonb_agg(…)): numbers as
 *		numeric, dates and times in JSON's ISO format (the session's zone,
 *		as to_jsonb writes them).
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"

#include "backoffice/numeric_ops.h"
#include "backoffice/sale_posting.h"

static void
push_string(JsonbParseState **state, JsonbIteratorToken token, const char *s)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = strlen(s);
	pushJsonbValue(state, token, &v);
}

static void
put_numeric(JsonbParseState **state, const char *key, Datum n)
{
	JsonbValue	v;

	push_string(state, WJB_KEY, key);
	v.type = jbvNumeric;
	v.val.numeric = DatumGetNumeric(n);
	pushJsonbValue(state, WJB_VALUE, &v);
}

static void
put_int8(JsonbParseState **state, const char *key, int64 i)
{
	put_numeric(state, key, DirectFunctionCall1(int8_numeric, Int64GetDatum(i)));
}

static void
put_string(JsonbParseState **state, const char *key, const char *s)
{
	push_string(state, WJB_KEY, key);
	push_string(state, WJB_VALUE, s);
}

static void
put_line(JsonbParseState **state, const SaleLine *l)
{
	pushJsonbValue(state, WJB_BEGIN_OBJECT, NULL);
	put_int8(state, "product_id", l->product_id);
	put_string(state, "name", l->name);
	put_string(state, "category", l->category);
	put_numeric(state, "quantity", l->quantity);
	put_numeric(state, "amount", num_round2(l->gross));
	pushJsonbValue(state, WJB_END_OBJECT, NULL);
}

/* gross: the lines' total, rounded to the cent. */
Datum
sale_recorded_payload(const SaleHeader *h, List *lines, Datum gross)
{
	JsonbParseState *state = NULL;
	JsonbValue *result;
	ListCell   *lc;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	put_int8(&state, "sale_id", h->sale_id);
	put_int8(&state, "venue_id", h->venue_id);
	put_string(&state, "kind", TextDatumGetCString(h->kind));
	put_string(&state, "idempotency_key", TextDatumGetCString(h->key));
	put_string(&state, "business_date", JsonEncodeDateTime(NULL, h->business_date, DATEOID, NULL));
	put_string(&state, "sold_at", JsonEncodeDateTime(NULL, h->sold_at, TIMESTAMPTZOID, NULL));
	put_numeric(&state, "gross", gross);
	push_string(&state, WJB_KEY, "lines");
	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	foreach(lc, lines)
		put_line(&state, lfirst(lc));
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	return JsonbPGetDatum(JsonbValueToJsonb(result));
}
