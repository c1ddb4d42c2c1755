-- ===========================================================================
-- Back office: the sale posting in C.  Same reads, checks, sums, rows and
-- events as 1.1's PL/pgSQL post_sale; what changed is how.  The posting
-- reads the sale, its lines and payments by index, locks and moves the stock
-- levels by index, adds up the entry with SQL's numeric functions, and writes
-- the entry, its lines, the movements and the events straight into the tables
-- (heap, indexes, CHECK constraints), without the per-row foreign-key checks
-- and triggers whose rules it already keeps for its own rows: see
-- src/backoffice/sale_posting.c for the list.  Every other writer of those
-- tables still gets every trigger and check.  sql/bo_posting_c.sql posts the
-- same sales under 1.1 and 1.2 and compares every row.
-- ===========================================================================

CREATE OR REPLACE FUNCTION pub.post_sale(p_sale bigint) RETURNS bigint
LANGUAGE C STRICT SET search_path = pub, pg_catalog
AS 'MODULE_PATHNAME', 'pbo_post_sale';
COMMENT ON FUNCTION pub.post_sale(bigint) IS
    'Internal: posts a sale (stock, VAT, COGS, journal, events) once and returns the entry id (NULL when posted already); called by the sale_posted trigger; C';

CREATE OR REPLACE FUNCTION pub.sale_post_trigger() RETURNS trigger
LANGUAGE C SECURITY DEFINER SET search_path = pub, pg_catalog
AS 'MODULE_PATHNAME', 'pbo_sale_post_trigger';
COMMENT ON FUNCTION pub.sale_post_trigger() IS
    'Deferred constraint trigger: posts each sale once, at commit, with all its lines (C: pub.post_sale)';

COMMENT ON TABLE pub.stock_level IS
    'Current level and weighted average cost per stock item: kept from pub.stock_movement by its trigger, and by the sale posting for the movements it writes';
COMMENT ON FUNCTION pub.stock_movement_apply() IS
    'Statement trigger: applies new movements to stock_level (the sale posting applies its own, with the same rules)';

-- VAT rounding has one home, C (src/backoffice/vat_round.c): the posting
-- rounds with it and SQL calls it here.  Not STRICT: a NULL rule is half up,
-- as 1.1's CASE made it.
CREATE OR REPLACE FUNCTION pub.round_vat(p_amount numeric, p_rule text) RETURNS numeric
LANGUAGE C IMMUTABLE PARALLEL SAFE
AS 'MODULE_PATHNAME', 'pbo_round_vat';
COMMENT ON FUNCTION pub.round_vat(numeric, text) IS 'Rounds a VAT amount to the cent: half_up, or up (away from zero, never down); C';

-- The balance check at every entry's commit, for every writer, in C: the
-- entry's lines summed through the journal_line_entry index.  Same rule and
-- error; no longer SECURITY DEFINER, since it reads by index and needs no
-- privilege on the ledger whoever commits.
CREATE OR REPLACE FUNCTION pub.journal_entry_check_balance() RETURNS trigger
LANGUAGE C
AS 'MODULE_PATHNAME', 'pbo_journal_entry_check_balance';
COMMENT ON FUNCTION pub.journal_entry_check_balance() IS 'Deferred constraint trigger: an entry''s debits equal its credits at commit (C)';
