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


def main(path):
    seen = set()
    print(f"### {path}\n")
    for line in open(path):
        rec = json.loads(line)
        topic, key, value = rec["topic"], rec["key"], rec["value"]
        key = key["payload"] if key else None
        if topic not in seen:
            seen.add(topic)
            print(f"\n#### {topic}\n")
            print("key schema: `" + compact(rec["key"]["schema"] if rec["key"] else None) + "`\n")
            if value:
                fields = {f["field"]: f for f in value["schema"].get("fields", [])}
                row = fields.get("after")
                if row:
                    print("value fields:\n")
                    for f in row["fields"]:
                        print(f"- `{compact(f)}`")
                    print()
                else:
                    print("value schema: `" + compact(value["schema"]) + "`\n")
        if value is None:
            print(f"- tombstone key=`{compact(key)}`")
            continue
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
        print("- " + " ".join(parts))


if __name__ == "__main__":
    for p in sys.argv[1:]:
        main(p)
