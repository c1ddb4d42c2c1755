-- Every function, table, view and type the extension creates is documented
-- with COMMENT ON (identity columns' own sequences excepted).
DROP EXTENSION IF EXISTS pub_backoffice CASCADE;
CREATE EXTENSION pub_backoffice;
SELECT 'function' AS kind, p.oid::regprocedure::text AS object
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'pub' AND obj_description(p.oid, 'pg_proc') IS NULL
UNION ALL
SELECT c.relkind::text, c.oid::regclass::text
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'pub' AND c.relkind IN ('r', 'v', 'm', 'p', 'S')
   AND obj_description(c.oid, 'pg_class') IS NULL
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                      AND d.deptype = 'i' AND c.relkind = 'S')
UNION ALL
SELECT 'type', t.oid::regtype::text
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
 WHERE n.nspname = 'pub' AND t.typtype IN ('e', 'd', 'c') AND t.typrelid = 0
   AND obj_description(t.oid, 'pg_type') IS NULL
ORDER BY 1, 2;
DROP EXTENSION pub_backoffice;
