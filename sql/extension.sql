-- The extension installs into schema pub and reports its version.
CREATE EXTENSION pub_backoffice;
SELECT extname, extversion, nspname
  FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
 WHERE extname = 'pub_backoffice';
