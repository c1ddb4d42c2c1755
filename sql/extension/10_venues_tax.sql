-- ===========================================================================
-- Back office: venues, VAT rates and alcohol duty rates.
-- Every rate is an effective-dated row: changing a rate is an INSERT, never
-- an edit of code.
-- ===========================================================================

CREATE TABLE pub.venue (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                 text NOT NULL,
    country              text NOT NULL CONSTRAINT venue_country_check CHECK (country IN ('IE', 'GB')),
    currency             text NOT NULL CONSTRAINT venue_currency_check CHECK (currency IN ('EUR', 'GBP')),
    vat_number           text,
    time_zone            text NOT NULL DEFAULT 'Europe/Dublin',
    rounding_rule        text NOT NULL DEFAULT 'half_up'
                         CONSTRAINT venue_rounding_rule_check CHECK (rounding_rule IN ('half_up', 'up')),
    allow_negative_stock boolean NOT NULL DEFAULT true,
    created_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT venue_currency_matches_country
        CHECK ((country = 'IE' AND currency = 'EUR') OR (country = 'GB' AND currency = 'GBP'))
);
COMMENT ON TABLE pub.venue IS 'A bar or pub: the unit of business; every other back-office row belongs to one venue';
COMMENT ON COLUMN pub.venue.country IS 'IE or GB: selects VAT rates, duty rates and the VAT return (VAT3 or VAT100)';
COMMENT ON COLUMN pub.venue.time_zone IS 'IANA zone; a sale''s business date is its local date here';
COMMENT ON COLUMN pub.venue.rounding_rule IS 'How VAT is rounded once per document and rate: half_up (default) or up (never round down)';
COMMENT ON COLUMN pub.venue.allow_negative_stock IS 'true: stock may go negative (flagged in stock_level.negative_since); false: a movement that would do so is refused';

-- Reject a time zone PostgreSQL does not know at once, not at the first sale.
CREATE FUNCTION pub.venue_check_time_zone() RETURNS trigger
LANGUAGE plpgsql SET search_path = pub, pg_catalog AS $$
BEGIN
    PERFORM now() AT TIME ZONE NEW.time_zone;
    RETURN NEW;
EXCEPTION WHEN invalid_parameter_value THEN
    RAISE EXCEPTION 'venue time_zone "%" is not a known time zone', NEW.time_zone
        USING ERRCODE = 'invalid_parameter_value';
END $$;
COMMENT ON FUNCTION pub.venue_check_time_zone() IS 'Trigger: refuses a venue whose time_zone is unknown';
CREATE TRIGGER venue_time_zone BEFORE INSERT OR UPDATE OF time_zone ON pub.venue
    FOR EACH ROW EXECUTE FUNCTION pub.venue_check_time_zone();
COMMENT ON TRIGGER venue_time_zone ON pub.venue IS 'Refuses an unknown time zone';

CREATE TABLE pub.vat_rate (
    country     text NOT NULL CHECK (country IN ('IE', 'GB')),
    tax_class   text NOT NULL,
    valid_from  date NOT NULL,
    valid_to    date,
    rate        numeric(5,2) NOT NULL CHECK (rate >= 0 AND rate < 100),
    note        text,
    PRIMARY KEY (country, tax_class, valid_from),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
COMMENT ON TABLE pub.vat_rate IS 'VAT rates by country and tax class, in force from valid_from to valid_to inclusive (open-ended when null)';
COMMENT ON COLUMN pub.vat_rate.tax_class IS 'standard, catering (food and non-alcoholic drink served in catering/hospitality), reduced, zero';

-- Seeded from DOMAIN.md.  Ireland's standard rate was 21% from 1 Sep 2020 to
-- 28 Feb 2021; that and older history is not seeded, so such dates raise
-- "missing VAT rate" rather than guess.
INSERT INTO pub.vat_rate (country, tax_class, valid_from, valid_to, rate, note) VALUES
    ('IE', 'standard', '2021-03-01', NULL,         23.00, 'alcohol, soft drinks, bottled water (even with a meal)'),
    ('IE', 'reduced',  '2021-03-01', NULL,         13.50, 'reduced rate'),
    ('IE', 'catering', '2020-11-01', '2023-08-31',  9.00, 'hospitality second reduced rate'),
    ('IE', 'catering', '2023-09-01', '2026-06-30', 13.50, 'catering food, tea, coffee at the reduced rate'),
    ('IE', 'catering', '2026-07-01', NULL,          9.00, 'food and drink in restaurant and catering service'),
    ('IE', 'zero',     '2021-03-01', NULL,          0.00, 'zero rate'),
    ('GB', 'standard', '2011-01-04', NULL,         20.00, 'standard rate'),
    ('GB', 'catering', '2011-01-04', '2020-07-14', 20.00, 'hospitality food and non-alcoholic drink'),
    ('GB', 'catering', '2020-07-15', '2021-09-30',  5.00, 'temporary hospitality rate'),
    ('GB', 'catering', '2021-10-01', '2022-03-31', 12.50, 'temporary hospitality rate'),
    ('GB', 'catering', '2022-04-01', NULL,         20.00, 'hospitality back at the standard rate'),
    ('GB', 'zero',     '2011-01-04', NULL,          0.00, 'zero rate');

-- The rate in force on a date, or an error naming what is missing.
CREATE FUNCTION pub.vat_rate_on(p_country text, p_tax_class text, p_on date) RETURNS numeric
LANGUAGE plpgsql STABLE SET search_path = pub, pg_catalog AS $$
DECLARE
    r numeric;
BEGIN
    SELECT v.rate INTO r FROM pub.vat_rate v
     WHERE v.country = p_country AND v.tax_class = p_tax_class
       AND v.valid_from <= p_on AND (v.valid_to IS NULL OR v.valid_to >= p_on);
    IF r IS NULL THEN
        RAISE EXCEPTION 'missing VAT rate for country %, tax_class % on %', p_country, p_tax_class, p_on
            USING ERRCODE = 'no_data_found',
                  HINT = 'Insert the rate in force into pub.vat_rate.';
    END IF;
    RETURN r;
END $$;
COMMENT ON FUNCTION pub.vat_rate_on(text, text, date) IS 'VAT rate (percent) in force for a country and tax class on a date; raises no_data_found when none is';

-- VAT rounding, once per document and rate, by the venue's rule.
CREATE FUNCTION pub.round_vat(p_amount numeric, p_rule text) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE p_rule
        WHEN 'up' THEN sign(p_amount) * ceil(abs(p_amount) * 100) / 100
        ELSE round(p_amount, 2) END   -- numeric round() is half away from zero
$$;
COMMENT ON FUNCTION pub.round_vat(numeric, text) IS 'Rounds a VAT amount to the cent: half_up, or up (away from zero, never down)';

CREATE TABLE pub.duty_rate (
    country      text NOT NULL CHECK (country IN ('IE', 'GB')),
    duty_class   text NOT NULL CHECK (duty_class IN ('beer', 'cider', 'wine', 'sparkling', 'spirits')),
    abv_from     numeric(5,2) NOT NULL,
    abv_to       numeric(5,2) NOT NULL,
    draught      boolean,
    basis        text NOT NULL CHECK (basis IN ('per_lpa', 'per_hl_per_abv', 'per_hl')),
    rate         numeric(10,2) NOT NULL,
    valid_from   date NOT NULL,
    valid_to     date,
    PRIMARY KEY (country, duty_class, abv_from, draught, valid_from)
);
COMMENT ON TABLE pub.duty_rate IS 'Alcohol duty rates as data (for cost analytics; duty is inside suppliers'' prices and not reclaimable)';
COMMENT ON COLUMN pub.duty_rate.basis IS 'per_lpa: per litre of pure alcohol; per_hl_per_abv: per hectolitre per % ABV; per_hl: per hectolitre of product';
COMMENT ON COLUMN pub.duty_rate.draught IS 'UK draught relief (containers of 20 L or more, below 8.5% ABV): true; otherwise false';

INSERT INTO pub.duty_rate (country, duty_class, abv_from, abv_to, draught, basis, rate, valid_from) VALUES
    ('IE', 'spirits',   0.00, 100.00, false, 'per_lpa',        42.57, '2013-10-16'),
    ('IE', 'beer',      1.20,   2.80, false, 'per_hl_per_abv', 11.27, '2013-10-16'),
    ('IE', 'beer',      2.81, 100.00, false, 'per_hl_per_abv', 22.55, '2013-10-16'),
    ('IE', 'wine',      5.50,  15.00, false, 'per_hl',        424.84, '2013-10-16'),
    ('IE', 'sparkling', 5.51, 100.00, false, 'per_hl',        849.68, '2013-10-16'),
    ('GB', 'beer',      3.50,   8.49, true,  'per_lpa',        18.76, '2025-02-01'),
    ('GB', 'cider',     3.50,   8.49, true,  'per_lpa',         8.63, '2025-02-01'),
    ('GB', 'beer',      1.30,   3.49, true,  'per_lpa',         8.28, '2025-02-01'),
    ('GB', 'cider',     1.30,   3.49, true,  'per_lpa',         8.28, '2025-02-01'),
    ('GB', 'beer',      3.50,   8.49, false, 'per_lpa',        21.78, '2025-02-01'),
    ('GB', 'cider',     3.50,   8.49, false, 'per_lpa',        10.02, '2025-02-01'),
    ('GB', 'wine',      3.50,   8.49, false, 'per_lpa',        25.67, '2025-02-01'),
    ('GB', 'sparkling', 3.50,   8.49, false, 'per_lpa',        25.67, '2025-02-01'),
    ('GB', 'spirits',   3.50,   8.49, false, 'per_lpa',        25.67, '2025-02-01');
-- UK bands shared by every class: 1.3-3.4% (non-draught), 8.5-22%, over 22%.
INSERT INTO pub.duty_rate (country, duty_class, abv_from, abv_to, draught, basis, rate, valid_from)
SELECT 'GB', c, b.f, b.t, false, 'per_lpa', b.r, '2025-02-01'
  FROM unnest(ARRAY['beer', 'cider', 'wine', 'sparkling', 'spirits']) c,
       (VALUES (1.30, 3.49, 9.61), (8.50, 22.00, 29.54), (22.01, 100.00, 32.79)) b(f, t, r);
