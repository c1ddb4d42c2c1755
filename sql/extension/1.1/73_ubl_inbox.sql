-- ===========================================================================
-- Documents in: the supplier e-invoice inbox.  A received document that
-- passes every check is kept here; it is booked (through pub.book_invoice)
-- once every line maps to a stock item and, for a supplier with nothing
-- booked yet, once a manager approves it.  Until then it waits, listed in
-- pub.invoice_inbox with what it waits for.
-- ===========================================================================

CREATE TABLE pub.received_invoice (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id      bigint NOT NULL REFERENCES pub.venue,
    supplier_id   bigint NOT NULL,
    kind          text NOT NULL CONSTRAINT received_invoice_kind_check CHECK (kind IN ('invoice', 'credit_note')),
    number        text NOT NULL,
    issue_date    date NOT NULL,
    content       jsonb NOT NULL,
    content_hash  text NOT NULL,
    status        text NOT NULL CONSTRAINT received_invoice_status_check
                  CHECK (status IN ('unmapped', 'awaiting_approval', 'failed', 'booked')),
    problems      jsonb NOT NULL DEFAULT '[]',
    approved_by   name,
    approved_at   timestamptz,
    invoice_id    bigint,
    received_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT received_invoice_number_unique UNIQUE (supplier_id, number),
    FOREIGN KEY (venue_id, supplier_id) REFERENCES pub.supplier (venue_id, id),
    FOREIGN KEY (venue_id, invoice_id) REFERENCES pub.purchase_invoice (venue_id, id),
    CONSTRAINT received_invoice_booked_check CHECK ((status = 'booked') = (invoice_id IS NOT NULL))
);
COMMENT ON TABLE pub.received_invoice IS 'Supplier e-invoices and credit notes received (Peppol UBL), as read, with their booking status';
COMMENT ON COLUMN pub.received_invoice.content IS 'The document as read by pub.ubl_read (header, totals, VAT subtotals, lines)';
COMMENT ON COLUMN pub.received_invoice.content_hash IS 'md5 of content: the same document again is a no-op, a different one under the number an error';
COMMENT ON COLUMN pub.received_invoice.status IS 'unmapped (lines without a stock item), awaiting_approval (first document of the supplier), failed (booking raised an error on a re-run), booked';
COMMENT ON COLUMN pub.received_invoice.problems IS 'What holds the document: [{"line", "code", "name", "problem"}]';

-- The supplier with this VAT id, created (named from the document) when new.
CREATE FUNCTION pub.supplier_by_vat(p_venue bigint, p_vat text, p_name text, OUT supplier_id bigint, OUT created boolean)
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
BEGIN
    -- Two documents of a new supplier at once must not create it twice.
    PERFORM pg_advisory_xact_lock(hashtextextended('pub.supplier:' || p_venue || ':' || p_vat, 0));
    SELECT s.id INTO supplier_id FROM pub.supplier s
     WHERE s.venue_id = p_venue AND upper(regexp_replace(s.vat_number, '\s', '', 'g')) = p_vat
     ORDER BY s.id LIMIT 1;
    created := supplier_id IS NULL;
    IF created THEN
        INSERT INTO pub.supplier (venue_id, name, vat_number) VALUES (p_venue, left(p_name, 200), p_vat)
        RETURNING id INTO supplier_id;
    END IF;
END $$;
COMMENT ON FUNCTION pub.supplier_by_vat(bigint, text, text) IS 'Finds a venue''s supplier by VAT id (spaces and case ignored), creating it when there is none';

-- Lines resolved to stock items and purchase units, or the problems that
-- stop that.  A line without a seller item code is mapped by "name:<Item/Name>".
CREATE FUNCTION pub.received_invoice_lines(p_id bigint, OUT lines jsonb, OUT problems jsonb)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    WITH l AS (
        SELECT x, coalesce(x->>'code', 'name:' || (x->>'name')) AS code, m.stock_item_id,
               pub.doc_packs(x->>'unit', (x->>'quantity')::numeric, m.stock_item_id) AS packs
          FROM pub.received_invoice r
          CROSS JOIN jsonb_array_elements(r.content->'lines') x
          LEFT JOIN pub.supplier_item_code m ON m.supplier_id = r.supplier_id
                                            AND m.code = coalesce(x->>'code', 'name:' || (x->>'name'))
         WHERE r.id = p_id
    ), g AS (
        SELECT stock_item_id, (x->>'percent')::numeric AS rate, sum(packs) AS packs,
               sum((x->>'amount')::numeric) AS net, string_agg(x->>'id', ', ' ORDER BY (x->>'no')::int) AS ids
          FROM l WHERE packs IS NOT NULL GROUP BY 1, 2
    )
    SELECT (SELECT coalesce(jsonb_agg(jsonb_build_object('stock_item_id', stock_item_id, 'quantity', round(packs, 3),
                                                         'net_amount', net, 'vat_rate', rate) ORDER BY stock_item_id, rate), '[]')
              FROM g),
           (SELECT coalesce(jsonb_agg(p ORDER BY n), '[]') FROM (
                SELECT (x->>'no')::int AS n, jsonb_build_object('line', x->>'id', 'code', code, 'name', x->>'name',
                       'problem', CASE WHEN stock_item_id IS NULL THEN 'no stock item is mapped to this seller item code'
                                       WHEN NOT EXISTS (SELECT 1 FROM pub.unit_code u WHERE u.code = x->>'unit')
                                       THEN format('unit code %s is not known (see pub.unit_code)', x->>'unit')
                                       ELSE format('unit code %s does not fit the stock item''s base unit', x->>'unit') END) AS p
                  FROM l WHERE packs IS NULL
                UNION ALL
                SELECT 0, jsonb_build_object('line', ids, 'stock_item_id', stock_item_id,
                       'problem', format('lines at %s%% net to a negative quantity or amount; map returns (such as empties) to the stock item they credit', rate))
                  FROM g WHERE packs < 0 OR net < 0) q)
$$;
COMMENT ON FUNCTION pub.received_invoice_lines(bigint) IS
    'A received document''s lines grouped by stock item and VAT rate in purchase units, and the problems (unmapped code, unit misfit, negative net) that hold it';

-- Books a received document when nothing holds it; records what does.
CREATE FUNCTION pub.process_received_invoice(p_id bigint) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    r pub.received_invoice; res record; booked jsonb;
BEGIN
    SELECT * INTO r FROM pub.received_invoice WHERE id = p_id FOR UPDATE;
    IF r.status = 'booked' THEN
        RETURN jsonb_build_object('received_invoice_id', r.id, 'status', r.status, 'invoice_id', r.invoice_id);
    END IF;
    res := pub.received_invoice_lines(p_id);
    IF jsonb_array_length(res.problems) > 0 THEN
        UPDATE pub.received_invoice SET status = 'unmapped', problems = res.problems WHERE id = p_id;
        RETURN jsonb_build_object('received_invoice_id', r.id, 'status', 'unmapped', 'problems', res.problems);
    END IF;
    IF r.approved_at IS NULL AND NOT EXISTS (SELECT 1 FROM pub.purchase_invoice WHERE supplier_id = r.supplier_id) THEN
        UPDATE pub.received_invoice SET status = 'awaiting_approval', problems = '[]' WHERE id = p_id;
        RETURN jsonb_build_object('received_invoice_id', r.id, 'status', 'awaiting_approval');
    END IF;
    booked := pub.book_invoice(jsonb_build_object(
        'venue_id', r.venue_id, 'supplier_id', r.supplier_id, 'number', r.number, 'kind', r.kind,
        'issue_date', r.issue_date, 'currency', r.content->>'currency',
        'credited_number', r.content->>'credited_number', 'lines', res.lines));
    UPDATE pub.received_invoice SET status = 'booked', problems = '[]', invoice_id = (booked->>'invoice_id')::bigint
     WHERE id = p_id;
    RETURN jsonb_build_object('received_invoice_id', r.id, 'status', 'booked', 'invoice_id', (booked->>'invoice_id')::bigint);
END $$;
COMMENT ON FUNCTION pub.process_received_invoice(bigint) IS
    'Internal: books a received document when all lines map and it needs no approval, else records why it waits';

-- Receives a Peppol BIS Billing 3.0 UBL Invoice or CreditNote for a venue.
CREATE FUNCTION pub.receive_ubl_invoice(p_venue bigint, p_document text) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    v pub.venue; c jsonb; sup record; h text; old pub.received_invoice; new_id bigint;
BEGIN
    SELECT * INTO v FROM pub.venue WHERE id = p_venue;
    IF v.id IS NULL THEN
        RAISE EXCEPTION 'venue_id % does not exist', coalesce(p_venue::text, 'null') USING ERRCODE = 'foreign_key_violation';
    END IF;
    c := pub.ubl_read(p_document);
    PERFORM pub.ubl_check_lines(c);
    PERFORM pub.ubl_check_totals(c);
    IF c->>'currency' IS DISTINCT FROM v.currency THEN
        RAISE EXCEPTION 'UBL % %: DocumentCurrencyCode % is not the venue''s currency %', c->>'root', c->>'number',
              coalesce(c->>'currency', 'missing'), v.currency
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF c->>'customer_vat' IS NOT NULL AND v.vat_number IS NOT NULL
       AND c->>'customer_vat' <> upper(regexp_replace(v.vat_number, '\s', '', 'g')) THEN
        RAISE EXCEPTION 'UBL % %: addressed to buyer VAT id %, not this venue''s %', c->>'root', c->>'number',
              c->>'customer_vat', v.vat_number
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    sup := pub.supplier_by_vat(p_venue, c->>'supplier_vat', c->>'supplier_name');
    h := md5(c::text);

    INSERT INTO pub.received_invoice (venue_id, supplier_id, kind, number, issue_date, content, content_hash, status)
    VALUES (p_venue, sup.supplier_id, c->>'kind', c->>'number', (c->>'issue_date')::date, c, h, 'unmapped')
    ON CONFLICT (supplier_id, number) DO NOTHING
    RETURNING id INTO new_id;
    IF new_id IS NULL THEN
        SELECT * INTO old FROM pub.received_invoice WHERE supplier_id = sup.supplier_id AND number = c->>'number';
        IF old.content_hash <> h THEN
            RAISE EXCEPTION 'UBL % %: supplier % already sent a different document under this number', c->>'root', c->>'number', c->>'supplier_vat'
                USING ERRCODE = 'unique_violation',
                      HINT = 'A resend must be identical; a correction is a credit note or a new invoice number.';
        END IF;
        RETURN jsonb_build_object('received_invoice_id', old.id, 'status', old.status, 'duplicate', true);
    END IF;
    RETURN pub.process_received_invoice(new_id)
           || jsonb_build_object('supplier_id', sup.supplier_id, 'supplier_created', sup.created, 'duplicate', false);
END $$;
COMMENT ON FUNCTION pub.receive_ubl_invoice(bigint, text) IS
    'Receives a Peppol BIS 3 UBL Invoice or CreditNote: checks it (rules named in errors), finds or creates the supplier by VAT id, books it or holds it in the inbox; an identical resend is a no-op';

CREATE FUNCTION pub.receive_ubl_invoice(p_venue bigint, p_document xml) RETURNS jsonb
LANGUAGE sql SET search_path = pub, pg_catalog AS $$
    SELECT pub.receive_ubl_invoice(p_venue, p_document::text)
$$;
COMMENT ON FUNCTION pub.receive_ubl_invoice(bigint, xml) IS 'receive_ubl_invoice for a document already of type xml';

-- Re-runs a held document; an error while booking is recorded, not raised,
-- so that one bad document does not undo the mapping that woke it.
CREATE FUNCTION pub.retry_received_invoice(p_id bigint) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    msg text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pub.received_invoice WHERE id = p_id) THEN
        RAISE EXCEPTION 'received invoice % does not exist', p_id USING ERRCODE = 'no_data_found';
    END IF;
    BEGIN
        RETURN pub.process_received_invoice(p_id);
    EXCEPTION WHEN OTHERS THEN
        msg := SQLSTATE || ': ' || SQLERRM;
    END;
    UPDATE pub.received_invoice SET status = 'failed', problems = jsonb_build_array(jsonb_build_object('problem', msg))
     WHERE id = p_id;
    RETURN jsonb_build_object('received_invoice_id', p_id, 'status', 'failed', 'problems', jsonb_build_array(jsonb_build_object('problem', msg)));
END $$;
COMMENT ON FUNCTION pub.retry_received_invoice(bigint) IS 'Re-runs a held received document; a booking error is recorded as status failed';

-- Maps a supplier's item code to a stock item, then re-runs that supplier's held documents.
CREATE FUNCTION pub.map_supplier_item(p_supplier bigint, p_code text, p_stock_item bigint) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    v bigint; results jsonb := '[]'; r bigint;
BEGIN
    SELECT venue_id INTO v FROM pub.supplier WHERE id = p_supplier;
    IF v IS NULL THEN
        RAISE EXCEPTION 'supplier_id % does not exist', p_supplier USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pub.stock_item WHERE id = p_stock_item AND venue_id = v) THEN
        RAISE EXCEPTION 'stock_item_id % is not a stock item of venue_id %', p_stock_item, v USING ERRCODE = 'foreign_key_violation';
    END IF;
    IF coalesce(p_code, '') = '' THEN
        RAISE EXCEPTION 'seller item code is required' USING ERRCODE = 'not_null_violation';
    END IF;
    INSERT INTO pub.supplier_item_code (venue_id, supplier_id, code, stock_item_id)
    VALUES (v, p_supplier, p_code, p_stock_item)
    ON CONFLICT (supplier_id, code) DO UPDATE SET stock_item_id = EXCLUDED.stock_item_id;
    FOR r IN SELECT id FROM pub.received_invoice
              WHERE supplier_id = p_supplier AND status IN ('unmapped', 'failed') ORDER BY id LOOP
        results := results || pub.retry_received_invoice(r);
    END LOOP;
    RETURN jsonb_build_object('supplier_id', p_supplier, 'code', p_code, 'stock_item_id', p_stock_item, 'rerun', results);
END $$;
COMMENT ON FUNCTION pub.map_supplier_item(bigint, text, bigint) IS
    'Maps a supplier''s seller item code (or "name:<item name>") to a stock item and re-runs the supplier''s held documents';

CREATE FUNCTION pub.approve_received_invoice(p_id bigint) RETURNS jsonb
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    st text;
BEGIN
    SELECT status INTO st FROM pub.received_invoice WHERE id = p_id FOR UPDATE;
    IF st IS DISTINCT FROM 'awaiting_approval' THEN
        RAISE EXCEPTION 'received invoice % is %, not awaiting approval', p_id, coalesce(st, 'unknown')
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    UPDATE pub.received_invoice SET approved_by = current_user, approved_at = now() WHERE id = p_id;
    RETURN pub.process_received_invoice(p_id);
END $$;
COMMENT ON FUNCTION pub.approve_received_invoice(bigint) IS
    'Approves a received document awaiting approval (the first from a supplier) and books it';

CREATE VIEW pub.invoice_inbox WITH (security_barrier, security_invoker) AS
SELECT r.id, r.venue_id, s.name AS supplier, s.vat_number AS supplier_vat, r.kind, r.number, r.issue_date,
       (r.content->>'payable')::numeric AS payable, r.content->>'currency' AS currency,
       r.status, CASE r.status WHEN 'unmapped' THEN 'mapping' WHEN 'awaiting_approval' THEN 'approval'
                               ELSE 'attention' END AS waiting_for,
       r.problems, r.received_at
  FROM pub.received_invoice r JOIN pub.supplier s ON s.id = r.supplier_id
 WHERE r.status <> 'booked';
COMMENT ON VIEW pub.invoice_inbox IS 'Received supplier documents not yet booked, with what each waits for (mapping, approval, attention) and why';
