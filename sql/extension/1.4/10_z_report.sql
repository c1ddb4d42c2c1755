-- ===========================================================================
-- The Z report with tips.  Tips came in with the tenders (a card terminal's
-- batch includes its card tips, the drawer holds the cash tips) but are not
-- takings: they are owed to staff, so pub.post_tips books them Dr cash/card,
-- Cr 2300 Tips payable, in an entry of their own on the business date of the
-- order's sale.  1.3's report showed the takings only, so the terminal and
-- the drawer differed from it by the tips with nothing to say why.
--
-- What is a tip: an entry that credits the venue's tips payable account
-- (role 'tips', pub.tips_account) against its cash or card account and
-- touches no other account -- post_tips' shape -- and the reversal of such
-- an entry, which takes it back on the reversal's date.  The amount by
-- method is the entry's net debit to the cash and card accounts.  Neither
-- the entry's source nor its memo or key says it: post_tips posts through
-- the manual journal (source 'manual', key 'manual:tip:square:<order>'), and
-- memo and key are free text to an accountant.  So a manual journal of the
-- same shape (cash tips from a tip jar: Dr 1000, Cr 2300) counts, as money
-- in the drawer owed to staff; paying tips out (Dr 2300, Cr cash or bank) is
-- not a tip taken and does not; an entry that mixes tips with other accounts
-- (takings, bank) is not a tips posting and does not count either.
-- ===========================================================================

DROP FUNCTION pub.z_report(bigint, date);
CREATE FUNCTION pub.z_report(p_venue bigint, p_business_date date)
RETURNS TABLE (payment_method text, transactions bigint, takings numeric, tips numeric, collected numeric)
LANGUAGE sql STABLE SET search_path = pub, pg_catalog AS $$
    WITH paid AS (   -- the day's sales, voids and refunds (these negative), by payment
        SELECT sp.method, s.id, CASE s.kind WHEN 'sale' THEN sp.amount ELSE -sp.amount END AS amount
          FROM pub.journal_entry e JOIN pub.sale s ON s.id = e.source_id
          JOIN pub.sale_payment sp ON sp.sale_id = s.id
         WHERE e.venue_id = p_venue AND e.source = 'sale' AND e.entry_date = p_business_date
    ), tip_entry AS (   -- the day's entries that credit tips payable, or reverse one that did, against cash or card only
        SELECT e.id
          FROM pub.journal_entry e
         WHERE e.venue_id = p_venue AND e.entry_date = p_business_date
           AND EXISTS (SELECT 1 FROM pub.journal_line l JOIN pub.account a ON a.id = l.account_id
                        WHERE l.entry_id IN (e.id, e.reverses_entry_id) AND a.role = 'tips' AND l.credit > 0)
           AND NOT EXISTS (SELECT 1 FROM pub.journal_line l JOIN pub.account a ON a.id = l.account_id
                            WHERE l.entry_id = e.id AND a.role NOT IN ('cash', 'card', 'tips'))
    ), tipped AS (   -- their net debit to cash and card: the tips by method (a reversal's negative)
        SELECT a.role AS method, l.debit - l.credit AS amount
          FROM tip_entry t JOIN pub.journal_line l ON l.entry_id = t.id
          JOIN pub.account a ON a.id = l.account_id
         WHERE a.role IN ('cash', 'card')
    ), by_method AS (
        SELECT method, count(DISTINCT id) AS transactions,
               coalesce(sum(amount) FILTER (WHERE NOT is_tip), 0.00) AS takings,
               coalesce(sum(amount) FILTER (WHERE is_tip), 0.00) AS tips
          FROM (SELECT method, id, amount, false AS is_tip FROM paid
                UNION ALL
                SELECT method, NULL, amount, true FROM tipped) x
         GROUP BY method
    )
    SELECT method, transactions, takings, tips, takings + tips
      FROM (SELECT 0 AS o, method, transactions, takings, tips FROM by_method
            UNION ALL
            SELECT 1, 'total', (SELECT count(DISTINCT id) FROM paid), coalesce(sum(takings), 0.00), coalesce(sum(tips), 0.00)
              FROM by_method) r
     ORDER BY o, method
$$;
COMMENT ON FUNCTION pub.z_report(bigint, date) IS
    'Z report for one business date: payment_method (card, cash, total), transactions, takings (voids and refunds negative), tips (owed to staff, not takings: entries that credit tips payable against cash or card and no other account, as pub.post_tips posts them, or reverse one), collected = takings + tips, to reconcile with the card terminal and the cash drawer';

-- DROP took the privileges with it: reports are for managers and the
-- accountant (59_security.sql), not PUBLIC.
REVOKE EXECUTE ON FUNCTION pub.z_report(bigint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pub.z_report(bigint, date) TO pub_manager, pub_accountant;
