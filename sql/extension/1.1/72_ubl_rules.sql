-- ===========================================================================
-- Documents in: the arithmetic an EN 16931 document must satisfy.  Each
-- failure is a check_violation whose message starts with the rule's id.
-- ===========================================================================

CREATE FUNCTION pub.ubl_fail(c jsonb, p_rule text, p_message text) RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RAISE EXCEPTION '%: UBL % %: %', p_rule, c->>'root', c->>'number', p_message
        USING ERRCODE = 'check_violation';
END $$;
COMMENT ON FUNCTION pub.ubl_fail(jsonb, text, text) IS 'Raises a document rule violation naming the rule and the document';

-- Line rules: each line's amount, and a VAT category we can book.
CREATE FUNCTION pub.ubl_check_lines(c jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    l record;
BEGIN
    IF jsonb_array_length(c->'lines') = 0 THEN
        PERFORM pub.ubl_fail(c, 'BR-16', 'the document has no lines');
    END IF;
    FOR l IN SELECT x.*, (x.quantity * x.price / x.base_quantity + x.charges - x.allowances) AS expected
               FROM jsonb_to_recordset(c->'lines') AS x("no" int, id text, quantity numeric, price numeric,
                    base_quantity numeric, charges numeric, allowances numeric, amount numeric,
                    category text, percent numeric, name text)
              WHERE x.base_quantity <= 0 OR x.category IS NULL OR x.category NOT IN ('S', 'Z', 'E')
                 OR (x.category = 'S') <> (x.percent > 0)
                 OR abs(x.amount - (x.quantity * x.price / nullif(x.base_quantity, 0) + x.charges - x.allowances)) > 0.02
                 OR x.name IS NULL
              ORDER BY x."no" LIMIT 1
    LOOP
        IF l.base_quantity <= 0 THEN
            PERFORM pub.ubl_fail(c, 'BR-DEC', format('line %s: Price/BaseQuantity %s must be greater than zero', l.id, l.base_quantity));
        ELSIF l.name IS NULL THEN
            PERFORM pub.ubl_fail(c, 'BR-25', format('line %s: Item/Name is missing', l.id));
        ELSIF l.category IS NULL THEN
            PERFORM pub.ubl_fail(c, 'BR-CO-4', format('line %s: Item/ClassifiedTaxCategory/ID is missing', l.id));
        ELSIF l.category NOT IN ('S', 'Z', 'E') THEN
            RAISE EXCEPTION 'UBL % %: line %: VAT category % is not supported (S, Z and E are)', c->>'root', c->>'number', l.id, l.category
                USING ERRCODE = 'feature_not_supported',
                      HINT = 'Reverse charge and other categories need postings this back office does not make; book the document by hand.';
        ELSIF l.category = 'S' AND NOT l.percent > 0 THEN
            PERFORM pub.ubl_fail(c, 'BR-S-05', format('line %s: standard-rated (S) line has VAT rate %s; it must be greater than zero', l.id, l.percent));
        ELSIF l.category <> 'S' AND l.percent <> 0 THEN
            PERFORM pub.ubl_fail(c, 'BR-' || l.category || '-05', format('line %s: category %s line has VAT rate %s; it must be 0', l.id, l.category, l.percent));
        ELSE
            PERFORM pub.ubl_fail(c, 'PEPPOL-EN16931-R120', format(
                'line %s: LineExtensionAmount %s is not quantity %s × price %s / base quantity %s + charges %s − allowances %s = %s within 0.02',
                l.id, l.amount, l.quantity, l.price, l.base_quantity, l.charges, l.allowances, round(l.expected, 4)));
        END IF;
    END LOOP;
END $$;
COMMENT ON FUNCTION pub.ubl_check_lines(jsonb) IS
    'Checks each line: a name, a bookable VAT category and rate (S > 0, Z and E = 0), and amount = quantity × price within 0.02 (PEPPOL-EN16931-R120)';

-- Document totals and VAT breakdown.
CREATE FUNCTION pub.ubl_check_totals(c jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    line_sum numeric; sub_tax numeric; s record; tot record;
BEGIN
    SELECT * INTO tot FROM jsonb_to_record(c) AS t(line_total numeric, tax_exclusive numeric, tax_inclusive numeric,
        tax numeric, allowance_total numeric, charge_total numeric, prepaid numeric, rounding numeric, payable numeric);
    SELECT sum((x->>'amount')::numeric) INTO line_sum FROM jsonb_array_elements(c->'lines') x;
    IF line_sum <> tot.line_total THEN
        PERFORM pub.ubl_fail(c, 'BR-CO-10', format('sum of line LineExtensionAmount %s does not equal LegalMonetaryTotal/LineExtensionAmount %s',
                                                   line_sum, tot.line_total));
    END IF;
    IF tot.tax_exclusive <> tot.line_total - tot.allowance_total + tot.charge_total THEN
        PERFORM pub.ubl_fail(c, 'BR-CO-13', format('TaxExclusiveAmount %s does not equal LineExtensionAmount %s − AllowanceTotalAmount %s + ChargeTotalAmount %s',
                                                   tot.tax_exclusive, tot.line_total, tot.allowance_total, tot.charge_total));
    END IF;
    FOR s IN SELECT * FROM jsonb_to_recordset(c->'subtotals') AS x(category text, percent numeric, taxable numeric, tax numeric)
              WHERE x.tax <> round(x.taxable * x.percent / 100, 2) LIMIT 1 LOOP
        PERFORM pub.ubl_fail(c, 'BR-CO-17', format('VAT category %s at %s%%: TaxAmount %s is not round(TaxableAmount %s × %s / 100, 2) = %s',
                                                   s.category, s.percent, s.tax, s.taxable, s.percent, round(s.taxable * s.percent / 100, 2)));
    END LOOP;
    -- Lines per VAT category and rate against the subtotal declared for them.
    FOR s IN SELECT coalesce(l.category, t.category) AS category, coalesce(l.percent, t.percent) AS percent,
                    coalesce(l.net, 0) AS net, t.taxable
               FROM (SELECT x->>'category' AS category, (x->>'percent')::numeric AS percent, sum((x->>'amount')::numeric) AS net
                       FROM jsonb_array_elements(c->'lines') x GROUP BY 1, 2) l
               FULL JOIN (SELECT x->>'category' AS category, (x->>'percent')::numeric AS percent, sum((x->>'taxable')::numeric) AS taxable
                            FROM jsonb_array_elements(c->'subtotals') x GROUP BY 1, 2) t
                 ON t.category = l.category AND t.percent = l.percent
              WHERE t.taxable IS DISTINCT FROM l.net
              ORDER BY 1, 2 LIMIT 1 LOOP
        PERFORM pub.ubl_fail(c, 'BR-' || s.category || '-08', format('VAT category %s at %s%%: lines total %s but TaxSubtotal/TaxableAmount is %s',
                                                   s.category, s.percent, s.net, coalesce(s.taxable::text, 'missing')));
    END LOOP;
    SELECT sum((x->>'tax')::numeric) INTO sub_tax FROM jsonb_array_elements(c->'subtotals') x;
    IF sub_tax <> tot.tax THEN
        PERFORM pub.ubl_fail(c, 'BR-CO-14', format('TaxTotal/TaxAmount %s does not equal the sum of TaxSubtotal/TaxAmount %s', tot.tax, sub_tax));
    END IF;
    IF tot.tax_inclusive <> tot.tax_exclusive + tot.tax THEN
        PERFORM pub.ubl_fail(c, 'BR-CO-15', format('TaxInclusiveAmount %s does not equal TaxExclusiveAmount %s + TaxAmount %s',
                                                   tot.tax_inclusive, tot.tax_exclusive, tot.tax));
    END IF;
    IF tot.payable <> tot.tax_inclusive - tot.prepaid + tot.rounding THEN
        PERFORM pub.ubl_fail(c, 'BR-CO-16', format('PayableAmount %s does not equal TaxInclusiveAmount %s − PrepaidAmount %s + PayableRoundingAmount %s',
                                                   tot.payable, tot.tax_inclusive, tot.prepaid, tot.rounding));
    END IF;
END $$;
COMMENT ON FUNCTION pub.ubl_check_totals(jsonb) IS
    'Checks a document''s totals: BR-CO-10, BR-CO-13, BR-CO-14, BR-CO-15, BR-CO-16, BR-CO-17 and BR-x-08 (BR-CO-18 is checked by ubl_read) (lines per VAT category = TaxableAmount)';
