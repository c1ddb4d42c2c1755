-- ===========================================================================
-- Back office: the double-entry ledger.
-- Entries balance (a deferred constraint trigger checks it at commit), are
-- append-only (mistakes are reversed, never edited), carry their source and an
-- idempotency key, and never land in a closed period.  Balances are always
-- derived from the lines: no running-balance row that every sale updates.
-- ===========================================================================

CREATE TABLE pub.account_template (
    code      text PRIMARY KEY,
    name      text NOT NULL,
    type      text NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    role      text NOT NULL,
    category  text,
    UNIQUE (role, category)
);
COMMENT ON TABLE pub.account_template IS 'The default chart of accounts copied into every new venue';
COMMENT ON COLUMN pub.account_template.role IS 'What postings use the account for (cash, card, revenue, cogs, ...); with category, unique per venue';

INSERT INTO pub.account_template (code, name, type, role, category) VALUES
    ('1000', 'Cash on hand',                'asset',     'cash',        NULL),
    ('1010', 'Card clearing',               'asset',     'card',        NULL),
    ('1100', 'Bank',                        'asset',     'bank',        NULL),
    ('1200', 'Inventory',                   'asset',     'inventory',   NULL),
    ('1300', 'VAT input (reclaimable)',     'asset',     'vat_input',   NULL),
    ('1400', 'Due from other venues',       'asset',     'transfer_out', NULL),
    ('2000', 'Accounts payable',            'liability', 'payable',     NULL),
    ('2100', 'VAT output',                  'liability', 'vat_output',  NULL),
    ('2400', 'Due to other venues',         'liability', 'transfer_in', NULL),
    ('3000', 'Owner''s equity',             'equity',    'equity',      NULL),
    ('4000', 'Sales - draught',             'revenue',   'revenue',     'draught'),
    ('4010', 'Sales - bottled',             'revenue',   'revenue',     'bottled'),
    ('4020', 'Sales - spirits',             'revenue',   'revenue',     'spirits'),
    ('4030', 'Sales - wine',                'revenue',   'revenue',     'wine'),
    ('4040', 'Sales - soft drinks',         'revenue',   'revenue',     'soft_drinks'),
    ('4050', 'Sales - food',                'revenue',   'revenue',     'food'),
    ('4090', 'Sales - other',               'revenue',   'revenue',     'other'),
    ('5000', 'Cost of sales - draught',     'expense',   'cogs',        'draught'),
    ('5010', 'Cost of sales - bottled',     'expense',   'cogs',        'bottled'),
    ('5020', 'Cost of sales - spirits',     'expense',   'cogs',        'spirits'),
    ('5030', 'Cost of sales - wine',        'expense',   'cogs',        'wine'),
    ('5040', 'Cost of sales - soft drinks', 'expense',   'cogs',        'soft_drinks'),
    ('5050', 'Cost of sales - food',        'expense',   'cogs',        'food'),
    ('5090', 'Cost of sales - other',       'expense',   'cogs',        'other'),
    ('6000', 'Stock shrinkage',             'expense',   'shrinkage',   NULL),
    ('6100', 'Wastage',                     'expense',   'wastage',     NULL),
    ('6900', 'Other expenses',              'expense',   'expense',     NULL);

CREATE TABLE pub.account (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id  bigint NOT NULL REFERENCES pub.venue,
    code      text NOT NULL,
    name      text NOT NULL,
    type      text NOT NULL CHECK (type IN ('asset', 'liability', 'equity', 'revenue', 'expense')),
    role      text NOT NULL,
    category  text,
    UNIQUE (venue_id, code),
    UNIQUE (venue_id, id)
);
CREATE UNIQUE INDEX account_role ON pub.account (venue_id, role, coalesce(category, ''));
COMMENT ON TABLE pub.account IS 'A venue''s chart of accounts (created from account_template with the venue)';

CREATE FUNCTION pub.venue_create_accounts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
BEGIN
    INSERT INTO pub.account (venue_id, code, name, type, role, category)
    SELECT NEW.id, t.code, t.name, t.type, t.role, t.category FROM pub.account_template t;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.venue_create_accounts() IS 'Trigger: gives a new venue the default chart of accounts';
CREATE TRIGGER venue_accounts AFTER INSERT ON pub.venue
    FOR EACH ROW EXECUTE FUNCTION pub.venue_create_accounts();
COMMENT ON TRIGGER venue_accounts ON pub.venue IS 'Gives a new venue the default chart of accounts';

CREATE TABLE pub.accounting_period (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id      bigint NOT NULL REFERENCES pub.venue,
    period_start  date NOT NULL,
    period_end    date NOT NULL,
    closed_at     timestamptz NOT NULL DEFAULT now(),
    closed_by     name NOT NULL DEFAULT current_user,
    CHECK (period_end >= period_start)
);
CREATE INDEX accounting_period_venue ON pub.accounting_period (venue_id, period_end);
COMMENT ON TABLE pub.accounting_period IS 'A closed (filed) period: nothing posts into it; corrections go into a later period';

CREATE TABLE pub.journal_entry (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id          bigint NOT NULL REFERENCES pub.venue,
    entry_date        date NOT NULL,
    source            text NOT NULL CONSTRAINT journal_entry_source_check
                      CHECK (source IN ('sale', 'invoice', 'credit_note', 'payment', 'stocktake',
                                        'wastage', 'transfer', 'manual', 'reversal')),
    source_id         bigint,
    idempotency_key   text NOT NULL,
    memo              text,
    reverses_entry_id bigint UNIQUE REFERENCES pub.journal_entry,
    txid              bigint NOT NULL DEFAULT txid_current(),
    created_at        timestamptz NOT NULL DEFAULT now(),
    created_by        name NOT NULL DEFAULT session_user,
    UNIQUE (venue_id, idempotency_key),
    UNIQUE (venue_id, id, txid)
);
CREATE INDEX journal_entry_date ON pub.journal_entry (venue_id, entry_date);
COMMENT ON TABLE pub.journal_entry IS 'A balanced, append-only journal entry';
COMMENT ON COLUMN pub.journal_entry.source IS 'What posted it: sale, invoice, credit_note, payment, stocktake, wastage, transfer, manual, reversal';
COMMENT ON COLUMN pub.journal_entry.source_id IS 'Id of the source row (sale, invoice, ...)';
COMMENT ON COLUMN pub.journal_entry.idempotency_key IS 'Unique per venue: posting the same thing twice is a no-op; postings use <source>:<source id> (sale:42, invoice:7), which also finds the entry of a source';
COMMENT ON COLUMN pub.journal_entry.txid IS 'Transaction that created the entry: lines may only be added in that transaction (journal_line_entry_open)';

CREATE TABLE pub.journal_line (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entry_id    bigint NOT NULL,
    venue_id    bigint NOT NULL,
    account_id  bigint NOT NULL,
    debit       numeric(14,2) NOT NULL DEFAULT 0 CONSTRAINT journal_line_debit_check CHECK (debit >= 0),
    credit      numeric(14,2) NOT NULL DEFAULT 0 CONSTRAINT journal_line_credit_check CHECK (credit >= 0),
    vat_rate    numeric(5,2),
    entry_txid  bigint NOT NULL DEFAULT txid_current(),
    -- A line written by a later transaction carries another txid and finds
    -- no entry: a committed entry is closed to new lines.
    CONSTRAINT journal_line_entry_open FOREIGN KEY (venue_id, entry_id, entry_txid)
        REFERENCES pub.journal_entry (venue_id, id, txid),
    FOREIGN KEY (venue_id, account_id) REFERENCES pub.account (venue_id, id),
    CONSTRAINT journal_line_one_side CHECK (debit = 0 OR credit = 0)
);
CREATE INDEX journal_line_entry ON pub.journal_line (entry_id);
CREATE INDEX journal_line_account ON pub.journal_line (account_id);
COMMENT ON TABLE pub.journal_line IS 'A debit or a credit to one account; account balances are sums of these lines';
COMMENT ON COLUMN pub.journal_line.vat_rate IS 'On VAT lines: the rate the VAT was charged at';
COMMENT ON COLUMN pub.journal_line.entry_txid IS 'Transaction writing the line; must be the entry''s (leave to the default)';

-- Append-only tables refuse UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION pub.refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%.% is append-only: % is not allowed', TG_TABLE_SCHEMA, TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'object_not_in_prerequisite_state',
              HINT = 'Record a correcting row instead (a reversing entry, a refund, an adjustment).';
END $$;
COMMENT ON FUNCTION pub.refuse_change() IS 'Trigger: refuses UPDATE, DELETE and TRUNCATE on append-only tables';

-- One place for the append-only rule: the trigger and its comment, by table.
CREATE FUNCTION pub.make_append_only(p_table regclass) RETURNS void
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    t text := (SELECT relname FROM pg_class WHERE oid = p_table);
BEGIN
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE OR TRUNCATE ON %s
                        FOR EACH STATEMENT EXECUTE FUNCTION pub.refuse_change()', t || '_append_only', p_table);
    EXECUTE format('COMMENT ON TRIGGER %I ON %s IS %L', t || '_append_only', p_table,
                   format('Refuses UPDATE, DELETE and TRUNCATE: %s is append-only', p_table));
END $$;
COMMENT ON FUNCTION pub.make_append_only(regclass) IS
    'Makes a table append-only: a statement trigger <table>_append_only that calls pub.refuse_change()';

SELECT pub.make_append_only('pub.journal_entry');
SELECT pub.make_append_only('pub.journal_line');
SELECT pub.make_append_only('pub.accounting_period');

CREATE FUNCTION pub.journal_entry_check_period() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
DECLARE
    p pub.accounting_period;
BEGIN
    -- A query of the trigger's own, not a SQL function: PL/pgSQL keeps its
    -- plan, where a non-inlined SQL function is parsed and planned again in
    -- every transaction (one per sale).
    SELECT * INTO p FROM pub.accounting_period
     WHERE venue_id = NEW.venue_id AND period_end >= NEW.entry_date AND period_start <= NEW.entry_date
     LIMIT 1;
    IF p.id IS NOT NULL THEN
        RAISE EXCEPTION 'entry_date % falls in closed accounting period % to % of venue %',
              NEW.entry_date, p.period_start, p.period_end, NEW.venue_id
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Post the correction into the next open period.';
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION pub.journal_entry_check_period() IS 'Trigger: refuses entries dated in a closed period';
CREATE TRIGGER journal_entry_open_period BEFORE INSERT ON pub.journal_entry
    FOR EACH ROW EXECUTE FUNCTION pub.journal_entry_check_period();
COMMENT ON TRIGGER journal_entry_open_period ON pub.journal_entry IS 'Refuses an entry dated in a closed accounting period';

-- Debits equal credits, checked once per entry at commit, whoever inserted.
-- (SECURITY DEFINER: a deferred trigger runs as whoever is current at commit.)
CREATE FUNCTION pub.journal_entry_check_balance() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
DECLARE
    d numeric; c numeric; n int;
BEGIN
    SELECT coalesce(sum(debit), 0), coalesce(sum(credit), 0), count(*) INTO d, c, n
      FROM pub.journal_line WHERE entry_id = NEW.id;
    IF d <> c OR n < 2 THEN
        RAISE EXCEPTION 'journal entry % (%) does not balance: debits % <> credits % over % lines',
              NEW.id, NEW.idempotency_key, d, c, n
            USING ERRCODE = 'check_violation',
                  HINT = 'Every entry needs at least two lines whose debits equal its credits.';
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION pub.journal_entry_check_balance() IS 'Deferred constraint trigger: an entry''s debits equal its credits at commit';
CREATE CONSTRAINT TRIGGER journal_entry_balanced AFTER INSERT ON pub.journal_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION pub.journal_entry_check_balance();
COMMENT ON TRIGGER journal_entry_balanced ON pub.journal_entry IS 'At commit: the entrys debits equal its credits (at least two lines)';

-- A venue's account by role (and category), or an error.
CREATE FUNCTION pub.account_for(p_venue bigint, p_role text, p_category text DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql STABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    a bigint;
BEGIN
    SELECT id INTO a FROM pub.account
     WHERE venue_id = p_venue AND role = p_role AND coalesce(category, '') = coalesce(p_category, '');
    IF a IS NULL THEN
        RAISE EXCEPTION 'venue % has no account for role % category %', p_venue, p_role, coalesce(p_category, '-')
            USING ERRCODE = 'no_data_found';
    END IF;
    RETURN a;
END $$;
COMMENT ON FUNCTION pub.account_for(bigint, text, text) IS 'Account id of a venue for a posting role and category';

-- Posts an entry from jsonb lines [{"account": code | "role": r, "category": c,
-- "debit": n, "credit": n, "vat_rate": n}].  Idempotent on (venue, key):
-- a second call returns the first entry's id.  Zero lines are dropped.
CREATE FUNCTION pub.post_entry(p_venue bigint, p_date date, p_source text, p_source_id bigint,
                               p_key text, p_memo text, p_lines jsonb) RETURNS bigint
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    e bigint;
BEGIN
    INSERT INTO pub.journal_entry (venue_id, entry_date, source, source_id, idempotency_key, memo)
    VALUES (p_venue, p_date, p_source, p_source_id, p_key, p_memo)
    ON CONFLICT (venue_id, idempotency_key) DO NOTHING
    RETURNING id INTO e;
    IF e IS NULL THEN
        SELECT id INTO e FROM pub.journal_entry WHERE venue_id = p_venue AND idempotency_key = p_key;
        RETURN e;
    END IF;
    INSERT INTO pub.journal_line (entry_id, venue_id, account_id, debit, credit, vat_rate)
    SELECT e, p_venue,
           CASE WHEN l ? 'account'
                THEN (SELECT a.id FROM pub.account a WHERE a.venue_id = p_venue AND a.code = l->>'account')
                ELSE pub.account_for(p_venue, l->>'role', l->>'category') END,
           coalesce((l->>'debit')::numeric, 0), coalesce((l->>'credit')::numeric, 0),
           (l->>'vat_rate')::numeric
      FROM jsonb_array_elements(p_lines) l
     WHERE coalesce((l->>'debit')::numeric, 0) <> 0 OR coalesce((l->>'credit')::numeric, 0) <> 0;
    RETURN e;
END $$;
COMMENT ON FUNCTION pub.post_entry(bigint, date, text, bigint, text, text, jsonb) IS
    'Internal: inserts an entry and its lines (balance is checked at commit); idempotent on the key';

-- Writers never touch the ledger tables: they insert a request row (under
-- row-level security, so only into their own venues) and a SECURITY DEFINER
-- trigger posts it.  A trigger function cannot be called directly, so the
-- trigger is the only door into the ledger.

CREATE TABLE pub.manual_journal (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id         bigint NOT NULL REFERENCES pub.venue,
    entry_date       date NOT NULL,
    memo             text,
    idempotency_key  text NOT NULL CONSTRAINT manual_journal_idempotency_key_check CHECK (idempotency_key <> ''),
    lines            jsonb NOT NULL,
    entry_id         bigint,
    created_by       name NOT NULL DEFAULT current_user,
    UNIQUE (venue_id, idempotency_key)
);
COMMENT ON TABLE pub.manual_journal IS 'A manual journal request; its trigger validates the lines and posts the entry';
COMMENT ON COLUMN pub.manual_journal.lines IS '[{"account": "6900", "debit": 10.00}, {"account": "1100", "credit": 10.00}]';

CREATE FUNCTION pub.manual_journal_post() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
DECLARE
    l jsonb; i int := 0; d numeric := 0; c numeric := 0; amt numeric;
BEGIN
    IF jsonb_typeof(NEW.lines) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'lines must be a JSON array' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR l IN SELECT * FROM jsonb_array_elements(NEW.lines) LOOP
        i := i + 1;
        IF NOT EXISTS (SELECT 1 FROM pub.account WHERE venue_id = NEW.venue_id AND code = l->>'account') THEN
            RAISE EXCEPTION 'journal line %: account "%" does not exist in venue %', i, l->>'account', NEW.venue_id
                USING ERRCODE = 'foreign_key_violation';
        END IF;
        FOREACH amt IN ARRAY ARRAY[coalesce((l->>'debit')::numeric, 0), coalesce((l->>'credit')::numeric, 0)] LOOP
            IF amt <> round(amt, 2) OR amt < 0 THEN
                RAISE EXCEPTION 'journal line %: debit/credit % must be a non-negative amount with at most two decimals', i, amt
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
        END LOOP;
        d := d + coalesce((l->>'debit')::numeric, 0);
        c := c + coalesce((l->>'credit')::numeric, 0);
    END LOOP;
    IF d <> c OR i < 2 THEN
        RAISE EXCEPTION 'journal lines do not balance: debit total % <> credit total %', d, c
            USING ERRCODE = 'check_violation';
    END IF;
    NEW.entry_id := pub.post_entry(NEW.venue_id, NEW.entry_date, 'manual', NULL,
                                   'manual:' || NEW.idempotency_key, NEW.memo, NEW.lines);
    RETURN NEW;
END $$;
COMMENT ON FUNCTION pub.manual_journal_post() IS 'Trigger: validates a manual journal and posts it';
CREATE TRIGGER manual_journal_post BEFORE INSERT ON pub.manual_journal
    FOR EACH ROW EXECUTE FUNCTION pub.manual_journal_post();
COMMENT ON TRIGGER manual_journal_post ON pub.manual_journal IS 'Validates a manual journal and posts it';
SELECT pub.make_append_only('pub.manual_journal');

CREATE FUNCTION pub.post_journal(p_venue bigint, p_date date, p_memo text, p_key text, p_lines jsonb)
RETURNS bigint
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    e bigint;
BEGIN
    INSERT INTO pub.manual_journal (venue_id, entry_date, memo, idempotency_key, lines)
    VALUES (p_venue, p_date, p_memo, p_key, p_lines)
    ON CONFLICT (venue_id, idempotency_key) DO NOTHING
    RETURNING entry_id INTO e;
    IF e IS NULL THEN   -- a resend: the first posting stands
        SELECT entry_id INTO e FROM pub.manual_journal WHERE venue_id = p_venue AND idempotency_key = p_key;
    END IF;
    RETURN e;
END $$;
COMMENT ON FUNCTION pub.post_journal(bigint, date, text, text, jsonb) IS
    'Posts a manual journal (lines [{"account": code, "debit"|"credit": amount}]); returns the entry id';

CREATE TABLE pub.entry_reversal (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id       bigint NOT NULL REFERENCES pub.venue,
    entry_id       bigint NOT NULL,
    reversal_date  date NOT NULL,
    memo           text,
    reversal_entry_id bigint,
    created_by     name NOT NULL DEFAULT current_user,
    FOREIGN KEY (entry_id) REFERENCES pub.journal_entry (id)
);
COMMENT ON TABLE pub.entry_reversal IS 'A request to reverse a journal entry; its trigger posts the mirror-image entry';

CREATE FUNCTION pub.entry_reversal_post() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pub, pg_catalog AS $$
DECLARE
    r bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pub.journal_entry WHERE id = NEW.entry_id AND venue_id = NEW.venue_id) THEN
        RAISE EXCEPTION 'entry_id % is not a journal entry of venue_id %', NEW.entry_id, NEW.venue_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    INSERT INTO pub.journal_entry (venue_id, entry_date, source, source_id, idempotency_key, memo, reverses_entry_id)
    VALUES (NEW.venue_id, NEW.reversal_date, 'reversal', NEW.entry_id, 'reversal:' || NEW.entry_id,
            coalesce(NEW.memo, 'reversal of entry ' || NEW.entry_id), NEW.entry_id)
    ON CONFLICT (venue_id, idempotency_key) DO NOTHING
    RETURNING id INTO r;
    IF r IS NULL THEN   -- reversed already: the same reversal again
        SELECT id INTO r FROM pub.journal_entry WHERE reverses_entry_id = NEW.entry_id;
    ELSE
        INSERT INTO pub.journal_line (entry_id, venue_id, account_id, debit, credit, vat_rate)
        SELECT r, venue_id, account_id, credit, debit, vat_rate
          FROM pub.journal_line WHERE entry_id = NEW.entry_id ORDER BY id;
    END IF;
    NEW.reversal_entry_id := r;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION pub.entry_reversal_post() IS 'Trigger: posts the reversing entry (once per entry)';
CREATE TRIGGER entry_reversal_post BEFORE INSERT ON pub.entry_reversal
    FOR EACH ROW EXECUTE FUNCTION pub.entry_reversal_post();
COMMENT ON TRIGGER entry_reversal_post ON pub.entry_reversal IS 'Posts the reversing entry of the requested journal entry';

CREATE FUNCTION pub.reverse_entry(p_entry bigint, p_date date, p_memo text DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    v bigint; r bigint;
BEGIN
    SELECT venue_id INTO v FROM pub.journal_entry WHERE id = p_entry;
    IF v IS NULL THEN
        RAISE EXCEPTION 'journal entry % does not exist', p_entry USING ERRCODE = 'no_data_found';
    END IF;
    INSERT INTO pub.entry_reversal (venue_id, entry_id, reversal_date, memo)
    VALUES (v, p_entry, p_date, p_memo) RETURNING reversal_entry_id INTO r;
    RETURN r;
END $$;
COMMENT ON FUNCTION pub.reverse_entry(bigint, date, text) IS 'Reverses a journal entry on a date (a second call returns the same reversal); returns the reversing entry id';

-- Closing a period: an accountant inserts the period (or calls close_period).
CREATE FUNCTION pub.close_period(p_venue bigint, p_start date, p_end date) RETURNS bigint
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
DECLARE
    r bigint;
BEGIN
    INSERT INTO pub.accounting_period (venue_id, period_start, period_end)
    VALUES (p_venue, p_start, p_end) RETURNING id INTO r;
    RETURN r;
END $$;
COMMENT ON FUNCTION pub.close_period(bigint, date, date) IS 'Closes (locks) a venue''s period from p_start to p_end inclusive; returns its id';
