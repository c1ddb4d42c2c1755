-- ===========================================================================
-- Back office: wastage and transfers between venues.  Each is a row a
-- manager inserts; a trigger moves the stock at average cost and posts it.
-- ===========================================================================

CREATE TABLE pub.wastage (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id       bigint NOT NULL,
    stock_item_id  bigint NOT NULL,
    quantity       numeric(14,3) NOT NULL CONSTRAINT wastage_quantity_check CHECK (quantity > 0),
    recorded_on    date NOT NULL DEFAULT current_date,
    reason         text,
    FOREIGN KEY (venue_id, stock_item_id) REFERENCES pub.stock_item (venue_id, id)
);
COMMENT ON TABLE pub.wastage IS 'Recorded waste (line cleaning, spillage, breakage) in base units: Dr wastage, Cr inventory at average cost';

CREATE FUNCTION pub.wastage_post() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
DECLARE
    c numeric;
BEGIN
    SELECT avg_cost INTO c FROM pub.stock_level WHERE stock_item_id = NEW.stock_item_id FOR UPDATE;
    INSERT INTO pub.stock_movement (venue_id, stock_item_id, kind, quantity, unit_cost, source_id, moved_on)
    VALUES (NEW.venue_id, NEW.stock_item_id, 'wastage', -NEW.quantity, c, NEW.id, NEW.recorded_on);
    PERFORM pub.post_entry(NEW.venue_id, NEW.recorded_on, 'wastage', NEW.id, 'wastage:' || NEW.id,
        coalesce(NEW.reason, 'wastage'),
        jsonb_build_array(jsonb_build_object('role', 'wastage', 'debit', round(NEW.quantity * c, 2)),
                          jsonb_build_object('role', 'inventory', 'credit', round(NEW.quantity * c, 2))));
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.wastage_post() IS 'Trigger: books wastage out of stock and into the wastage expense';
CREATE TRIGGER wastage_post AFTER INSERT ON pub.wastage FOR EACH ROW EXECUTE FUNCTION pub.wastage_post();
COMMENT ON TRIGGER wastage_post ON pub.wastage IS 'Books wastage out of stock and into the wastage expense';
SELECT pub.make_append_only('pub.wastage');

CREATE TABLE pub.stock_transfer (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id        bigint NOT NULL REFERENCES pub.venue,
    to_venue_id     bigint NOT NULL REFERENCES pub.venue,
    sku             text NOT NULL,
    quantity        numeric(14,3) NOT NULL CONSTRAINT stock_transfer_quantity_check CHECK (quantity > 0),
    transferred_on  date NOT NULL DEFAULT current_date,
    CONSTRAINT stock_transfer_to_venue_id_check CHECK (to_venue_id <> venue_id)
);
COMMENT ON TABLE pub.stock_transfer IS 'Stock sent from venue_id to to_venue_id (same sku in both), at the sender''s average cost';
COMMENT ON COLUMN pub.stock_transfer.quantity IS 'Base units sent';

CREATE FUNCTION pub.stock_transfer_post() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
DECLARE
    src bigint; dst bigint; c numeric; val numeric;
BEGIN
    SELECT id INTO src FROM pub.stock_item WHERE venue_id = NEW.venue_id AND sku = NEW.sku;
    SELECT id INTO dst FROM pub.stock_item WHERE venue_id = NEW.to_venue_id AND sku = NEW.sku;
    IF src IS NULL OR dst IS NULL THEN
        RAISE EXCEPTION 'sku % must be a stock item of both venue_id % and to_venue_id %', NEW.sku, NEW.venue_id, NEW.to_venue_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    -- Lock both levels in id order, as every other movement does.
    PERFORM 1 FROM pub.stock_level WHERE stock_item_id IN (src, dst) ORDER BY stock_item_id FOR UPDATE;
    SELECT avg_cost INTO c FROM pub.stock_level WHERE stock_item_id = src;
    val := round(NEW.quantity * c, 2);
    INSERT INTO pub.stock_movement (venue_id, stock_item_id, kind, quantity, unit_cost, valued, source_id, moved_on)
    VALUES (NEW.venue_id, src, 'transfer_out', -NEW.quantity, c, false, NEW.id, NEW.transferred_on),
           (NEW.to_venue_id, dst, 'transfer_in', NEW.quantity, val / NEW.quantity, true, NEW.id, NEW.transferred_on);
    PERFORM pub.post_entry(NEW.venue_id, NEW.transferred_on, 'transfer', NEW.id, 'transfer-out:' || NEW.id,
        'transfer of ' || NEW.sku || ' to venue ' || NEW.to_venue_id,
        jsonb_build_array(jsonb_build_object('role', 'transfer_out', 'debit', val),
                          jsonb_build_object('role', 'inventory', 'credit', val)));
    PERFORM pub.post_entry(NEW.to_venue_id, NEW.transferred_on, 'transfer', NEW.id, 'transfer-in:' || NEW.id,
        'transfer of ' || NEW.sku || ' from venue ' || NEW.venue_id,
        jsonb_build_array(jsonb_build_object('role', 'inventory', 'debit', val),
                          jsonb_build_object('role', 'transfer_in', 'credit', val)));
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.stock_transfer_post() IS 'Trigger: moves stock between venues at average cost and posts both sides';
CREATE TRIGGER stock_transfer_post AFTER INSERT ON pub.stock_transfer FOR EACH ROW EXECUTE FUNCTION pub.stock_transfer_post();
COMMENT ON TRIGGER stock_transfer_post ON pub.stock_transfer IS 'Moves the stock between the two venues and posts both sides';
SELECT pub.make_append_only('pub.stock_transfer');

CREATE FUNCTION pub.record_wastage(p_venue bigint, p_stock_item bigint, p_quantity numeric, p_on date, p_reason text)
RETURNS bigint
LANGUAGE sql SET search_path = pub, pg_catalog AS $$
    INSERT INTO pub.wastage (venue_id, stock_item_id, quantity, recorded_on, reason)
    VALUES (p_venue, p_stock_item, p_quantity, p_on, p_reason) RETURNING id
$$;
COMMENT ON FUNCTION pub.record_wastage(bigint, bigint, numeric, date, text) IS 'Records wastage of base units of a stock item; returns its id';

CREATE FUNCTION pub.transfer_stock(p_from bigint, p_to bigint, p_sku text, p_quantity numeric, p_on date)
RETURNS bigint
LANGUAGE sql SET search_path = pub, pg_catalog AS $$
    INSERT INTO pub.stock_transfer (venue_id, to_venue_id, sku, quantity, transferred_on)
    VALUES (p_from, p_to, p_sku, p_quantity, p_on) RETURNING id
$$;
COMMENT ON FUNCTION pub.transfer_stock(bigint, bigint, text, numeric, date) IS 'Sends base units of a sku from one venue to another; returns the transfer id';
