-- ===========================================================================
-- Back office: stocktakes.  Counts by units or by weight; posting compares
-- each counted item with its level, keeps the result, adjusts stock and
-- posts the variance to shrinkage.
-- ===========================================================================

CREATE TABLE pub.stocktake (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id    bigint NOT NULL REFERENCES pub.venue,
    counted_on  date NOT NULL,
    note        text,
    UNIQUE (venue_id, id)
);
COMMENT ON TABLE pub.stocktake IS 'A stock count; insert it with its counts in one transaction (or use record_stocktake)';

CREATE TABLE pub.stocktake_count (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stocktake_id    bigint NOT NULL,
    venue_id        bigint NOT NULL,
    stock_item_id   bigint NOT NULL,
    full_units      numeric(12,3) NOT NULL DEFAULT 0 CONSTRAINT stocktake_count_full_units_check CHECK (full_units >= 0),
    loose_units     numeric(14,3) NOT NULL DEFAULT 0 CONSTRAINT stocktake_count_loose_units_check CHECK (loose_units >= 0),
    gross_weight_g  numeric(10,1) CONSTRAINT stocktake_count_gross_weight_g_check CHECK (gross_weight_g >= 0),
    FOREIGN KEY (venue_id, stocktake_id) REFERENCES pub.stocktake (venue_id, id),
    FOREIGN KEY (venue_id, stock_item_id) REFERENCES pub.stock_item (venue_id, id)
);
COMMENT ON TABLE pub.stocktake_count IS 'One count of an item: full packs, loose base units, and/or one opened container weighed (several rows add up)';
COMMENT ON COLUMN pub.stocktake_count.full_units IS 'Unopened packs (kegs, bottles, cases)';
COMMENT ON COLUMN pub.stocktake_count.loose_units IS 'Loose base units (single bottles of a case, portions)';
COMMENT ON COLUMN pub.stocktake_count.gross_weight_g IS 'Weight of one opened container: remaining = (gross - tare) / (full - tare) × pack_size';

CREATE TABLE pub.stocktake_result (
    stocktake_id     bigint NOT NULL,
    stock_item_id    bigint NOT NULL,
    venue_id         bigint NOT NULL,
    expected         numeric(16,3) NOT NULL,
    counted          numeric(16,3) NOT NULL,
    variance         numeric(16,3) NOT NULL,
    unit_cost        numeric(18,8) NOT NULL,
    variance_cost    numeric(14,2) NOT NULL,
    retail_per_unit  numeric(18,8),
    variance_retail  numeric(14,2),
    PRIMARY KEY (stocktake_id, stock_item_id),
    FOREIGN KEY (venue_id, stocktake_id) REFERENCES pub.stocktake (venue_id, id)
);
COMMENT ON TABLE pub.stocktake_result IS 'Per counted item: the level expected from the movement log, the count, and the variance (counted - expected; negative = missing)';
COMMENT ON COLUMN pub.stocktake_result.retail_per_unit IS 'Net selling price per base unit of the product that sells the item alone (the cheapest per unit when several do)';

SELECT pub.make_append_only('pub.stocktake');
SELECT pub.make_append_only('pub.stocktake_count');
SELECT pub.make_append_only('pub.stocktake_result');

-- Net retail value of one base unit of a stock item on a date.
CREATE FUNCTION pub.retail_per_unit(p_item bigint, p_on date) RETURNS numeric
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    SELECT min(p.price * 100 / (100 + r.rate) / rl.quantity)
      FROM pub.recipe_line rl
      JOIN pub.product p ON p.id = rl.product_id AND p.active
      JOIN pub.venue v ON v.id = p.venue_id
      JOIN pub.vat_rate r ON r.country = v.country AND r.tax_class = p.tax_class
                         AND r.valid_from <= p_on AND (r.valid_to IS NULL OR r.valid_to >= p_on)
     WHERE rl.stock_item_id = p_item
       AND NOT EXISTS (SELECT 1 FROM pub.recipe_line o WHERE o.product_id = rl.product_id AND o.stock_item_id <> p_item)
$$;
COMMENT ON FUNCTION pub.retail_per_unit(bigint, date) IS 'Net (ex-VAT) selling price per base unit of a stock item, from the products that sell it alone';

CREATE FUNCTION pub.post_stocktake(p_stocktake bigint) RETURNS bigint
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    st pub.stocktake; bad record; total numeric;
BEGIN
    SELECT * INTO st FROM pub.stocktake WHERE id = p_stocktake;
    IF EXISTS (SELECT 1 FROM pub.stocktake_result WHERE stocktake_id = p_stocktake) THEN
        RETURN NULL;
    END IF;
    SELECT c.id, i.sku, c.gross_weight_g, i.full_weight_g, i.tare_weight_g INTO bad
      FROM pub.stocktake_count c JOIN pub.stock_item i ON i.id = c.stock_item_id
     WHERE c.stocktake_id = p_stocktake AND c.gross_weight_g IS NOT NULL
       AND (i.full_weight_g IS NULL OR i.tare_weight_g IS NULL
            OR c.gross_weight_g < i.tare_weight_g OR c.gross_weight_g > i.full_weight_g)
     LIMIT 1;
    IF bad.id IS NOT NULL THEN
        RAISE EXCEPTION 'stocktake count of %: gross_weight_g % is outside tare % .. full % weight',
              bad.sku, bad.gross_weight_g, coalesce(bad.tare_weight_g::text, 'unknown'), coalesce(bad.full_weight_g::text, 'unknown')
            USING ERRCODE = 'check_violation';
    END IF;

    PERFORM 1 FROM pub.stock_level
     WHERE stock_item_id IN (SELECT stock_item_id FROM pub.stocktake_count WHERE stocktake_id = p_stocktake)
     ORDER BY stock_item_id FOR UPDATE;
    INSERT INTO pub.stocktake_result (stocktake_id, stock_item_id, venue_id, expected, counted, variance,
                                      unit_cost, variance_cost, retail_per_unit, variance_retail)
    SELECT p_stocktake, c.stock_item_id, st.venue_id, l.quantity, c.q, c.q - l.quantity, l.avg_cost,
           round((c.q - l.quantity) * l.avg_cost, 2), pub.retail_per_unit(c.stock_item_id, st.counted_on),
           round((c.q - l.quantity) * pub.retail_per_unit(c.stock_item_id, st.counted_on), 2)
      FROM (SELECT c.stock_item_id,
                   round(sum(c.full_units * i.pack_size + c.loose_units
                             + coalesce((c.gross_weight_g - i.tare_weight_g) / (i.full_weight_g - i.tare_weight_g)
                                        * i.pack_size, 0)), 3) AS q
              FROM pub.stocktake_count c JOIN pub.stock_item i ON i.id = c.stock_item_id
             WHERE c.stocktake_id = p_stocktake GROUP BY c.stock_item_id) c
      JOIN pub.stock_level l ON l.stock_item_id = c.stock_item_id;

    INSERT INTO pub.stock_movement (venue_id, stock_item_id, kind, quantity, unit_cost, source_id, moved_on)
    SELECT venue_id, stock_item_id, 'stocktake', variance, unit_cost, p_stocktake, st.counted_on
      FROM pub.stocktake_result WHERE stocktake_id = p_stocktake AND variance <> 0 ORDER BY stock_item_id;

    SELECT coalesce(sum(variance_cost), 0) INTO total FROM pub.stocktake_result WHERE stocktake_id = p_stocktake;
    IF total = 0 THEN
        RETURN NULL;   -- nothing to post; the results are kept
    END IF;
    RETURN pub.post_entry(st.venue_id, st.counted_on, 'stocktake', p_stocktake, 'stocktake:' || p_stocktake,
        'stocktake variance',
        jsonb_build_array(jsonb_build_object('role', 'shrinkage', 'debit', greatest(-total, 0), 'credit', greatest(total, 0)),
                          jsonb_build_object('role', 'inventory', 'debit', greatest(total, 0), 'credit', greatest(-total, 0))));
END $$;
COMMENT ON FUNCTION pub.post_stocktake(bigint) IS 'Internal: compares counts with levels, adjusts stock and posts the variance to shrinkage (once)';

CREATE FUNCTION pub.stocktake_post_trigger() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
BEGIN
    PERFORM pub.post_stocktake(NEW.id);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.stocktake_post_trigger() IS 'Deferred constraint trigger: posts a stocktake once, with all its counts';
CREATE CONSTRAINT TRIGGER stocktake_posted AFTER INSERT ON pub.stocktake
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pub.stocktake_post_trigger();
COMMENT ON TRIGGER stocktake_posted ON pub.stocktake IS 'At commit (or when record_stocktake asks): compares counts with levels, adjusts stock, posts shrinkage';

-- {"venue_id", "counted_on", "note", "counts": [{"sku" | "stock_item_id", "full_units", "loose_units", "gross_weight_g"}]}
CREATE FUNCTION pub.record_stocktake(p jsonb) RETURNS bigint
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    v_venue bigint := (p->>'venue_id')::bigint; v_id bigint; c jsonb; i int := 0; item bigint;
BEGIN
    IF jsonb_typeof(p->'counts') IS DISTINCT FROM 'array' OR jsonb_array_length(p->'counts') = 0 THEN
        RAISE EXCEPTION 'counts must be a non-empty array' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO pub.stocktake (venue_id, counted_on, note)
    VALUES (v_venue, coalesce((p->>'counted_on')::date, current_date), p->>'note') RETURNING id INTO v_id;
    FOR c IN SELECT * FROM jsonb_array_elements(p->'counts') LOOP
        i := i + 1;
        SELECT id INTO item FROM pub.stock_item
         WHERE venue_id = v_venue AND (id = (c->>'stock_item_id')::bigint OR sku = c->>'sku');
        IF item IS NULL THEN
            RAISE EXCEPTION 'counts[%]: sku/stock_item_id % is not a stock item of venue_id %',
                  i, coalesce(c->>'sku', c->>'stock_item_id', 'null'), v_venue
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        INSERT INTO pub.stocktake_count (stocktake_id, venue_id, stock_item_id, full_units, loose_units, gross_weight_g)
        VALUES (v_id, v_venue, item, coalesce((c->>'full_units')::numeric, 0),
                coalesce((c->>'loose_units')::numeric, 0), (c->>'gross_weight_g')::numeric);
    END LOOP;
    SET CONSTRAINTS pub.stocktake_posted IMMEDIATE;
    SET CONSTRAINTS pub.stocktake_posted DEFERRED;
    RETURN v_id;
END $$;
COMMENT ON FUNCTION pub.record_stocktake(jsonb) IS 'Records and posts a stocktake from JSON; returns its id';
