"""Summarise what Debezium emitted in a compatibility run, as Markdown.

usage: python3 test/compat/reference.py test/.work/compat/<mode>/debezium.jsonl
Per table: the Value struct's field schemas once, then each event's key, op,
before/after and the source fields that vary (sequence, lsn, txId).  Strings
longer than 60 characters are shortened.
"""
import json
import sys


def shorten(v):
    if isinstance(v, str) and len(v) > 60:
        return f"{v[:24]}…({len(v)} chars)"
    if isinstance(v, dict):
        return {k: shorten(x) for k, x in v.items()}
    if isinstance(v, list):
        return [shorten(x) for x in v]
    return v


def compact(v):
    return json.dumps(shorten(v), separators=(",", ":"), ensure_ascii=False)


def schema_lines(rec):
    value = rec["value"]
    out = ["key schema: `" + compact(rec["key"]["schema"] if rec["key"] else None) + "`", ""]
    fields = {f["field"]: f for f in value["schema"].get("fields", [])}
    if "after" in fields:
        out += ["value fields:", ""] + [f"- `{compact(f)}`" for f in fields["after"]["fields"]]
    else:
        out += ["value schema: `" + compact(value["schema"]) + "`"]
    return out + [""]


def event_line(rec):
    key, value = rec["key"], rec["value"]
    key = key["payload"] if key else None
    if value is None:
        return f"- tombstone key=`{compact(key)}`"
    p = value["payload"]
    src = p.get("source") or {}
    parts = [f"key=`{compact(key)}`"]
    for k in ("op", "status", "id", "event_count", "data_collections", "before", "after",
              "message", "transaction"):
        if k in p and (p[k] is not None or k in ("before", "after")):
            parts.append(f"{k}=`{compact(p[k])}`")
    if src:
        parts.append(f"source: sequence=`{src.get('sequence')}` lsn={src.get('lsn')} "
                     f"txId={src.get('txId')} ts_ms={src.get('ts_ms')} ts_us={src.get('ts_us')}")
    return "- " + " ".join(parts)


def main(path):
    """Records grouped by topic, in arrival order; schemas shown when they change."""
    by_topic = {}
    for line in open(path):
        rec = json.loads(line)
        by_topic.setdefault(rec["topic"], []).append(rec)
    print(f"### {path}")
    for topic, recs in by_topic.items():
        print(f"\n#### {topic}\n")
        shown = None
        for rec in recs:
            if rec["value"] is not None:
                lines = schema_lines(rec)
                if lines != shown:
                    print("\n".join(lines))
                    shown = lines
            print(event_line(rec))


if __name__ == "__main__":
    for p in sys.argv[1:]:
        main(p)
