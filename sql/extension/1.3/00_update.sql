-- pub_backoffice 1.2 -> 1.3: a sale's total is the sum of its lines'
-- amounts, each round(quantity × unit_price, 2), in record_sale as in the C
-- posting (src/backoffice/sale_lines.c), so that a sale with fractions of a
-- cent in its lines posts a balanced entry.  Assembled from
-- sql/extension/1.3/*.sql.
\echo Use "ALTER EXTENSION pub_backoffice UPDATE TO '1.3'" to load this file. \quit
