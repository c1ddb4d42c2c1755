-- ===========================================================================
-- Back office: purchasing.  A supplier invoice books stock in at cost
-- (updating the weighted average), input VAT and a payable; a credit note
-- reverses; payments clear the payable.  The number is unique per supplier:
-- the same document again is a no-op, a different one is an error.
-- ===========================================================================

CREATE TABLE pub.purchase_invoice (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id            bigint NOT NULL,
    supplier_id         bigint NOT NULL,
    kind                text NOT NULL DEFAULT 'invoice' CONSTRAINT purchase_invoice_kind_check
                        CHECK (kind IN ('invoice', 'credit_note')),
    number              text NOT NULL CONSTRAINT purchase_invoice_number_check CHECK (number <> ''),
    issue_date          date NOT NULL,
    currency            text NOT NULL,
    content_hash        text,
    credited_invoice_id bigint,
    created_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT purchase_invoice_number_unique UNIQUE (supplier_id, number),
    UNIQUE (venue_id, id),
    FOREIGN KEY (venue_id, supplier_id) REFERENCES pub.supplier (venue_id, id),
    FOREIGN KEY (venue_id, credited_invoice_id) REFERENCES pub.purchase_invoice (venue_id, id)
);
COMMENT ON TABLE pub.purchase_invoice IS 'A supplier invoice or credit note; insert it with its lines in one transaction (or use book_invoice)';
COMMENT ON COLUMN pub.purchase_invoice.number IS 'The supplier''s document number, unique per supplier';
COMMENT ON COLUMN pub.purchase_invoice.content_hash IS 'md5 of the canonical document, to tell a resend (no-op) from a different document (error)';
COMMENT ON COLUMN pub.purchase_invoice.credited_invoice_id IS 'For a credit note: the invoice it credits, when known';

CREATE TABLE pub.purchase_invoice_line (
    invoice_id     bigint NOT NULL,
    line_no        int NOT NULL,
    venue_id       bigint NOT NULL,
    stock_item_id  bigint NOT NULL,
    quantity       numeric(12,3) NOT NULL CONSTRAINT purchase_invoice_line_quantity_check CHECK (quantity >= 0),
    net_amount     numeric NOT NULL CONSTRAINT purchase_invoice_line_net_amount_check
                   CHECK (net_amount >= 0 AND net_amount = round(net_amount, 2)),
    vat_rate       numeric(5,2) NOT NULL,
    PRIMARY KEY (invoice_id, line_no),
    FOREIGN KEY (venue_id, invoice_id) REFERENCES pub.purchase_invoice (venue_id, id),
    FOREIGN KEY (venue_id, stock_item_id) REFERENCES pub.stock_item (venue_id, id)
);
COMMENT ON TABLE pub.purchase_invoice_line IS 'A line of a supplier document: quantity in purchase units (packs), net amount, VAT rate';
COMMENT ON COLUMN pub.purchase_invoice_line.quantity IS 'Purchase units (kegs, cases, bottles); × the item''s pack_size gives base units; 0 for a price-only credit';
COMMENT ON COLUMN pub.purchase_invoice_line.net_amount IS 'Line amount net of VAT (two decimals)';

CREATE TABLE pub.supplier_payment (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id     bigint NOT NULL,
    supplier_id  bigint NOT NULL,
    paid_on      date NOT NULL,
    amount       numeric NOT NULL CONSTRAINT supplier_payment_amount_check CHECK (amount > 0 AND amount = round(amount, 2)),
    reference    text NOT NULL,
    UNIQUE (supplier_id, reference),
    FOREIGN KEY (venue_id, supplier_id) REFERENCES pub.supplier (venue_id, id)
);
COMMENT ON TABLE pub.supplier_payment IS 'A payment to a supplier from the bank: Dr accounts payable, Cr bank';
COMMENT ON COLUMN pub.supplier_payment.reference IS 'Bank reference, unique per supplier (the payment''s idempotency key)';

SELECT pub.make_append_only('pub.purchase_invoice');
SELECT pub.make_append_only('pub.purchase_invoice_line');
SELECT pub.make_append_only('pub.supplier_payment');

-- Posts a supplier document once: stock, average cost, journal, event.
CREATE FUNCTION pub.post_invoice(p_invoice bigint) RETURNS bigint
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    inv record; sgn int; e bigint; bad record; n int;
BEGIN
    SELECT i.*, v.country, v.currency AS venue_currency INTO inv
      FROM pub.purchase_invoice i JOIN pub.venue v ON v.id = i.venue_id WHERE i.id = p_invoice;
    IF EXISTS (SELECT 1 FROM pub.journal_entry
                WHERE venue_id = inv.venue_id AND idempotency_key = inv.kind || ':' || p_invoice) THEN
        RETURN NULL;
    END IF;
    sgn := CASE inv.kind WHEN 'invoice' THEN 1 ELSE -1 END;
    IF inv.currency <> inv.venue_currency THEN
        RAISE EXCEPTION 'invoice %: currency % is not the venue''s currency %', inv.number, inv.currency, inv.venue_currency
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT count(*) INTO n FROM pub.purchase_invoice_line WHERE invoice_id = p_invoice;
    IF n = 0 THEN
        RAISE EXCEPTION 'invoice % has no lines', inv.number USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT l.line_no, l.vat_rate INTO bad FROM pub.purchase_invoice_line l
     WHERE l.invoice_id = p_invoice AND NOT EXISTS (
           SELECT 1 FROM pub.vat_rate r WHERE r.country = inv.country AND r.rate = l.vat_rate
              AND r.valid_from <= inv.issue_date AND (r.valid_to IS NULL OR r.valid_to >= inv.issue_date))
     LIMIT 1;
    IF bad.line_no IS NOT NULL THEN
        RAISE EXCEPTION 'invoice % line %: missing VAT rate % for country % on %',
              inv.number, bad.line_no, bad.vat_rate, inv.country, inv.issue_date
            USING ERRCODE = 'no_data_found', HINT = 'The rate must be in pub.vat_rate for the issue date.';
    END IF;

    INSERT INTO pub.stock_movement (venue_id, stock_item_id, kind, quantity, unit_cost, valued, source_id, moved_on)
    SELECT inv.venue_id, l.stock_item_id, CASE inv.kind WHEN 'invoice' THEN 'delivery' ELSE 'credit_note' END,
           sgn * sum(l.quantity * i.pack_size), sum(l.net_amount) / sum(l.quantity * i.pack_size), true,
           p_invoice, inv.issue_date
      FROM pub.purchase_invoice_line l JOIN pub.stock_item i ON i.id = l.stock_item_id
     WHERE l.invoice_id = p_invoice AND l.quantity > 0
     GROUP BY l.stock_item_id ORDER BY l.stock_item_id;

    INSERT INTO pub.journal_entry (venue_id, entry_date, source, source_id, idempotency_key, memo)
    VALUES (inv.venue_id, inv.issue_date, inv.kind, p_invoice, inv.kind || ':' || p_invoice,
            inv.kind || ' ' || inv.number)
    RETURNING id INTO e;
    -- VAT per rate = round(taxable × rate / 100, 2) (EN 16931 BR-CO-17).
    WITH by_rate AS (
        SELECT vat_rate, sum(net_amount) AS net, round(sum(net_amount) * vat_rate / 100, 2) AS vat
          FROM pub.purchase_invoice_line WHERE invoice_id = p_invoice GROUP BY vat_rate
    ), amounts (role, amount, rate) AS (
        SELECT 'inventory', sgn * sum(net), NULL::numeric FROM by_rate
        UNION ALL SELECT 'vat_input', sgn * vat, vat_rate FROM by_rate
        UNION ALL SELECT 'payable', -sgn * sum(net + vat), NULL FROM by_rate
    )
    INSERT INTO pub.journal_line (entry_id, venue_id, account_id, debit, credit, vat_rate)
    SELECT e, inv.venue_id, pub.account_for(inv.venue_id, x.role), greatest(x.amount, 0), greatest(-x.amount, 0), x.rate
      FROM amounts x WHERE x.amount <> 0;

    INSERT INTO pub.outbox (aggregatetype, aggregateid, type, payload, venue_id)
    SELECT 'delivery', p_invoice::text, CASE inv.kind WHEN 'invoice' THEN 'DeliveryBooked' ELSE 'CreditNoteBooked' END,
           jsonb_build_object('invoice_id', p_invoice, 'venue_id', inv.venue_id, 'supplier_id', inv.supplier_id,
                              'kind', inv.kind, 'number', inv.number, 'issue_date', inv.issue_date,
                              'net', sum(l.net_amount),
                              'lines', jsonb_agg(jsonb_build_object('sku', i.sku, 'name', i.name,
                                        'quantity', l.quantity, 'net_amount', l.net_amount) ORDER BY l.line_no)),
           inv.venue_id
      FROM pub.purchase_invoice_line l JOIN pub.stock_item i ON i.id = l.stock_item_id
     WHERE l.invoice_id = p_invoice;
    RETURN e;
END $$;
COMMENT ON FUNCTION pub.post_invoice(bigint) IS 'Internal: posts a supplier invoice or credit note once (called by its trigger)';

CREATE FUNCTION pub.purchase_invoice_post_trigger() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
BEGIN
    PERFORM pub.post_invoice(NEW.id);
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.purchase_invoice_post_trigger() IS 'Deferred constraint trigger: posts each supplier document once, with all its lines';
CREATE CONSTRAINT TRIGGER purchase_invoice_posted AFTER INSERT ON pub.purchase_invoice
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pub.purchase_invoice_post_trigger();
COMMENT ON TRIGGER purchase_invoice_posted ON pub.purchase_invoice IS 'At commit (or when book_invoice asks): books the documents stock, VAT and payable once';

-- Books a supplier document from JSON:
-- {"venue_id", "supplier_id", "number", "kind": "invoice"|"credit_note", "issue_date", "currency",
--  "credited_number", "lines": [{"stock_item_id" | "supplier_code", "quantity", "net_amount", "vat_rate"}]}
-- Returns {"invoice_id", "duplicate"}.
CREATE FUNCTION pub.book_invoice(p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    v_venue bigint := (p->>'venue_id')::bigint; v_supplier bigint := (p->>'supplier_id')::bigint;
    v_number text := p->>'number'; v_kind text := coalesce(p->>'kind', 'invoice');
    v_hash text; v_lines jsonb; old record; v_id bigint; l jsonb; i int := 0; item bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pub.supplier WHERE id = v_supplier AND venue_id = v_venue) THEN
        RAISE EXCEPTION 'supplier_id % is not a supplier of venue_id %', coalesce(v_supplier::text, 'null'), coalesce(v_venue::text, 'null')
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF coalesce(v_number, '') = '' THEN
        RAISE EXCEPTION 'number is required' USING ERRCODE = 'not_null_violation';
    END IF;
    IF jsonb_typeof(p->'lines') IS DISTINCT FROM 'array' OR jsonb_array_length(p->'lines') = 0 THEN
        RAISE EXCEPTION 'lines must be a non-empty array' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_lines := '[]';
    FOR l IN SELECT * FROM jsonb_array_elements(p->'lines') LOOP
        i := i + 1;
        IF l ? 'supplier_code' THEN
            SELECT stock_item_id INTO item FROM pub.supplier_item_code
             WHERE supplier_id = v_supplier AND code = l->>'supplier_code';
        ELSE
            SELECT id INTO item FROM pub.stock_item WHERE id = (l->>'stock_item_id')::bigint AND venue_id = v_venue;
        END IF;
        IF item IS NULL THEN
            RAISE EXCEPTION 'lines[%]: stock_item_id/supplier_code % is not a stock item of venue_id %',
                  i, coalesce(l->>'supplier_code', l->>'stock_item_id', 'null'), v_venue
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        IF (l->>'quantity')::numeric IS NULL OR (l->>'quantity')::numeric < 0 THEN
            RAISE EXCEPTION 'lines[%].quantity must be zero or more, got %', i, coalesce(l->>'quantity', 'null')
                USING ERRCODE = 'check_violation';
        END IF;
        IF (l->>'net_amount')::numeric IS NULL OR (l->>'net_amount')::numeric < 0
           OR (l->>'net_amount')::numeric <> round((l->>'net_amount')::numeric, 2) THEN
            RAISE EXCEPTION 'lines[%].net_amount % must be a non-negative amount with at most two decimals', i, coalesce(l->>'net_amount', 'null')
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        v_lines := v_lines || jsonb_build_object('stock_item_id', item, 'quantity', (l->>'quantity')::numeric,
                                                 'net_amount', (l->>'net_amount')::numeric, 'vat_rate', (l->>'vat_rate')::numeric);
    END LOOP;
    v_hash := md5(jsonb_build_object('kind', v_kind, 'issue_date', p->>'issue_date', 'lines', v_lines)::text);

    SELECT id, content_hash INTO old FROM pub.purchase_invoice WHERE supplier_id = v_supplier AND number = v_number;
    IF old.id IS NOT NULL THEN
        IF old.content_hash IS DISTINCT FROM v_hash THEN
            RAISE EXCEPTION 'number % of supplier_id % is already booked with different content', v_number, v_supplier
                USING ERRCODE = 'unique_violation',
                      HINT = 'A resend must be identical; a correction is a credit note or a new invoice number.';
        END IF;
        RETURN jsonb_build_object('invoice_id', old.id, 'duplicate', true);
    END IF;

    INSERT INTO pub.purchase_invoice (venue_id, supplier_id, kind, number, issue_date, currency, content_hash, credited_invoice_id)
    VALUES (v_venue, v_supplier, v_kind, v_number, (p->>'issue_date')::date,
            coalesce(p->>'currency', (SELECT currency FROM pub.venue WHERE id = v_venue)), v_hash,
            (SELECT id FROM pub.purchase_invoice WHERE supplier_id = v_supplier AND number = p->>'credited_number'))
    RETURNING id INTO v_id;
    INSERT INTO pub.purchase_invoice_line (invoice_id, line_no, venue_id, stock_item_id, quantity, net_amount, vat_rate)
    SELECT v_id, o, v_venue, (x->>'stock_item_id')::bigint, (x->>'quantity')::numeric,
           (x->>'net_amount')::numeric, (x->>'vat_rate')::numeric
      FROM jsonb_array_elements(v_lines) WITH ORDINALITY t(x, o);
    SET CONSTRAINTS pub.purchase_invoice_posted IMMEDIATE;
    SET CONSTRAINTS pub.purchase_invoice_posted DEFERRED;
    RETURN jsonb_build_object('invoice_id', v_id, 'duplicate', false);
END $$;
COMMENT ON FUNCTION pub.book_invoice(jsonb) IS
    'Books and posts a supplier invoice or credit note from JSON; identical resend is a no-op, different content under the same number an error';

CREATE FUNCTION pub.supplier_payment_post() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
BEGIN
    PERFORM pub.post_entry(NEW.venue_id, NEW.paid_on, 'payment', NEW.id, 'payment:' || NEW.id,
        'payment ' || NEW.reference,
        jsonb_build_array(jsonb_build_object('role', 'payable', 'debit', NEW.amount),
                          jsonb_build_object('role', 'bank', 'credit', NEW.amount)));
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.supplier_payment_post() IS 'Trigger: posts a supplier payment (Dr payable, Cr bank)';
CREATE TRIGGER supplier_payment_post AFTER INSERT ON pub.supplier_payment
    FOR EACH ROW EXECUTE FUNCTION pub.supplier_payment_post();
COMMENT ON TRIGGER supplier_payment_post ON pub.supplier_payment IS 'Posts the payment: Dr accounts payable, Cr bank';

CREATE FUNCTION pub.pay_supplier(p_venue bigint, p_supplier bigint, p_paid_on date, p_amount numeric, p_reference text)
RETURNS bigint
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    r bigint;
BEGIN
    INSERT INTO pub.supplier_payment (venue_id, supplier_id, paid_on, amount, reference)
    VALUES (p_venue, p_supplier, p_paid_on, p_amount, p_reference)
    ON CONFLICT (supplier_id, reference) DO NOTHING RETURNING id INTO r;
    IF r IS NULL THEN
        SELECT id INTO r FROM pub.supplier_payment WHERE supplier_id = p_supplier AND reference = p_reference;
    END IF;
    RETURN r;
END $$;
COMMENT ON FUNCTION pub.pay_supplier(bigint, bigint, date, numeric, text) IS
    'Records a supplier payment (idempotent on the reference); returns its id';
