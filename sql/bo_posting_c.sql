-- The sale posting in C (1.2) writes what 1.1's PL/pgSQL posting wrote: the
-- same 200 generated sales (voids, refunds, split payments, fractional
-- quantities, prices off the list, both sides of the 1 July 2026 rate change,
-- VAT rounded half up and up, negative stock allowed and refused) posted
-- under each version, and every entry, journal line, stock movement, stock
-- level and business event compared.  Refused sales are compared by SQLSTATE
-- (the refused item of a sale with two may differ; ids are not compared).
-- Since 1.3 a line's amount is round(quantity × unit_price, 2) before VAT is
-- taken out of it (1.1 took VAT out of the unrounded product): the only rows
-- that differ are revenue and VAT lines of sales with a line of fractional
-- cents, each moved by a cent, every entry still balanced.
\set VERBOSITY terse
SET client_min_messages = warning;   -- the DROP EXTENSION IF EXISTS notices depend on the tests before
CREATE TEMP TABLE posted (version text, what text, row text);
SET pub_test.version = '1.1';
\set version '1.1'
\i sql/include/bo_posting_run.psql
SET pub_test.version = '1.2';
\set version '1.2'
\i sql/include/bo_posting_run.psql
-- What was compared, per version.
SELECT what, count(*) FILTER (WHERE version = '1.1') AS rows_1_1, count(*) FILTER (WHERE version = '1.2') AS rows_1_2
  FROM posted GROUP BY what ORDER BY what;
-- Rows one version wrote and the other did not: 1.2 and 1.3 use the same C
-- posting; the journal lines of five sales with fractional cents differ from 1.1's.
(SELECT '1.1 only' AS side, what, row FROM posted WHERE version = '1.1'
 EXCEPT ALL SELECT '1.1 only', what, row FROM posted WHERE version = '1.2')
UNION ALL
(SELECT '1.2 only', what, row FROM posted WHERE version = '1.2'
 EXCEPT ALL SELECT '1.2 only', what, row FROM posted WHERE version = '1.1')
ORDER BY 1, 2, 3;
-- Every sale whose rows differ has a line of fractional cents.
SELECT count(DISTINCT split_part(trim(both '()' from row), ',', 1)) AS differing_sales_without_fractional_line
  FROM ((SELECT what, row FROM posted WHERE version = '1.1' EXCEPT ALL SELECT what, row FROM posted WHERE version = '1.2')
        UNION ALL
        (SELECT what, row FROM posted WHERE version = '1.2' EXCEPT ALL SELECT what, row FROM posted WHERE version = '1.1')) d
 WHERE d.what = 'line'
   AND split_part(trim(both '()' from row), ',', 1) NOT IN (SELECT row FROM posted WHERE what = 'fractional');
-- pub.round_vat is C in 1.2: the same text as 1.1's SQL for every rule,
-- over amounts from -3.0000 to 3.0000 in steps of 0.0005.
SELECT count(*) AS round_vat_differences
  FROM generate_series(-6000, 6000) g, (VALUES ('half_up'), ('up'), (NULL)) r(rule),
       LATERAL (SELECT g / 2000.0 AS x) a
 WHERE pub.round_vat(a.x, r.rule)::text IS DISTINCT FROM
       (CASE r.rule WHEN 'up' THEN sign(a.x) * ceil(abs(a.x) * 100) / 100 ELSE round(a.x, 2) END)::text;
DROP EXTENSION pub_backoffice CASCADE;
