"""Tables and statements both Debezium and our plugin decode in the
compatibility test: every type of ARCHITECTURE.md's mapping table (one table
per type group), NULLs and edge values, TOAST, each replica identity, updates,
deletes, a primary-key change, a partitioned table, names needing quoting,
transactions with nothing to decode and a schema change mid-stream.

Tables without a replica identity only get INSERTs: Debezium's publication
publishes updates and deletes, so PostgreSQL refuses those statements.
"""

SETUP = [
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
    "CREATE DOMAIN price AS numeric(8,2) CHECK (VALUE >= 0)",
    "CREATE TABLE marker (id int PRIMARY KEY, label text)",
    """CREATE TABLE num_types (id int PRIMARY KEY, b bool, i2 int2, i4 int4, i8 int8,
        f4 float4, f8 float8, n numeric(10,2), n0 numeric(5,0), nbig numeric(38,10),
        nv numeric, p price)""",
    """CREATE TABLE text_types (id int PRIMARY KEY, t text, vc varchar(20), c char(5),
        by bytea, u uuid, j json, jb jsonb, e mood)""",
    """CREATE TABLE time_types (id int PRIMARY KEY, d date, tm time, tm0 time(0),
        tm3 time(3), tm6 time(6), ts timestamp, ts0 timestamp(0), ts3 timestamp(3),
        ts6 timestamp(6), tstz timestamptz, tstz3 timestamptz(3), iv interval)""",
    """CREATE TABLE array_types (id int PRIMARY KEY, ai int4[], ai8 int8[], at text[],
        avc varchar(10)[], ab bool[], af8 float8[], ai2 int2[], af4 float4[], abp char(2)[],
        an numeric(6,2)[], ad date[], ats timestamp[], atstz timestamptz[], au uuid[], ajb jsonb[],
        ae mood[])""",
    """CREATE TABLE other_types (id int PRIMARY KEY, tz timetz, m money, ip inet, net cidr,
        mac macaddr, mac8 macaddr8, pt point, x xml, r int4range, nr numrange, tr tstzrange,
        b3 bit(3), vb varbit, o oid, ch "char", nm name, tsv tsvector, xi xid, pl pg_lsn)""",
    "CREATE TABLE toasted (id int PRIMARY KEY, small int, big text, bigb bytea)",
    "ALTER TABLE toasted ALTER COLUMN big SET STORAGE EXTERNAL, ALTER COLUMN bigb SET STORAGE EXTERNAL",
    "CREATE TABLE ident_full (id int PRIMARY KEY, a text NOT NULL, b int, big text)",
    "ALTER TABLE ident_full REPLICA IDENTITY FULL",
    "ALTER TABLE ident_full ALTER COLUMN big SET STORAGE EXTERNAL",
    "CREATE TABLE ident_index (id int NOT NULL, code text NOT NULL, note text)",
    "CREATE UNIQUE INDEX ident_index_code ON ident_index (code)",
    "ALTER TABLE ident_index REPLICA IDENTITY USING INDEX ident_index_code",
    "CREATE TABLE ident_nothing (id int PRIMARY KEY, note text)",
    "ALTER TABLE ident_nothing REPLICA IDENTITY NOTHING",
    "CREATE TABLE no_key (a int, b text)",
    """CREATE TABLE not_null (id int PRIMARY KEY, a int NOT NULL, s text NOT NULL,
        d date NOT NULL, n numeric(6,2) NOT NULL, bo bool NOT NULL, f float8 NOT NULL,
        ts timestamptz NOT NULL, by bytea NOT NULL, note text)""",
    "CREATE TABLE composite_key (region text, id int, qty int, PRIMARY KEY (region, id))",
    """CREATE TABLE defaults (id serial PRIMARY KEY, i int DEFAULT 5, t text DEFAULT 'pint',
        vc varchar(10) DEFAULT 'half', n numeric(6,2) DEFAULT 4.5, nv numeric DEFAULT 1.25,
        f float8 DEFAULT 0.5, b bool DEFAULT true, d date DEFAULT '2024-01-01',
        ts timestamp DEFAULT '2024-01-01 12:00', tstz timestamptz DEFAULT now(),
        e mood DEFAULT 'ok', u uuid DEFAULT '00000000-0000-0000-0000-000000000001',
        j jsonb DEFAULT '{}', by bytea DEFAULT '\\x00ff', ai int[] DEFAULT '{1}',
        i8 bigint NOT NULL DEFAULT 0)""",
    "CREATE TABLE parted (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)",
    "CREATE TABLE parted_low PARTITION OF parted FOR VALUES FROM (0) TO (100)",
    "CREATE TABLE parted_high PARTITION OF parted FOR VALUES FROM (100) TO (1000)",
    'CREATE SCHEMA "Back Office"',
    'CREATE TABLE "Back Office"."Order Lines" ("Line Id" int PRIMARY KEY, "Unit Price" numeric(6,2))',
]

BIG = "repeat(md5(i::text), 400)"   # 12.8 kB, stored out of line

# Each inner list is one transaction.
TRANSACTIONS = [
    # numbers: ordinary values, NULLs, edge values
    ["INSERT INTO num_types VALUES (1, true, 1, 2, 3, 1.5, 2.25, 12.34, 5, 1234567890.0123456789, 3.14159, 9.99)",
     "INSERT INTO num_types (id) VALUES (2)",
     """INSERT INTO num_types VALUES (3, false, -32768, -2147483648, -9223372036854775808,
        1.1, 0.1, -0.01, -99999, -0.0000000001, -123456789012345678901234567890.5, 0)""",
     """INSERT INTO num_types VALUES (4, NULL, 32767, 2147483647, 9223372036854775807,
        3.4e38, 1e308, 99999999.99, 0, 0, 0, 0)""",
     "INSERT INTO num_types VALUES (5, NULL, 0, 0, 0, 'NaN', 'Infinity', NULL, NULL, NULL, 'NaN', NULL)",
     "INSERT INTO num_types VALUES (6, NULL, 0, 0, 0, '-Infinity', '-Infinity', NULL, NULL, NULL, 1e-20, NULL)",
     "INSERT INTO num_types VALUES (7, NULL, 0, 0, 0, 1e-7, 123456789.123456789, NULL, NULL, NULL, 100, NULL)"],
    ["UPDATE num_types SET i4 = i4 + 1, n = 0.5 WHERE id = 1"],
    ["DELETE FROM num_types WHERE id = 2"],
    # text-like types
    ["""INSERT INTO text_types VALUES (1, 'plain', 'varchar', 'ab', '\\x0102ff',
        'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2.5, null]}', '{"b": {"c": true}, "a": 1}', 'happy')""",
     "INSERT INTO text_types (id) VALUES (2)",
     """INSERT INTO text_types VALUES (3, E'quote \\" backslash \\\\ tab \\t nl \\n ctl \\x01 é € 😀 </script>',
        '', '     ', '', '00000000-0000-0000-0000-000000000000', '[]', 'null', 'sad')"""],
    # primary-key change: delete, tombstone, create
    ["UPDATE text_types SET id = 10 WHERE id = 1"],
    ["DELETE FROM text_types WHERE id = 3"],
    # dates and times
    ["""INSERT INTO time_types VALUES (1, '2024-02-29', '13:14:15.123456', '13:14:15.6', '13:14:15.1239',
        '23:59:59.999999', '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.5', '2024-02-29 13:14:15.1235',
        '2024-02-29 13:14:15.123456', '2024-02-29 13:14:15.123456+05:30', '2024-02-29 13:14:15.1+00',
        '1 year 2 months 3 days 04:05:06.789')""",
     "INSERT INTO time_types (id) VALUES (2)",
     """INSERT INTO time_types VALUES (3, '1969-12-31', '00:00:00', '00:00:00', '00:00:00', '00:00:00',
        '1900-01-01 00:00:00', '1969-12-31 23:59:59', '1969-12-31 23:59:59.999', '1969-12-31 23:59:59.999999',
        '1900-01-01 00:00:00+00', '2000-01-01 00:00:00-08', '-1 days -00:00:01')""",
     """INSERT INTO time_types VALUES (4, '0001-01-01', '24:00:00', '24:00:00', '24:00:00', '24:00:00',
        '2262-04-11 23:47:16', '0001-01-01 00:00:00', '9999-12-31 23:59:59.999', '2000-01-01',
        '9999-12-31 23:59:59.999999+00', '2024-06-30 12:00:00.000001+14', '00:00:00.000001')""",
     """INSERT INTO time_types VALUES (5, 'infinity', NULL, NULL, NULL, NULL, 'infinity', '-infinity',
        NULL, NULL, 'infinity', '-infinity', '10 years')"""],
    # arrays
    ["""INSERT INTO array_types VALUES (1, '{1,2,NULL}', '{9223372036854775807}', '{a,"b c",NULL,""}',
        '{x}', '{true,false}', '{1.5,-0.25}', '{-1,2}', '{0.5,NaN}', '{a,bc}', '{1.5,NULL}',
        '{2024-02-29,1969-12-31}', '{"2024-02-29 13:14:15.5"}', '{"2024-02-29 13:14:15.5+01"}',
        '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}', ARRAY['{"a": 1}'::jsonb], '{ok,happy}')""",
     "INSERT INTO array_types VALUES (2, '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}', '{}')",
     "INSERT INTO array_types (id) VALUES (3)"],
    # column defaults appear in Debezium's schemas
    ["INSERT INTO defaults (tstz) VALUES ('2024-01-01 00:00+00')"],
    # types outside ARCHITECTURE.md's table (Debezium leaves xid and pg_lsn out)
    ["""INSERT INTO other_types VALUES (1, '13:14:15.123+02', 12.34, '192.168.0.1/24', '10.0.0.0/8',
        '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', '(1.5,2)', '<a>b</a>', '[1,5)', '(1.5,2.5]',
        '[2024-01-01 00:00+00,2024-01-02 00:00+00)', B'101', B'1101', 42, 'x', 'nm', 'a fat cat', '7',
        '0/16B3748')""",
     "INSERT INTO other_types (id, m, pt) VALUES (2, -0.5, '(-1,0)')",
     "INSERT INTO other_types (id) VALUES (3)"],
    # TOAST: unchanged out-of-line values become the placeholder
    [f"INSERT INTO toasted SELECT i, 1, {BIG}, convert_to({BIG}, 'UTF8') FROM generate_series(1, 2) i"],
    ["UPDATE toasted SET small = 2 WHERE id = 1"],
    ["UPDATE toasted SET big = 'short now' WHERE id = 2"],
    ["DELETE FROM toasted WHERE id = 1"],
    ["UPDATE toasted SET big = NULL, small = 3 WHERE id = 2"],
    # replica identities
    [f"INSERT INTO ident_full SELECT i, 'a' || i, i, {BIG} FROM generate_series(1, 2) i",
     "UPDATE ident_full SET b = 20 WHERE id = 2",
     "DELETE FROM ident_full WHERE id = 1"],
    ["UPDATE ident_full SET id = 3 WHERE id = 2"],
    ["INSERT INTO ident_index VALUES (1, 'A', 'first'), (2, 'B', NULL)",
     "UPDATE ident_index SET note = 'changed' WHERE code = 'A'",
     "UPDATE ident_index SET code = 'C' WHERE code = 'B'",
     "DELETE FROM ident_index WHERE code = 'A'"],
    ["INSERT INTO ident_nothing VALUES (1, 'no identity')"],
    ["INSERT INTO no_key VALUES (1, 'no key'), (NULL, NULL)"],
    ["""INSERT INTO not_null VALUES (1, 7, 'seven', '2024-01-02', 7.5, true, 7.25,
        '2024-01-02 03:04:05+00', '\\xdead', 'note')""",
     "DELETE FROM not_null WHERE id = 1"],
    ["INSERT INTO composite_key VALUES ('north', 1, 5), ('south', 1, 6)",
     "UPDATE composite_key SET qty = 50 WHERE region = 'north'",
     "UPDATE composite_key SET region = 'west' WHERE region = 'south'",
     "DELETE FROM composite_key WHERE region = 'north'"],
    # partitions, quoted names
    ["INSERT INTO parted VALUES (1, 'low'), (150, 'high')",
     "UPDATE parted SET id = 160 WHERE id = 1"],
    ['INSERT INTO "Back Office"."Order Lines" VALUES (1, 4.5)',
     'UPDATE "Back Office"."Order Lines" SET "Unit Price" = 5 WHERE "Line Id" = 1'],
    # savepoints: the rolled-back subtransaction disappears
    ["INSERT INTO num_types (id, i4) VALUES (20, 1)",
     "SAVEPOINT s1",
     "INSERT INTO num_types (id, i4) VALUES (21, 1)",
     "ROLLBACK TO SAVEPOINT s1",
     "INSERT INTO num_types (id, i4) VALUES (22, 1)"],
    # transactions with nothing to decode (temporary table, DDL), then a
    # schema change mid-stream: later events carry the new column
    ["CREATE TEMP TABLE scratch (a int)", "INSERT INTO scratch VALUES (1)"],
    ["ALTER TABLE composite_key ADD COLUMN note text DEFAULT 'n/a'"],
    ["INSERT INTO composite_key VALUES ('east', 2, 7, 'added')",
     "UPDATE composite_key SET qty = 8 WHERE region = 'west'"],
    ["ALTER TABLE composite_key DROP COLUMN qty"],
    ["UPDATE composite_key SET note = 'dropped qty' WHERE region = 'east'"],
    # a transaction that only truncates (Debezium skips truncates unless
    # skipped.operations leaves out "t"; then it emits one event per table)
    ["TRUNCATE num_types"],
    ["TRUNCATE parted, ident_full"],
]

# Logical decoding messages, transactional and not.  Not run with transaction
# metadata: Debezium then lists a message in the END event's data_collections
# under a Java object's identity string (…LogicalDecodingMessageId@34f0af9d),
# which no other producer can reproduce.
MESSAGES = [
    ["SELECT pg_logical_emit_message(true, 'compat', 'in a transaction')",
     "INSERT INTO marker VALUES (2, 'message neighbour')"],
    ["SELECT pg_logical_emit_message(false, 'compat', convert_to('non-transactional', 'UTF8'))"],
]

# Snapshot reads (op r): a table of mixed types and a small one, read by
# Debezium's initial snapshot (table.include.list) and by pub.decoder_snapshot().
SNAPSHOT_SETUP = [
    "CREATE EXTENSION pub_backoffice",
    """CREATE TABLE snapshot_mix (id int PRIMARY KEY, b bool, n numeric(10,2), nv numeric, t text,
        by bytea, d date, ts timestamp, tstz timestamptz, u uuid, jb jsonb, e mood, ai int[],
        iv interval, big text DEFAULT 'x')""",
    """INSERT INTO snapshot_mix SELECT i, i % 2 = 0, i * 1.25, i / 7.0, 'row ' || i, '\\x00ff',
        '2024-02-29'::date + i, '2024-02-29 13:14:15.5'::timestamp + i * interval '1 hour',
        '2024-02-29 13:14:15.5+01'::timestamptz, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"i": 1}',
        'ok', ARRAY[i, NULL], i * interval '1 day 1 second', repeat(md5(i::text), 300)
        FROM generate_series(1, 5) i""",
    "INSERT INTO snapshot_mix (id) VALUES (6)",
    "CREATE TABLE snapshot_kegs (id int PRIMARY KEY, beer text NOT NULL)",
    "INSERT INTO snapshot_kegs VALUES (1, 'stout'), (2, 'mild')",
]
SNAPSHOT_TABLES = ["snapshot_kegs", "snapshot_mix"]   # in Debezium's snapshot order

# Handling modes Debezium supports, each run once on both sides.  The same
# properties are given to Debezium and, under the same names, to our slot.
MODES = {
    "default": {},
    "decimal_double_time_connect": {"decimal.handling.mode": "double",
                                    "time.precision.mode": "connect",
                                    "binary.handling.mode": "base64",
                                    "tombstones.on.delete": "false",
                                    "table.include.list": "public\\.(marker|.*_types|toasted|not_null|defaults|composite_key)"},
    "url_safe_filters": {"binary.handling.mode": "base64-url-safe",
                         "table.exclude.list": "public\\.(toasted|ident_.*)",
                         "skipped.operations": "u",
                         "message.prefix.exclude.list": "compat"},
    "decimal_string_hex_txmeta": {"decimal.handling.mode": "string",
                                  "time.precision.mode": "adaptive_time_microseconds",
                                  "binary.handling.mode": "hex",
                                  "provide.transaction.metadata": "true",
                                  "skipped.operations": "none"},
}
