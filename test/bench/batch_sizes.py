#!/usr/bin/env python3
"""Our walsender throughput by batch.bytes (lines packed per replication
message), on decode.py's insert workload: one slot, streamed with
stream_count once per size and schema setting, the sizes taking turns,
fastest of --repeat runs each.

    python3 test/bench/batch_sizes.py [--rows 300000] [--repeat 3] [--sizes 0,8kB,...]
"""
import argparse
import os

import decode

SIZES = "0,8kB,16kB,64kB,256kB,1MB"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--repeat", type=int, default=int(os.environ.get("PBO_BENCH_REPEAT", 3)))
    ap.add_argument("--sizes", default=SIZES)
    a = ap.parse_args()
    sizes = a.sizes.split(",")
    decode.build_stream_count()
    decode.setup()
    with decode.connect(decode.DB) as conn:
        conn.execute("SELECT pg_create_logical_replication_slot('sizes', 'pub_backoffice')")
        end = decode.run_phase(conn, f"CALL sell({a.rows})")
        runs = {}
        for _ in range(a.repeat):
            for schemas in ("false", "true"):
                for size in sizes:
                    options = {"topic.prefix": "bench", "schemas.enable": schemas, "batch.bytes": size}
                    secs, messages, lines, _ = decode.stream("sizes", "pub_backoffice", options, end)
                    if lines != a.rows:
                        raise SystemExit(f"{lines} lines for {a.rows} rows")
                    runs.setdefault((schemas, size), []).append((secs, messages))
        conn.execute("SELECT pg_drop_replication_slot('sizes')")
    print(f"walsender, {a.rows} inserts in 1,000-row transactions, fastest of {a.repeat}")
    print(f"  {'schemas.enable':<15} {'batch.bytes':>11} {'rows/s':>9} {'messages':>9} {'x batch.bytes=0':>16}")
    for schemas in ("false", "true"):
        base = a.rows / min(runs[(schemas, sizes[0])])[0]
        for size in sizes:
            secs, messages = min(runs[(schemas, size)])
            rate = a.rows / secs
            print(f"  {schemas:<15} {size:>11} {rate:>9.0f} {messages:>9} {rate / base:>15.2f}x")


if __name__ == "__main__":
    main()
