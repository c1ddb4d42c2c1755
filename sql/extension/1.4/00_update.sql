-- pub_backoffice 1.3 -> 1.4: the Z report shows the day's tips by payment
-- method beside the takings, and what was collected (takings + tips), the
-- figure to reconcile with the card terminal's batch and the cash drawer.
-- Assembled from sql/extension/1.4/*.sql.
\echo Use "ALTER EXTENSION pub_backoffice UPDATE TO '1.4'" to load this file. \quit
