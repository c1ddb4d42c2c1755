/*
 * outbox_router.c
 *		Route outbox inserts (see outbox_router.h).  The decoder has already
 *		rendered the row as a Debezium change event; the router reads its
 *		"after" image back with json-c rather than re-reading the tuple, so
 *		it sees exactly what a Debezium outbox router would.
 */
#include "postgres.h"

#include <json-c/json.h>

#include "utils/memutils.h"

#include "relay/outbox_router.h"
#include "relay/relay_settings.h"

static char *outbox_topic = NULL;	/* <prefix>.<schema>.<table>, or NULL */

void
outbox_router_configure(void)
{
	if (outbox_topic)
		pfree(outbox_topic);
	outbox_topic = NULL;
	if (relay_outbox_table && relay_outbox_table[0] != '\0')
		outbox_topic = MemoryContextStrdup(TopMemoryContext,
										   psprintf("%s.%s", relay_topic_prefix,
													relay_outbox_table));
}

bool
outbox_router_matches(const DecoderRecord *r)
{
	return outbox_topic != NULL && r->topic_len == (int) strlen(outbox_topic) &&
		memcmp(r->topic, outbox_topic, r->topic_len) == 0;
}

static const char *
field_string(struct json_object *obj, const char *name)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, name, &v) || json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

bool
outbox_router_route(const DecoderRecord *r, OutboxEvent *ev)
{
	struct json_tokener *tok;
	struct json_object *doc, *payload, *after, *op;
	const char *type, *aggregate_id, *body, *id;
	bool		routed = false;

	if (r->value == NULL)
		return false;			/* tombstone */
	tok = json_tokener_new();
	doc = json_tokener_parse_ex(tok, r->value, r->value_len);
	json_tokener_free(tok);
	if (doc == NULL)
		return false;
	/* With schemas.enable the change event is under "payload". */
	if (!json_object_object_get_ex(doc, "payload", &payload) ||
		!json_object_is_type(payload, json_type_object))
		payload = doc;
	if (json_object_object_get_ex(payload, "op", &op) &&
		strcmp(json_object_get_string(op), "c") == 0 &&
		json_object_object_get_ex(payload, "after", &after) &&
		(type = field_string(after, "aggregatetype")) != NULL &&
		(aggregate_id = field_string(after, "aggregateid")) != NULL)
	{
		body = field_string(after, "payload");
		id = field_string(after, "id");
		ev->topic = psprintf("%s.outbox.event.%s", relay_topic_prefix, type);
		ev->key = pstrdup(aggregate_id);
		ev->value = body ? pstrdup(body) : NULL;
		ev->id = id ? pstrdup(id) : NULL;
		routed = true;
	}
	json_object_put(doc);
	return routed;
}
