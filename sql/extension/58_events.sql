-- ===========================================================================
-- Back office: business events.  A compact event per business fact, in the
-- shape of Debezium's outbox pattern, so the relay can route each insert to
-- a topic per aggregatetype keyed by aggregateid.  Written by:
--   post_sale (SaleRecorded), post_invoice (DeliveryBooked, CreditNoteBooked),
--   stock_movement_apply (StockBelowPar), and the trigger below (PeriodClosed).
-- ===========================================================================

CREATE TABLE pub.outbox (
    id             uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    aggregatetype  text NOT NULL,
    aggregateid    text NOT NULL,
    type           text NOT NULL,
    payload        jsonb NOT NULL,
    venue_id       bigint NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE pub.outbox IS 'Business events in the Debezium outbox shape; the relay routes inserts to a topic per aggregatetype, keyed by aggregateid';
COMMENT ON COLUMN pub.outbox.aggregatetype IS 'sale, delivery, stock, period';
COMMENT ON COLUMN pub.outbox.aggregateid IS 'Id of the aggregate (sale id, invoice id, stock item id, venue id:period)';
COMMENT ON COLUMN pub.outbox.type IS 'SaleRecorded, DeliveryBooked, StockBelowPar, PeriodClosed';
CREATE TRIGGER outbox_append_only BEFORE UPDATE OR TRUNCATE ON pub.outbox
    FOR EACH STATEMENT EXECUTE FUNCTION pub.refuse_change();
COMMENT ON TRIGGER outbox_append_only ON pub.outbox IS 'Refuses UPDATE and TRUNCATE on pub.outbox; relayed events may be deleted';


CREATE FUNCTION pub.accounting_period_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
BEGIN
    INSERT INTO pub.outbox (aggregatetype, aggregateid, type, payload, venue_id)
    VALUES ('period', NEW.venue_id || ':' || NEW.period_start || ':' || NEW.period_end, 'PeriodClosed',
            jsonb_build_object('venue_id', NEW.venue_id, 'period_start', NEW.period_start,
                               'period_end', NEW.period_end, 'closed_by', NEW.closed_by),
            NEW.venue_id);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.accounting_period_event() IS 'Trigger: a closed period emits PeriodClosed';
CREATE TRIGGER accounting_period_event AFTER INSERT ON pub.accounting_period
    FOR EACH ROW EXECUTE FUNCTION pub.accounting_period_event();
COMMENT ON TRIGGER accounting_period_event ON pub.accounting_period IS 'Emits PeriodClosed when a period is closed';
