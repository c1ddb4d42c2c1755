-- ===========================================================================
-- Documents in: reading a Peppol BIS Billing 3.0 (UBL 2.1) Invoice or
-- CreditNote into plain jsonb, and checking its own arithmetic (EN 16931
-- BR-CO rules).  Parsing is PostgreSQL's xml type (libxml2); a document
-- with a DTD is refused before it reaches the parser, so no entity is ever
-- expanded or fetched.
-- ===========================================================================

-- Refuses what must never reach the XML parser; returns the parsed document.
CREATE FUNCTION pub.ubl_parse(p_doc text) RETURNS xml
LANGUAGE plpgsql IMMUTABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    x xml; d text;
BEGIN
    IF p_doc IS NULL OR btrim(p_doc) = '' THEN
        RAISE EXCEPTION 'UBL document is empty' USING ERRCODE = 'not_null_violation';
    END IF;
    -- 32 MB: a 10,000-line invoice is about 6 MB.
    IF octet_length(p_doc) > 32 * 1024 * 1024 THEN
        RAISE EXCEPTION 'UBL document is % bytes, more than the 32 MB accepted', octet_length(p_doc)
            USING ERRCODE = 'program_limit_exceeded';
    END IF;
    IF strpos(p_doc, '<!DOCTYPE') > 0 OR strpos(p_doc, '<!ENTITY') > 0 THEN
        RAISE EXCEPTION 'UBL document must not contain a DOCTYPE or ENTITY declaration'
            USING ERRCODE = 'invalid_xml_document',
                  HINT = 'Peppol BIS Billing 3.0 documents have no DTD; declarations are refused so nothing is expanded or fetched.';
    END IF;
    BEGIN
        x := xmlparse(document p_doc);
    EXCEPTION WHEN invalid_xml_document OR invalid_xml_content THEN
        GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
        RAISE EXCEPTION 'UBL document is not well-formed XML'
            USING ERRCODE = 'invalid_xml_document', DETAIL = left(d, 400);
    END;
    RETURN x;
END $$;
COMMENT ON FUNCTION pub.ubl_parse(text) IS
    'Parses a UBL document after refusing empty, oversized (32 MB) and DTD-carrying input; errors are invalid_xml_document';

-- A YYYY-MM-DD date, or null when it is not a real date.
CREATE FUNCTION pub.doc_date(p_value text) RETURNS date
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN btrim(p_value)::date;
EXCEPTION WHEN invalid_datetime_format OR datetime_field_overflow THEN
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.doc_date(text) IS 'Reads a date from a document field; null when it is not a valid date';

CREATE FUNCTION pub.ubl_foreign_currency(p_root text, p_number text, p_currency text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RAISE EXCEPTION 'PEPPOL-EN16931-R051: UBL % %: an amount carries a currencyID other than DocumentCurrencyCode %', p_root, p_number, p_currency
        USING ERRCODE = 'invalid_parameter_value';
END $$;
COMMENT ON FUNCTION pub.ubl_foreign_currency(text, text, text) IS 'Raises PEPPOL-EN16931-R051: every amount must be in the document currency';

-- The document as jsonb: header, supplier, totals, VAT subtotals, lines.
-- Amounts are validated numbers; a field that repeats where one is
-- expected, or a required one that is missing, is an error naming it.
CREATE FUNCTION pub.ubl_read(p_doc text) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    x xml := pub.ubl_parse(p_doc);
    ns text; root text; kind text; line_el text; qty_el text; h record; c jsonb; lines jsonb; n_foreign int;
BEGIN
    BEGIN
        SELECT * INTO h FROM XMLTABLE(
            XMLNAMESPACES('urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2' AS cbc,
                          'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2' AS cac),
            '/*' PASSING x COLUMNS
            ns              text PATH 'namespace-uri(.)',
            root            text PATH 'local-name(.)',
            number          text PATH 'cbc:ID',
            issue_date      text PATH 'cbc:IssueDate',
            currency        text PATH 'cbc:DocumentCurrencyCode',
            supplier_name   text PATH 'cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName',
            supplier_trade  text PATH 'cac:AccountingSupplierParty/cac:Party/cac:PartyName/cbc:Name',
            supplier_vat    text PATH 'cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="VAT"]/cbc:CompanyID',
            customer_vat    text PATH 'cac:AccountingCustomerParty/cac:Party/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID="VAT"]/cbc:CompanyID',
            credited_number text PATH 'cac:BillingReference[1]/cac:InvoiceDocumentReference/cbc:ID',
            doc_charges     int  PATH 'count(cac:AllowanceCharge)',
            subtotals       int  PATH 'count(cac:TaxTotal/cac:TaxSubtotal)',
            tax             text PATH 'cac:TaxTotal[cac:TaxSubtotal]/cbc:TaxAmount',
            line_total      text PATH 'cac:LegalMonetaryTotal/cbc:LineExtensionAmount',
            tax_exclusive   text PATH 'cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount',
            tax_inclusive   text PATH 'cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount',
            allowance_total text PATH 'cac:LegalMonetaryTotal/cbc:AllowanceTotalAmount',
            charge_total    text PATH 'cac:LegalMonetaryTotal/cbc:ChargeTotalAmount',
            prepaid         text PATH 'cac:LegalMonetaryTotal/cbc:PrepaidAmount',
            rounding        text PATH 'cac:LegalMonetaryTotal/cbc:PayableRoundingAmount',
            payable         text PATH 'cac:LegalMonetaryTotal/cbc:PayableAmount',
            foreign_totals  int  PATH 'count(cac:LegalMonetaryTotal/*[normalize-space(@currencyID) != normalize-space(../../cbc:DocumentCurrencyCode)] | cac:TaxTotal[cac:TaxSubtotal]//*[@currencyID][normalize-space(@currencyID) != normalize-space(/*/cbc:DocumentCurrencyCode)])');
        ns := h.ns; root := h.root;
        IF ns = 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2' AND root = 'Invoice' THEN
            kind := 'invoice'; line_el := 'InvoiceLine'; qty_el := 'InvoicedQuantity';
        ELSIF ns = 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2' AND root = 'CreditNote' THEN
            kind := 'credit_note'; line_el := 'CreditNoteLine'; qty_el := 'CreditedQuantity';
        ELSE
            RAISE EXCEPTION 'document root is {%}%, not a UBL 2.1 Invoice or CreditNote', ns, root
                USING ERRCODE = 'invalid_xml_content',
                      HINT = 'Expected {urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice or {urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2}CreditNote.';
        END IF;


        IF coalesce(btrim(h.number), '') = '' THEN
            RAISE EXCEPTION 'UBL %: cbc:ID (document number) is missing', root USING ERRCODE = 'not_null_violation';
        ELSIF length(h.number) > 200 THEN
            RAISE EXCEPTION 'UBL %: cbc:ID is longer than 200 characters', root USING ERRCODE = 'string_data_right_truncation';
        ELSIF h.issue_date IS NULL OR btrim(h.issue_date) !~ '^\d{4}-\d{2}-\d{2}$' OR pub.doc_date(h.issue_date) IS NULL THEN
            RAISE EXCEPTION 'UBL % %: cbc:IssueDate "%" is not a date (YYYY-MM-DD)', root, h.number, coalesce(left(h.issue_date, 40), '')
                USING ERRCODE = 'invalid_datetime_format';
        ELSIF coalesce(btrim(h.supplier_vat), '') = '' THEN
            RAISE EXCEPTION 'UBL % %: the supplier''s VAT id (AccountingSupplierParty/Party/PartyTaxScheme/CompanyID) is missing', root, h.number
                USING ERRCODE = 'not_null_violation';
        ELSIF h.subtotals = 0 THEN
            RAISE EXCEPTION 'BR-CO-18: UBL % %: the document has no TaxTotal/TaxSubtotal (VAT breakdown)', root, h.number
                USING ERRCODE = 'check_violation';
        ELSIF h.doc_charges > 0 THEN
            RAISE EXCEPTION 'UBL % %: document-level AllowanceCharge is not supported', root, h.number
                USING ERRCODE = 'feature_not_supported',
                      HINT = 'Ask the supplier to invoice charges and discounts on lines.';
        ELSIF coalesce(btrim(h.currency), '') !~ '^[A-Z]{3}$' THEN
            RAISE EXCEPTION 'UBL % %: DocumentCurrencyCode "%" is not an ISO 4217 code', root, h.number, left(h.currency, 40)
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF h.foreign_totals > 0 THEN
            PERFORM pub.ubl_foreign_currency(root, h.number, h.currency);
        END IF;

        c := jsonb_build_object(
            'kind', kind, 'root', root, 'number', btrim(h.number), 'issue_date', btrim(h.issue_date)::date,
            'currency', btrim(h.currency),
            'supplier_name', btrim(coalesce(h.supplier_name, h.supplier_trade, h.supplier_vat)),
            'supplier_vat', upper(regexp_replace(h.supplier_vat, '\s', '', 'g')),
            'customer_vat', upper(regexp_replace(h.customer_vat, '\s', '', 'g')),
            'credited_number', btrim(h.credited_number),
            'tax', pub.doc_amount(h.tax, 'TaxTotal/TaxAmount'),
            'line_total', pub.doc_amount(h.line_total, 'LegalMonetaryTotal/LineExtensionAmount'),
            'tax_exclusive', pub.doc_amount(h.tax_exclusive, 'LegalMonetaryTotal/TaxExclusiveAmount'),
            'tax_inclusive', pub.doc_amount(h.tax_inclusive, 'LegalMonetaryTotal/TaxInclusiveAmount'),
            'allowance_total', coalesce(pub.doc_amount(h.allowance_total, 'LegalMonetaryTotal/AllowanceTotalAmount', false), 0),
            'charge_total', coalesce(pub.doc_amount(h.charge_total, 'LegalMonetaryTotal/ChargeTotalAmount', false), 0),
            'prepaid', coalesce(pub.doc_amount(h.prepaid, 'LegalMonetaryTotal/PrepaidAmount', false), 0),
            'rounding', coalesce(pub.doc_amount(h.rounding, 'LegalMonetaryTotal/PayableRoundingAmount', false), 0),
            'payable', pub.doc_amount(h.payable, 'LegalMonetaryTotal/PayableAmount'));

        c := c || jsonb_build_object('subtotals', (
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'category', btrim(s.category),
                       'percent', pub.doc_decimal(s.percent, format('TaxSubtotal[%s]/TaxCategory/Percent', s.n)),
                       'taxable', pub.doc_amount(s.taxable, format('TaxSubtotal[%s]/TaxableAmount', s.n)),
                       'tax', pub.doc_amount(s.tax, format('TaxSubtotal[%s]/TaxAmount', s.n))) ORDER BY s.n), '[]')
              FROM XMLTABLE(
                XMLNAMESPACES('urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2' AS cbc,
                              'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2' AS cac),
                '/*/cac:TaxTotal/cac:TaxSubtotal' PASSING x COLUMNS
                n        FOR ORDINALITY,
                taxable  text PATH 'cbc:TaxableAmount',
                tax      text PATH 'cbc:TaxAmount',
                category text PATH 'cac:TaxCategory/cbc:ID',
                percent  text PATH 'cac:TaxCategory/cbc:Percent') s));

        SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'no', l.n,
                       'id', coalesce(btrim(l.id), l.n::text),
                       'quantity', pub.doc_decimal(l.qty, format('%s[%s]/%s', line_el, l.n, qty_el)),
                       'unit', coalesce(btrim(l.unit), 'C62'),
                       'amount', pub.doc_amount(l.amount, format('%s[%s]/LineExtensionAmount', line_el, l.n)),
                       'price', pub.doc_decimal(l.price, format('%s[%s]/Price/PriceAmount', line_el, l.n)),
                       'base_quantity', coalesce(pub.doc_decimal(l.base_qty, format('%s[%s]/Price/BaseQuantity', line_el, l.n), false), 1),
                       'charges', pub.doc_decimal(l.charges, format('%s[%s]/AllowanceCharge (charges)', line_el, l.n)),
                       'allowances', pub.doc_decimal(l.allowances, format('%s[%s]/AllowanceCharge (allowances)', line_el, l.n)),
                       'name', btrim(l.name),
                       'code', nullif(btrim(l.code), ''),
                       'category', btrim(l.category),
                       'percent', pub.doc_decimal(l.percent, format('%s[%s]/Item/ClassifiedTaxCategory/Percent', line_el, l.n))
                   ) ORDER BY l.n), '[]'),
               count(*) FILTER (WHERE coalesce(btrim(l.amount_cur), btrim(h.currency)) <> btrim(h.currency) OR coalesce(btrim(l.price_cur), btrim(h.currency)) <> btrim(h.currency))
          INTO lines, n_foreign
              FROM XMLTABLE(
                XMLNAMESPACES('urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2' AS cbc,
                              'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2' AS cac),
                ('/*/cac:' || line_el) PASSING x COLUMNS
                n          FOR ORDINALITY,
                id         text PATH 'cbc:ID',
                qty        text PATH ('cbc:' || qty_el),
                unit       text PATH ('cbc:' || qty_el || '/@unitCode'),
                amount     text PATH 'cbc:LineExtensionAmount',
                amount_cur text PATH 'cbc:LineExtensionAmount/@currencyID',
                price_cur  text PATH 'cac:Price/cbc:PriceAmount/@currencyID',
                price      text PATH 'cac:Price/cbc:PriceAmount',
                base_qty   text PATH 'cac:Price/cbc:BaseQuantity',
                charges    text PATH 'sum(cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)="true"]/cbc:Amount)',
                allowances text PATH 'sum(cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator)="false"]/cbc:Amount)',
                name       text PATH 'cac:Item/cbc:Name',
                code       text PATH 'cac:Item/cac:SellersItemIdentification/cbc:ID',
                category   text PATH 'cac:Item/cac:ClassifiedTaxCategory/cbc:ID',
                percent    text PATH 'cac:Item/cac:ClassifiedTaxCategory/cbc:Percent') l;
        IF n_foreign > 0 THEN
            PERFORM pub.ubl_foreign_currency(root, h.number, h.currency);
        END IF;
        c := c || jsonb_build_object('lines', lines);

    EXCEPTION WHEN cardinality_violation THEN
        RAISE EXCEPTION 'UBL %: an element that may appear once appears more than once', root
            USING ERRCODE = 'invalid_xml_content', DETAIL = SQLERRM;
    END;
    RETURN c;
END $$;
COMMENT ON FUNCTION pub.ubl_read(text) IS
    'Reads a Peppol BIS 3 UBL Invoice or CreditNote into jsonb (header, supplier, totals, VAT subtotals, lines), validating every number it takes';
