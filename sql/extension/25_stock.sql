-- ===========================================================================
-- Back office: stock.  The movement log is the truth and is append-only;
-- stock_level (quantity and weighted average cost) is kept in step by a
-- statement trigger on the log, never by hand.
-- ===========================================================================

CREATE TABLE pub.stock_level (
    venue_id        bigint NOT NULL,
    stock_item_id   bigint PRIMARY KEY,
    quantity        numeric(16,3) NOT NULL DEFAULT 0,
    avg_cost        numeric(18,8) NOT NULL DEFAULT 0,
    negative_since  timestamptz,
    FOREIGN KEY (venue_id, stock_item_id) REFERENCES pub.stock_item (venue_id, id)
);
COMMENT ON TABLE pub.stock_level IS 'Current level and weighted average cost per stock item, maintained from pub.stock_movement by trigger';
COMMENT ON COLUMN pub.stock_level.quantity IS 'Base units on hand (the sum of the item''s movements)';
COMMENT ON COLUMN pub.stock_level.avg_cost IS 'Weighted average cost per base unit, net of VAT, updated by valued inbound movements';
COMMENT ON COLUMN pub.stock_level.negative_since IS 'Set while the level is negative (flagged, allowed unless the venue forbids it)';

CREATE FUNCTION pub.stock_item_create_level() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
BEGIN
    INSERT INTO pub.stock_level (venue_id, stock_item_id) VALUES (NEW.venue_id, NEW.id);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.stock_item_create_level() IS 'Trigger: every stock item starts with a zero stock level row';
CREATE TRIGGER stock_item_level AFTER INSERT ON pub.stock_item
    FOR EACH ROW EXECUTE FUNCTION pub.stock_item_create_level();
COMMENT ON TRIGGER stock_item_level ON pub.stock_item IS 'Gives a new stock item its zero stock level row';

CREATE TABLE pub.stock_movement (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id       bigint NOT NULL,
    stock_item_id  bigint NOT NULL,
    kind           text NOT NULL CONSTRAINT stock_movement_kind_check
                   CHECK (kind IN ('sale', 'void', 'delivery', 'credit_note', 'wastage',
                                   'transfer_out', 'transfer_in', 'stocktake', 'opening')),
    quantity       numeric(16,3) NOT NULL,
    unit_cost      numeric(18,8) NOT NULL,
    valued         boolean NOT NULL DEFAULT false,
    source_id      bigint,
    moved_on       date NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (venue_id, stock_item_id) REFERENCES pub.stock_item (venue_id, id)
);
CREATE INDEX stock_movement_item ON pub.stock_movement (stock_item_id, moved_on);
CREATE INDEX stock_movement_source ON pub.stock_movement (source_id, kind);
COMMENT ON TABLE pub.stock_movement IS 'Append-only log of stock changes in base units (negative = out)';
COMMENT ON COLUMN pub.stock_movement.unit_cost IS 'Cost per base unit: the purchase cost when valued, else the average cost at the time';
COMMENT ON COLUMN pub.stock_movement.valued IS 'true for inbound movements at their own cost (deliveries, credit notes, transfers in, opening stock), which update the average cost';
COMMENT ON COLUMN pub.stock_movement.source_id IS 'Id of the sale, invoice, wastage, transfer or stocktake that caused it';
COMMENT ON COLUMN pub.stock_movement.moved_on IS 'Business date of the movement';

SELECT pub.make_append_only('pub.stock_movement');

-- Applies a statement's movements to the levels: locks the rows in item
-- order (no deadlock between tills), updates quantity and average cost,
-- refuses negative stock where the venue forbids it, flags it elsewhere,
-- and emits StockBelowPar when an item crosses its par level downwards.
CREATE FUNCTION pub.stock_movement_apply() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
DECLARE
    bad record;
BEGIN
    PERFORM 1 FROM pub.stock_level s
     WHERE s.stock_item_id IN (SELECT stock_item_id FROM new_moves)
     ORDER BY s.stock_item_id FOR UPDATE;

    WITH d AS (
        SELECT stock_item_id, sum(quantity) AS dq,
               sum(quantity * unit_cost) FILTER (WHERE valued) AS dv,
               sum(quantity) FILTER (WHERE valued) AS vq
          FROM new_moves GROUP BY stock_item_id
    ), u AS (
        UPDATE pub.stock_level s
           SET quantity = s.quantity + d.dq,
               avg_cost = CASE
                   WHEN d.vq IS NULL OR d.vq = 0 THEN s.avg_cost
                   WHEN s.quantity <= 0 AND d.vq > 0 THEN d.dv / d.vq
                   WHEN s.quantity + d.vq > 0
                       THEN greatest((s.quantity * s.avg_cost + d.dv) / (s.quantity + d.vq), 0)
                   ELSE s.avg_cost END,
               negative_since = CASE WHEN s.quantity + d.dq >= 0 THEN NULL
                                     ELSE coalesce(s.negative_since, now()) END
          FROM d
         WHERE s.stock_item_id = d.stock_item_id
        RETURNING s.venue_id, s.stock_item_id, s.quantity AS new_q, s.quantity - d.dq AS old_q, d.dq
    ), below AS (
        INSERT INTO pub.outbox (aggregatetype, aggregateid, type, payload, venue_id)
        SELECT 'stock', i.id::text, 'StockBelowPar',
               jsonb_build_object('venue_id', u.venue_id, 'stock_item_id', i.id, 'sku', i.sku, 'name', i.name,
                                  'quantity', u.new_q, 'par_level', i.par_level, 'base_unit', i.base_unit,
                                  'reorder_packs', ceil((i.par_level - u.new_q) / i.pack_size)),
               u.venue_id
          FROM u JOIN pub.stock_item i ON i.id = u.stock_item_id
         WHERE u.new_q < i.par_level AND u.old_q >= i.par_level
    )
    SELECT u.stock_item_id, u.new_q, u.dq INTO bad
      FROM u JOIN pub.venue v ON v.id = u.venue_id
     WHERE u.new_q < 0 AND u.dq < 0 AND NOT v.allow_negative_stock
     LIMIT 1;
    IF bad.stock_item_id IS NOT NULL THEN
        RAISE EXCEPTION 'stock of item % would go negative: quantity % after a movement of %',
              (SELECT sku FROM pub.stock_item WHERE id = bad.stock_item_id), bad.new_q, bad.dq
            USING ERRCODE = 'check_violation',
                  HINT = 'The venue forbids negative stock (allow_negative_stock = false): book the delivery first.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.stock_movement_apply() IS 'Statement trigger: applies new movements to stock_level';
CREATE TRIGGER stock_movement_apply AFTER INSERT ON pub.stock_movement
    REFERENCING NEW TABLE AS new_moves FOR EACH STATEMENT EXECUTE FUNCTION pub.stock_movement_apply();
COMMENT ON TRIGGER stock_movement_apply ON pub.stock_movement IS 'Applies each statements movements to stock_level (quantity, average cost, negative-stock rule, StockBelowPar)';
