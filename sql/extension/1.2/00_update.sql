-- pub_backoffice 1.1 -> 1.2: the sale posting in C (src/backoffice), for
-- speed; the same rules, errors and events.  Assembled from
-- sql/extension/1.2/*.sql.
\echo Use "ALTER EXTENSION pub_backoffice UPDATE TO '1.2'" to load this file. \quit
