-- ===========================================================================
-- Documents in: a day's export from a till without an API, as CSV with a
-- header naming the columns product_code, quantity, gross_amount, sold_at,
-- payment_method (any order, extra columns ignored).  Each row is one sale;
-- the file is imported once (by its md5) and each row's sale carries the
-- key csv:<file md5>:<line>, so a resend, whole or interrupted, is a no-op.
-- ===========================================================================

CREATE TABLE pub.till_import (
    venue_id     bigint NOT NULL REFERENCES pub.venue,
    file_hash    text NOT NULL,
    till         text NOT NULL,
    rows         int NOT NULL DEFAULT 0,
    gross        numeric NOT NULL DEFAULT 0,
    imported_at  timestamptz NOT NULL DEFAULT now(),
    imported_by  name NOT NULL DEFAULT current_user,
    PRIMARY KEY (venue_id, file_hash)
);
COMMENT ON TABLE pub.till_import IS 'Till CSV exports imported, by md5 of the file: the same file again is a no-op';

-- One CSV line as fields (RFC 4180 quoting: "a,b" and "" for a quote).
CREATE FUNCTION pub.csv_fields(p_line text, p_row int) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    f text[]; used int;
BEGIN
    SELECT array_agg(CASE WHEN m[3] IS NOT NULL THEN replace(m[3], '""', '"') ELSE m[5] END ORDER BY n),
           sum(length(m[1]) + length(m[2]))
      INTO f, used
      FROM regexp_matches(p_line, '(^|,)("(([^"]|"")*)"|([^,"]*))', 'g') WITH ORDINALITY AS t(m, n);
    IF used IS DISTINCT FROM length(p_line) THEN
        RAISE EXCEPTION 'till CSV line %: malformed quoting', p_row USING ERRCODE = 'bad_copy_file_format';
    END IF;
    RETURN f;
END $$;
COMMENT ON FUNCTION pub.csv_fields(text, int) IS 'Splits one CSV line into fields (double-quoted fields may hold commas and "" quotes); malformed quoting is an error';

-- A timestamp from a till: with an offset as given, without one in the venue's zone.
CREATE FUNCTION pub.till_time(p_value text, p_zone text, p_row int) RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path = pub, pg_catalog AS $$
BEGIN
    IF btrim(p_value) ~ '(Z|[+-]\d\d(:?\d\d)?)$' THEN
        RETURN btrim(p_value)::timestamptz;
    END IF;
    RETURN btrim(p_value)::timestamp AT TIME ZONE p_zone;
EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow OR invalid_text_representation THEN
    RAISE EXCEPTION 'till CSV line %: sold_at "%" is not a timestamp', p_row, left(p_value, 40)
        USING ERRCODE = 'invalid_datetime_format';
END $$;
COMMENT ON FUNCTION pub.till_time(text, text, int) IS 'Reads a till timestamp; one without an offset is local time in the venue''s zone';

CREATE FUNCTION pub.import_till_csv(p_venue bigint, p_csv text, p_till text DEFAULT 'till') RETURNS jsonb
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    v pub.venue; h text; lines text[]; head text[]; col int[]; f text[]; i int; n int := 0; prod bigint;
    qty numeric; gross numeric; total numeric := 0; method text; names text[] := ARRAY['product_code', 'quantity', 'gross_amount', 'sold_at', 'payment_method'];
BEGIN
    SELECT * INTO v FROM pub.venue WHERE id = p_venue;
    IF v.id IS NULL THEN
        RAISE EXCEPTION 'venue_id % does not exist', coalesce(p_venue::text, 'null') USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF coalesce(p_csv, '') = '' THEN
        RAISE EXCEPTION 'till CSV is empty' USING ERRCODE = 'not_null_violation';
    ELSIF octet_length(p_csv) > 16 * 1024 * 1024 THEN
        RAISE EXCEPTION 'till CSV is % bytes, more than the 16 MB accepted', octet_length(p_csv) USING ERRCODE = 'program_limit_exceeded';
    END IF;
    h := md5(p_csv);
    INSERT INTO pub.till_import (venue_id, file_hash, till) VALUES (p_venue, h, coalesce(p_till, 'till'))
    ON CONFLICT (venue_id, file_hash) DO NOTHING;
    IF NOT FOUND THEN
        RETURN jsonb_build_object('file_hash', h, 'duplicate', true);
    END IF;

    lines := regexp_split_to_array(p_csv, E'\r?\n');
    head := (SELECT array_agg(lower(btrim(x)) ORDER BY o) FROM unnest(pub.csv_fields(lines[1], 1)) WITH ORDINALITY u(x, o));
    col := (SELECT array_agg(array_position(head, c) ORDER BY o) FROM unnest(names) WITH ORDINALITY u(c, o));
    IF array_position(col, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'till CSV header has no column %', names[array_position(col, NULL)]
            USING ERRCODE = 'bad_copy_file_format', HINT = 'The header must name product_code, quantity, gross_amount, sold_at and payment_method.';
    END IF;
    FOR i IN 2 .. array_length(lines, 1) LOOP
        CONTINUE WHEN btrim(lines[i]) = '';
        f := pub.csv_fields(lines[i], i);
        IF cardinality(f) <> cardinality(head) THEN
            RAISE EXCEPTION 'till CSV line %: % fields, the header has %', i, cardinality(f), cardinality(head)
                USING ERRCODE = 'bad_copy_file_format';
        END IF;
        SELECT product_id INTO prod FROM pub.pos_product_map
         WHERE venue_id = p_venue AND source = 'csv' AND code = btrim(f[col[1]]);
        IF prod IS NULL THEN
            RAISE EXCEPTION 'till CSV line %: product_code "%" is not mapped to a product', i, left(f[col[1]], 60)
                USING ERRCODE = 'foreign_key_violation', HINT = 'Map it with pub.map_pos_product(venue_id, ''csv'', code, product_id).';
        END IF;
        qty := pub.doc_decimal(f[col[2]], format('till CSV line %s quantity', i));
        gross := pub.doc_amount(f[col[3]], format('till CSV line %s gross_amount', i));
        IF qty <= 0 OR gross < 0 THEN
            RAISE EXCEPTION 'till CSV line %: quantity % and gross_amount % must be positive', i, qty, gross
                USING ERRCODE = 'check_violation', HINT = 'Refunds are not imported from till exports; record them as refunds of the sale.';
        END IF;
        method := lower(btrim(f[col[5]]));
        IF method NOT IN ('cash', 'card') THEN
            RAISE EXCEPTION 'till CSV line %: payment_method "%" is not cash or card', i, left(f[col[5]], 40)
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        PERFORM pub.record_sale(jsonb_build_object(
            'venue_id', p_venue, 'idempotency_key', 'csv:' || h || ':' || i, 'till', coalesce(p_till, 'till'),
            'sold_at', pub.till_time(f[col[4]], v.time_zone, i),
            'lines', (SELECT jsonb_agg(x) FROM pub.pos_sale_lines(prod, qty, gross, format('till CSV line %s', i)) x),
            'payments', jsonb_build_array(jsonb_build_object('method', method, 'amount', gross))));
        n := n + 1; total := total + gross;
    END LOOP;
    UPDATE pub.till_import SET rows = n, gross = total WHERE venue_id = p_venue AND file_hash = h;
    RETURN jsonb_build_object('file_hash', h, 'duplicate', false, 'rows', n, 'gross', total);
END $$;
COMMENT ON FUNCTION pub.import_till_csv(bigint, text, text) IS
    'Imports a day''s till export (CSV: product_code, quantity, gross_amount, sold_at, payment_method), one sale per row; the same file again is a no-op; any bad row rejects the whole file';
