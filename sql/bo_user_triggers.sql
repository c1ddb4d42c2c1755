-- A trigger someone adds to a table the sale posting writes (journal_entry,
-- journal_line, stock_movement, stock_level, outbox) would not fire for the
-- posting's rows, which are written without triggers: the posting refuses
-- the sale instead, naming the trigger, while one is enabled.  Every other
-- writer of the table fires it as usual.
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
\set VERBOSITY terse
\i sql/include/bo_try.psql
\set venue_name 'Trigger Arms'
\i sql/include/bo_pub_ie.psql
CREATE FUNCTION pg_temp.pint(key text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.try(format('SELECT pub.record_sale(%L)', jsonb_build_object('venue_id', v.id, 'idempotency_key', key,
        'sold_at', '2026-07-05 21:00+01', 'lines', jsonb_build_array(jsonb_build_object('product_id', p.id, 'quantity', 1)))))
      FROM pub.venue v JOIN pub.product p ON p.venue_id = v.id AND p.name = 'Pint of Guinness'
$$;
SELECT pg_temp.pint('before-trigger') AS no_user_trigger;

-- An audit trigger on journal_line that records every line it sees.
CREATE TABLE public.line_audit (entry_id bigint, debit numeric, credit numeric);
CREATE FUNCTION public.audit_line() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.line_audit VALUES (NEW.entry_id, NEW.debit, NEW.credit);
    RETURN NULL;
END $$;
CREATE TRIGGER line_audit AFTER INSERT ON pub.journal_line FOR EACH ROW EXECUTE FUNCTION public.audit_line();
-- A sale is refused, with the whole error: nothing of it is written.
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT pub.record_sale(jsonb_build_object('venue_id', :v, 'idempotency_key', 'with-trigger', 'sold_at', '2026-07-05 21:00+01',
    'lines', jsonb_build_array(jsonb_build_object('product_id', :guinness, 'quantity', 1))));
\set VERBOSITY terse
\set SHOW_CONTEXT errors
SELECT count(*) AS sales_with_trigger FROM pub.sale WHERE idempotency_key = 'with-trigger';
-- Also at COMMIT, for a till's plain INSERTs.
BEGIN;
INSERT INTO pub.sale (venue_id, idempotency_key, sold_at) VALUES (:v, 'till-insert', '2026-07-05 21:00+01') RETURNING id AS sid \gset
INSERT INTO pub.sale_line (sale_id, line_no, venue_id, product_id, quantity, unit_price) VALUES (:sid, 1, :v, :guinness, 1, 5.60);
INSERT INTO pub.sale_payment (sale_id, method, venue_id, amount) VALUES (:sid, 'cash', :v, 5.60);
COMMIT;
-- Other writers fire it: a manual journal's two lines are audited.
SELECT pub.post_journal(:v, '2026-07-05', 'float', 'float-1',
    '[{"account": "1000", "debit": 50.00}, {"account": "1100", "credit": 50.00}]') IS NOT NULL AS manual_posted;
SELECT debit, credit FROM public.line_audit ORDER BY debit DESC;

-- Disabled, it does not fire for anyone: sales post again (the cached
-- triggers follow ALTER TABLE); enabled again, sales are refused again.
ALTER TABLE pub.journal_line DISABLE TRIGGER line_audit;
SELECT pg_temp.pint('trigger-disabled') AS disabled;
ALTER TABLE pub.journal_line ENABLE TRIGGER line_audit;
SELECT pg_temp.pint('trigger-enabled') AS enabled;
-- ENABLE REPLICA: fires only under session_replication_role = replica, where
-- no sale posts (sale_posted is an origin trigger).
ALTER TABLE pub.journal_line ENABLE REPLICA TRIGGER line_audit;
SELECT pg_temp.pint('trigger-replica') AS replica_only;
DROP TRIGGER line_audit ON pub.journal_line;

-- Only INSERT and UPDATE triggers count (the posting neither deletes nor
-- truncates): a DELETE trigger on journal_line is no obstacle.
CREATE TRIGGER line_delete AFTER DELETE ON pub.journal_line FOR EACH ROW EXECUTE FUNCTION public.audit_line();
SELECT pg_temp.pint('delete-trigger') AS delete_trigger;
DROP TRIGGER line_delete ON pub.journal_line;
-- The posting updates stock_level: a statement-level UPDATE trigger there is refused too.
CREATE FUNCTION public.noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER level_watch AFTER UPDATE ON pub.stock_level FOR EACH STATEMENT EXECUTE FUNCTION public.noop();
SELECT pg_temp.pint('level-trigger') AS level_trigger;
DROP TRIGGER level_watch ON pub.stock_level;
CREATE TRIGGER outbox_watch BEFORE INSERT ON pub.outbox FOR EACH ROW EXECUTE FUNCTION public.noop();
SELECT pg_temp.pint('outbox-trigger') AS outbox_trigger;
DROP TRIGGER outbox_watch ON pub.outbox;

-- What posted, each balanced.
SELECT s.idempotency_key, sum(l.debit) = sum(l.credit) AS balanced
  FROM pub.sale s JOIN pub.journal_entry e ON e.idempotency_key = 'sale:' || s.id JOIN pub.journal_line l ON l.entry_id = e.id
 GROUP BY s.id, s.idempotency_key ORDER BY s.id;
DROP TABLE public.line_audit;
DROP FUNCTION public.audit_line(), public.noop();
DROP EXTENSION pub_backoffice CASCADE;
