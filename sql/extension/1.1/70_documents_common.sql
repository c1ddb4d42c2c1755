-- ===========================================================================
-- Documents in: shared parts of the e-invoice, Square and till-CSV readers.
-- Every value taken from an outside document goes through one of these
-- checks, so a hostile document ends in an error naming the field, never in
-- a silent wrong number.
-- ===========================================================================

-- Largest magnitude accepted for any amount or quantity read from a
-- document: 12 integer digits (a bar's invoice never comes near it; the
-- ledger columns hold 14).
CREATE FUNCTION pub.doc_decimal(p_value text, p_field text, p_required boolean DEFAULT true) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    v text := btrim(p_value, E' \t\r\n');
BEGIN
    IF v IS NULL OR v = '' THEN
        IF p_required THEN
            RAISE EXCEPTION '% is missing', p_field USING ERRCODE = 'not_null_violation';
        END IF;
        RETURN NULL;
    END IF;
    IF v !~ '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$' THEN
        RAISE EXCEPTION '% "%" is not a decimal number', p_field, left(v, 40)
            USING ERRCODE = 'invalid_text_representation';
    END IF;
    IF length(split_part(ltrim(v, '+-'), '.', 1)) > 12 OR length(split_part(v, '.', 2)) > 6 THEN
        RAISE EXCEPTION '% "%" is out of range (at most 12 integer digits and 6 decimals)', p_field, left(v, 40)
            USING ERRCODE = 'numeric_value_out_of_range';
    END IF;
    RETURN v::numeric;
END $$;
COMMENT ON FUNCTION pub.doc_decimal(text, text, boolean) IS
    'Reads a decimal from a document field: null when absent and optional, else an error naming the field (missing, not a number, out of range)';

-- Units a supplier invoices in (UN/ECE Recommendation 20 and 21 codes).
CREATE TABLE pub.unit_code (
    code       text PRIMARY KEY,
    meaning    text NOT NULL,
    kind       text NOT NULL CONSTRAINT unit_code_kind_check CHECK (kind IN ('pack', 'piece', 'measure')),
    base_unit  text CONSTRAINT unit_code_base_unit_check CHECK (base_unit IN ('ml', 'g')),
    factor     numeric CONSTRAINT unit_code_factor_check CHECK (factor > 0),
    CONSTRAINT unit_code_measure_check CHECK ((kind = 'measure') = (base_unit IS NOT NULL AND factor IS NOT NULL))
);
COMMENT ON TABLE pub.unit_code IS 'Invoice unit codes and how they convert to a stock item''s purchase units (packs)';
COMMENT ON COLUMN pub.unit_code.kind IS 'pack: one purchase unit (a case, a keg); piece: one base unit when the item counts in each, else one pack; measure: factor base units';
COMMENT ON COLUMN pub.unit_code.factor IS 'For a measure: base units (ml or g) in one of this unit';

INSERT INTO pub.unit_code (code, meaning, kind, base_unit, factor) VALUES
    ('C62', 'one (unit)',  'piece',   NULL, NULL),
    ('EA',  'each',        'piece',   NULL, NULL),
    ('H87', 'piece',       'piece',   NULL, NULL),
    ('XBO', 'bottle',      'piece',   NULL, NULL),
    ('CS',  'case',        'pack',    NULL, NULL),
    ('XCS', 'case',        'pack',    NULL, NULL),
    ('XCR', 'crate',       'pack',    NULL, NULL),
    ('XBX', 'box',         'pack',    NULL, NULL),
    ('XKG', 'keg',         'pack',    NULL, NULL),
    ('MLT', 'millilitre',  'measure', 'ml', 1),
    ('CLT', 'centilitre',  'measure', 'ml', 10),
    ('LTR', 'litre',       'measure', 'ml', 1000),
    ('HLT', 'hectolitre',  'measure', 'ml', 100000),
    ('GRM', 'gram',        'measure', 'g',  1),
    ('KGM', 'kilogram',    'measure', 'g',  1000);

-- Purchase units (packs) of a stock item in a quantity of an invoice unit,
-- or null when the unit cannot describe that item (litres of a bottle
-- counted in each).
CREATE FUNCTION pub.doc_packs(p_unit text, p_quantity numeric, p_item bigint) RETURNS numeric
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    SELECT CASE
             WHEN u.kind = 'pack' THEN p_quantity
             WHEN u.kind = 'piece' AND i.base_unit = 'each' THEN p_quantity / i.pack_size
             WHEN u.kind = 'piece' THEN p_quantity
             WHEN u.base_unit = i.base_unit THEN p_quantity * u.factor / i.pack_size
           END
      FROM pub.stock_item i LEFT JOIN pub.unit_code u ON u.code = p_unit
     WHERE i.id = p_item
$$;
COMMENT ON FUNCTION pub.doc_packs(text, numeric, bigint) IS
    'Converts an invoiced quantity in a unit code to purchase units (packs) of a stock item; null when the unit does not fit the item';

-- What a till or PoS calls a product, per source.
CREATE TABLE pub.pos_product_map (
    venue_id    bigint NOT NULL,
    source      text NOT NULL CONSTRAINT pos_product_map_source_check CHECK (source IN ('square', 'csv')),
    code        text NOT NULL CONSTRAINT pos_product_map_code_check CHECK (code <> ''),
    product_id  bigint NOT NULL,
    PRIMARY KEY (venue_id, source, code),
    FOREIGN KEY (venue_id, product_id) REFERENCES pub.product (venue_id, id)
);
COMMENT ON TABLE pub.pos_product_map IS 'Maps a point of sale''s product code (Square catalog_object_id, a till export''s product code) to a product';

-- One product line as sale lines with two-decimal unit prices whose sum is
-- exactly the gross amount: 3 for 10.00 is 2 at 3.33 and 1 at 3.34.
CREATE FUNCTION pub.pos_sale_lines(p_product bigint, p_quantity numeric, p_gross numeric, p_field text)
RETURNS SETOF jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    cents bigint := round(p_gross * 100); unit bigint; extra bigint; price numeric;
BEGIN
    IF p_quantity = trunc(p_quantity) THEN
        unit := cents / p_quantity::bigint;          -- integer division: floor for amounts >= 0
        extra := cents - unit * p_quantity::bigint;  -- cents left over, fewer than the quantity
        IF p_quantity - extra > 0 THEN
            RETURN NEXT jsonb_build_object('product_id', p_product, 'quantity', p_quantity - extra, 'unit_price', round(unit / 100.0, 2));
        END IF;
        IF extra > 0 THEN
            RETURN NEXT jsonb_build_object('product_id', p_product, 'quantity', extra, 'unit_price', round((unit + 1) / 100.0, 2));
        END IF;
        RETURN;
    END IF;
    price := round(p_gross / p_quantity, 2);
    IF round(price * p_quantity, 2) <> p_gross THEN
        RAISE EXCEPTION '%: quantity % for % cannot be expressed as a unit price in cents', p_field, p_quantity, p_gross
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN NEXT jsonb_build_object('product_id', p_product, 'quantity', p_quantity, 'unit_price', price);
END $$;
COMMENT ON FUNCTION pub.pos_sale_lines(bigint, numeric, numeric, text) IS
    'Splits a product line (quantity, gross) into record_sale lines with cent unit prices that add up to the gross exactly';

-- An amount: a decimal with at most two decimals (EN 16931 BR-DEC rules).
CREATE FUNCTION pub.doc_amount(p_value text, p_field text, p_required boolean DEFAULT true) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    v numeric := pub.doc_decimal(p_value, p_field, p_required);
BEGIN
    IF v <> round(v, 2) THEN
        RAISE EXCEPTION '% % has more than two decimals', p_field, v
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN v;
END $$;
COMMENT ON FUNCTION pub.doc_amount(text, text, boolean) IS
    'Reads an amount from a document field: a decimal (see doc_decimal) with at most two decimals';
