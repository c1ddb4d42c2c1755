-- ===========================================================================
-- Documents in: point-of-sale orders (Square's Orders API).  Each order is
-- ingested once per (order id, version); a COMPLETED order becomes a sale
-- through pub.record_sale, a return becomes a refund, a tip a liability to
-- staff.  Square's INCLUSIVE VAT is compared with ours: a difference is
-- recorded in pub.pos_tax_mismatch and the order is posted at our VAT.
-- ===========================================================================

CREATE TABLE pub.pos_order (
    venue_id      bigint NOT NULL REFERENCES pub.venue,
    source        text NOT NULL CONSTRAINT pos_order_source_check CHECK (source IN ('square')),
    order_id      text NOT NULL,
    version       bigint NOT NULL,
    state         text NOT NULL,
    kind          text CONSTRAINT pos_order_kind_check CHECK (kind IN ('sale', 'refund')),
    sale_id       bigint,
    tip           numeric NOT NULL DEFAULT 0,
    tips          jsonb NOT NULL DEFAULT '{}',
    tax_mismatch  boolean NOT NULL DEFAULT false,
    tenders       jsonb NOT NULL DEFAULT '{}',
    first_seen    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (venue_id, source, order_id),
    FOREIGN KEY (venue_id, sale_id) REFERENCES pub.sale (venue_id, id)
);
COMMENT ON TABLE pub.pos_order IS 'Orders received from a point of sale: the latest version seen and the sale it was posted as';
COMMENT ON COLUMN pub.pos_order.version IS 'Highest version received; an older or equal version is ignored';
COMMENT ON COLUMN pub.pos_order.sale_id IS 'The sale (or refund) posted when the order was COMPLETED; null until then';
COMMENT ON COLUMN pub.pos_order.tip IS 'Tips on the order''s tenders, posted to the tips liability account';
COMMENT ON COLUMN pub.pos_order.tips IS 'The tips by payment method, {"card": 3.00}, posted when the order is posted';
COMMENT ON COLUMN pub.pos_order.tax_mismatch IS 'true when the PoS''s VAT differs from ours on some line (see pos_tax_mismatch)';
COMMENT ON COLUMN pub.pos_order.tenders IS 'Tender id -> payment method, so a later refund goes back the way it was paid';

CREATE TABLE pub.pos_tax_mismatch (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id    bigint NOT NULL REFERENCES pub.venue,
    source      text NOT NULL,
    order_id    text NOT NULL,
    line_uid    text,
    product_id  bigint,
    pos_type    text,
    pos_rate    numeric,
    our_rate    numeric,
    pos_tax     numeric,
    our_tax     numeric,
    noted_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pos_tax_mismatch_order ON pub.pos_tax_mismatch (venue_id, source, order_id);
COMMENT ON TABLE pub.pos_tax_mismatch IS 'Lines where the point of sale''s VAT (type, rate or amount) differs from ours; the sale is posted at our VAT';

CREATE FUNCTION pub.map_pos_product(p_venue bigint, p_source text, p_code text, p_product bigint) RETURNS void
LANGUAGE sql SET search_path = pub, pg_catalog AS $$
    INSERT INTO pub.pos_product_map (venue_id, source, code, product_id) VALUES (p_venue, p_source, p_code, p_product)
    ON CONFLICT (venue_id, source, code) DO UPDATE SET product_id = EXCLUDED.product_id
$$;
COMMENT ON FUNCTION pub.map_pos_product(bigint, text, text, bigint) IS 'Maps a point of sale''s product code (Square catalog_object_id, a till export code) to a product';

-- A Square Money object {amount: integer minor units, currency}.
CREATE FUNCTION pub.square_money(m jsonb, p_field text, p_currency text, p_required boolean DEFAULT true) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE SET search_path = pub, pg_catalog AS $$
BEGIN
    IF m IS NULL OR jsonb_typeof(m) = 'null' THEN
        IF p_required THEN
            RAISE EXCEPTION '% is missing', p_field USING ERRCODE = 'not_null_violation';
        END IF;
        RETURN 0;
    END IF;
    IF jsonb_typeof(m) <> 'object' OR jsonb_typeof(m->'amount') IS DISTINCT FROM 'number'
       OR (m->>'amount') !~ '^-?[0-9]{1,14}$' THEN
        RAISE EXCEPTION '%.amount must be an integer number of minor units, got %', p_field, left(coalesce(m->>'amount', m::text), 40)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF m->>'currency' IS DISTINCT FROM p_currency THEN
        RAISE EXCEPTION '%.currency % is not the venue''s currency %', p_field, coalesce(m->>'currency', 'null'), p_currency
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN round((m->>'amount')::numeric / 100, 2);
END $$;
COMMENT ON FUNCTION pub.square_money(jsonb, text, text, boolean) IS
    'Reads a Square Money object (integer minor units, currency must be the venue''s) as an amount; optional ones default to 0';

-- The tips liability account of a venue (created on first use).
CREATE FUNCTION pub.tips_account(p_venue bigint) RETURNS text
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    c text;
BEGIN
    INSERT INTO pub.account (venue_id, code, name, type, role)
    VALUES (p_venue, '2300', 'Tips payable to staff', 'liability', 'tips')
    ON CONFLICT DO NOTHING;
    SELECT code INTO c FROM pub.account WHERE venue_id = p_venue AND role = 'tips';
    IF c IS NULL THEN
        RAISE EXCEPTION 'venue % has no tips account and code 2300 is taken', p_venue USING ERRCODE = 'no_data_found';
    END IF;
    RETURN c;
END $$;
COMMENT ON FUNCTION pub.tips_account(bigint) IS 'Code of the venue''s tips liability account (2300 Tips payable to staff, created when first needed)';

-- Posts tips: Dr cash/card (the tip came in with the tender), Cr tips payable.
CREATE FUNCTION pub.post_tips(p_venue bigint, p_date date, p_key text, p_tips jsonb) RETURNS bigint
LANGUAGE sql SET search_path = pub, pg_catalog AS $$
    SELECT pub.post_journal(p_venue, p_date, 'tips ' || p_key, 'tip:' || p_key,
        (SELECT jsonb_agg(jsonb_build_object('account', (SELECT code FROM pub.account WHERE id = pub.account_for(p_venue, t.key)),
                                             'debit', t.value::numeric))
           FROM jsonb_each_text(p_tips) t WHERE t.value::numeric > 0)
        || jsonb_build_array(jsonb_build_object('account', pub.tips_account(p_venue),
                                                'credit', (SELECT sum(value::numeric) FROM jsonb_each_text(p_tips)))))
     WHERE (SELECT sum(value::numeric) FROM jsonb_each_text(p_tips)) > 0
$$;
COMMENT ON FUNCTION pub.post_tips(bigint, date, text, jsonb) IS
    'Posts tips {"card": 3.00, "cash": 0} once per key: Dr the payment account, Cr tips payable; null when there are none';

-- Tips are posted by a SECURITY DEFINER trigger when an order gets its
-- sale: the till and manager roles may not post journals themselves.  Only
-- the sale recorded for this very order (its idempotency key) counts.
CREATE FUNCTION pub.pos_order_post_tips() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
DECLARE
    d date;
BEGIN
    SELECT (s.sold_at AT TIME ZONE v.time_zone)::date INTO d
      FROM pub.sale s JOIN pub.venue v ON v.id = s.venue_id
     WHERE s.id = NEW.sale_id AND s.idempotency_key = NEW.source || ':' || NEW.order_id;
    IF d IS NULL THEN
        RAISE EXCEPTION 'pos order %: sale_id % was not recorded for this order', NEW.order_id, NEW.sale_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF NEW.tip <> (SELECT coalesce(sum(value::numeric), 0) FROM jsonb_each_text(NEW.tips)) THEN
        RAISE EXCEPTION 'pos order %: tip % is not the sum of tips %', NEW.order_id, NEW.tip, NEW.tips
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM pub.post_tips(NEW.venue_id, d, NEW.source || ':' || NEW.order_id, NEW.tips);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.pos_order_post_tips() IS 'Trigger: posts an order''s tips (Dr payment account, Cr tips payable) when its sale is recorded';
CREATE TRIGGER pos_order_tips AFTER UPDATE OF sale_id ON pub.pos_order
    FOR EACH ROW WHEN (OLD.sale_id IS NULL AND NEW.sale_id IS NOT NULL)
    EXECUTE FUNCTION pub.pos_order_post_tips();
