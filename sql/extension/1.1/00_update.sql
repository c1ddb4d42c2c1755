-- pub_backoffice 1.0 -> 1.1: documents in (Peppol UBL invoices, Square
-- orders, till CSV exports), assembled from sql/extension/1.1/*.sql.
\echo Use "ALTER EXTENSION pub_backoffice UPDATE TO '1.1'" to load this file. \quit
