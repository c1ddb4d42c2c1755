-- pub_backoffice extension script, assembled from sql/extension/*.sql in name order.
\echo Use "CREATE EXTENSION pub_backoffice" to load this file. \quit

COMMENT ON SCHEMA pub IS 'pub_backoffice: a bar''s back office (sales, stock, purchasing, ledger, VAT, reports)';
