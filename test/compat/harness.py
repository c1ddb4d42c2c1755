"""Run Debezium's PostgreSQL connector and our plugin on the same WAL and
compare their records field by field.

Used by test/integration/test_debezium_compatibility.py; also runnable by hand
(see test/compat/README.md).  Only the event-time fields outside `source`
(ts_ms, ts_us, ts_ns of the envelope) and `source.version` are masked.
"""
import difflib
import json
import re
import os
import signal
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
MASKED = "<masked>"


def classpath():
    """Fetch the jars (cached) and compile DebeziumDump; return the classpath."""
    out = subprocess.run(["bash", str(HERE / "fetch.sh")], check=True,
                         stdout=subprocess.PIPE, text=True)
    return out.stdout.strip().splitlines()[-1]


class Debezium:
    """One embedded Debezium engine writing JSON lines to `out`."""

    def __init__(self, out, dbname, port, prefix, slot, properties):
        self.out = Path(out)
        self.log = self.out.with_suffix(".log")
        self.bare = Path(str(self.out) + ".bare")
        for stale in (self.out, self.bare, self.log):
            stale.unlink(missing_ok=True)
        args = ["java", "-cp", classpath(), "DebeziumDump", str(self.out), "100000000", "3600",
                f"database.port={port}", f"database.dbname={dbname}", f"topic.prefix={prefix}",
                f"slot.name={slot}", f"publication.name={slot}"]
        args += [f"{k}={v}" for k, v in properties.items()]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                     stderr=open(self.log, "w"), start_new_session=True)

    def lines(self, schemas=True):
        """Record lines written so far: JsonConverter with schemas.enable on, or off."""
        path = self.out if schemas else self.bare
        if not path.exists():
            return []
        return [line for line in path.read_text().splitlines() if line.strip()]

    def records(self):
        return [json.loads(line) for line in self.lines()]

    def wait(self, predicate, what, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"Debezium exited while waiting for {what}:\n" + self.tail())
            recs = self.records()
            if predicate(recs):
                return recs
            time.sleep(0.3)
        raise AssertionError(f"Debezium: timed out waiting for {what}:\n" + self.tail())

    def tail(self, n=40):
        return "\n".join(self.log.read_text().splitlines()[-n:]) if self.log.exists() else ""

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


SNAPSHOT_SOURCE_FIELDS = ("ts_ms", "ts_us", "ts_ns", "txId", "lsn", "sequence")


def mask(record, source_fields=()):
    """The record with only the fields Debezium lets differ replaced by a marker
    (plus `source_fields` of the source block, for snapshot reads)."""
    value = record.get("value")
    payload = value.get("payload") if isinstance(value, dict) and "schema" in value else value
    if isinstance(payload, dict):
        for k in ("ts_ms", "ts_us", "ts_ns"):
            if k in payload and "source" in payload:
                payload[k] = MASKED
        src = payload.get("source")
        if isinstance(src, dict):
            for k in ("version",) + tuple(source_fields):
                if k in src:
                    src[k] = MASKED
    return record


def ordered(text):
    """Parse JSON keeping key order (objects become lists of pairs)."""
    return json.loads(text, object_pairs_hook=lambda pairs: ("obj", pairs))


def to_ordered(value):
    return ordered(json.dumps(value))


def differences(ours, theirs, path="$"):
    """Field-by-field differences, each 'path: ours X, Debezium Y'."""
    if isinstance(theirs, tuple) and isinstance(ours, tuple):
        okeys = [k for k, _ in ours[1]]
        tkeys = [k for k, _ in theirs[1]]
        out = []
        if okeys != tkeys:
            missing = [k for k in tkeys if k not in okeys]
            extra = [k for k in okeys if k not in tkeys]
            if missing or extra:
                out.append(f"{path}: keys missing {missing}, extra {extra}")
            else:
                out.append(f"{path}: key order ours {okeys}, Debezium {tkeys}")
        o = dict(ours[1])
        for k, v in theirs[1]:
            if k in o:
                out += differences(o[k], v, f"{path}.{k}")
        return out
    if isinstance(theirs, list) and isinstance(ours, list):
        if len(ours) != len(theirs):
            return [f"{path}: ours {short(ours)}, Debezium {short(theirs)}"]
        out = []
        for i, (a, b) in enumerate(zip(ours, theirs)):
            out += differences(a, b, f"{path}[{i}]")
        return out
    if type(ours) is not type(theirs) or ours != theirs:
        return [f"{path}: ours {short(ours)}, Debezium {short(theirs)}"]
    return []


def plain(v):
    """Ordered form back to plain JSON values, for printing."""
    if isinstance(v, tuple):
        return {k: plain(x) for k, x in v[1]}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def short(v, limit=300):
    s = json.dumps(plain(v), separators=(",", ":"))
    return s if len(s) <= limit else s[:limit] + "…"


def label(rec, with_key=True):
    """A short name for a record: topic, op and key payload."""
    value = rec.get("value")
    payload = value.get("payload") if isinstance(value, dict) and "schema" in value else value
    if isinstance(payload, dict):
        op = payload.get("op") or payload.get("status")
    else:
        op = "tombstone" if payload is None else "?"
    key = rec.get("key")
    key = key.get("payload") if isinstance(key, dict) and "schema" in key else key
    name = f"{rec.get('topic')} op={op}"
    return name + f" key={json.dumps(key, separators=(',', ':'))}" if with_key else name


def compare(ours, theirs, source_fields=()):
    """Differences between two record lists, as readable lines (empty: identical).

    Records are aligned on topic and op first, so one missing or extra record
    is reported as such instead of shifting every later comparison."""
    report = []
    if len(ours) != len(theirs):
        report.append(f"record count: ours {len(ours)}, Debezium {len(theirs)}")
    matcher = difflib.SequenceMatcher(a=[label(r, False) for r in ours],
                                      b=[label(r, False) for r in theirs], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for i, j in zip(range(i1, i2), range(j1, j2)):
                diffs = differences(to_ordered(mask(ours[i], source_fields)),
                                    to_ordered(mask(theirs[j], source_fields)))
                if diffs:
                    report.append(f"record {j} ({label(theirs[j])}):")
                    report += ["  " + d for d in diffs]
            continue
        report += [f"only ours, before Debezium's record {j1}: {label(r)}" for r in ours[i1:i2]]
        report += [f"only Debezium, record {j}: {label(theirs[j])}" for j in range(j1, j2)]
    return report


def summary(report):
    """Difference lines grouped by topic and field path: count and first example."""
    groups, topic = {}, ""
    for line in report:
        if line.startswith("record ") and "(" in line:
            topic = line.split("(", 1)[1].split(" key=")[0]
            continue
        if not line.startswith("  "):
            groups.setdefault((line.split(":")[0], ""), [0, line])[0] += 1
            continue
        path, _, example = line.strip().partition(": ")
        path = re.sub(r"\[\d+\]", "[]", path)
        entry = groups.setdefault((topic, path), [0, example])
        entry[0] += 1
    return [f"{n:4d}x {t} {p}: {ex[:240]}" for (t, p), (n, ex) in groups.items()]


# Raw-text masking: the envelope's event-time fields follow "op" (data events)
# or open the payload (messages); source.version precedes "connector".
RAW_MASKS = [
    (re.compile(r'("op":"[a-z]","ts_ms":)-?\d+(,"ts_us":)-?\d+(,"ts_ns":)-?\d+'), r"\1M\2M\3M"),
    (re.compile(r'(\{"op":"m","ts_ms":)-?\d+'), r"\1M"),
    (re.compile(r'("version":)"[^"]*"(,"connector":)'), r'\1"M"\2'),
]


def raw_parts(line):
    """The exact key and value texts of a {"topic","key","value"} line."""
    decoder = json.JSONDecoder()
    parts, pos = {}, 0
    for name in ("topic", "key", "value"):
        prefix = ("{" if name == "topic" else ",") + f'"{name}":'
        if not line.startswith(prefix, pos):
            raise ValueError(f"record line does not continue with {prefix!r} at {pos}")
        pos += len(prefix)
        _, end = decoder.raw_decode(line, pos)
        parts[name], pos = line[pos:end], end
    return parts


# For snapshot reads: the source block's clock, position and transaction
# (each side takes its own snapshot).
RAW_SNAPSHOT_MASKS = [
    (re.compile(r'("name":"[^"]*","ts_ms":)\d+'), r"\1M"),
    (re.compile(r'("sequence":)"(?:[^"\\]|\\.)*"(,"ts_us":)\d+(,"ts_ns":)\d+'), r'\1"M"\2M\3M'),
    (re.compile(r'("txId":)\d+(,"lsn":)\d+(,"xmin":)'), r"\1M\2M\3"),
]


def raw_differences(ours_lines, theirs_lines, extra_masks=()):
    """Byte-level differences of key and value texts, record by record."""
    report = []
    for i, (a, b) in enumerate(zip(ours_lines, theirs_lines)):
        pa, pb = raw_parts(a), raw_parts(b)
        for part in ("key", "value"):
            ta, tb = pa[part], pb[part]
            for pattern, repl in RAW_MASKS + list(extra_masks):
                ta, tb = pattern.sub(repl, ta), pattern.sub(repl, tb)
            if ta != tb:
                at = next((k for k in range(min(len(ta), len(tb))) if ta[k] != tb[k]), min(len(ta), len(tb)))
                report.append(f"record {i} {part} text differs at byte {at}: ours …{ta[max(0, at - 40):at + 40]}…"
                              f" Debezium …{tb[max(0, at - 40):at + 40]}…")
    return report

