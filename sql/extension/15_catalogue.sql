-- ===========================================================================
-- Back office: the catalogue.  What is bought and counted (stock items, in
-- base units) is not what is sold (products); recipes map one to the other.
-- ===========================================================================

CREATE TABLE pub.stock_item (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id      bigint NOT NULL REFERENCES pub.venue,
    sku           text NOT NULL,
    name          text NOT NULL,
    category      text NOT NULL CONSTRAINT stock_item_category_check
                  CHECK (category IN ('draught', 'bottled', 'spirits', 'wine', 'soft_drinks', 'food', 'other')),
    base_unit     text NOT NULL CONSTRAINT stock_item_base_unit_check CHECK (base_unit IN ('ml', 'g', 'each')),
    pack_size     numeric(12,3) NOT NULL CONSTRAINT stock_item_pack_size_check CHECK (pack_size > 0),
    full_weight_g numeric(10,1),
    tare_weight_g numeric(10,1),
    par_level     numeric(14,3) NOT NULL DEFAULT 0 CHECK (par_level >= 0),
    unit_volume_ml numeric(10,1) CHECK (unit_volume_ml > 0),
    abv           numeric(5,2) CHECK (abv >= 0 AND abv <= 100),
    duty_class    text CHECK (duty_class IN ('beer', 'cider', 'wine', 'sparkling', 'spirits')),
    active        boolean NOT NULL DEFAULT true,
    UNIQUE (venue_id, sku),
    UNIQUE (venue_id, id),
    CONSTRAINT stock_item_weights_check
        CHECK (full_weight_g IS NULL OR tare_weight_g IS NULL OR full_weight_g > tare_weight_g)
);
COMMENT ON TABLE pub.stock_item IS 'What is bought and counted: a keg, a bottle, a case; quantities are in base units';
COMMENT ON COLUMN pub.stock_item.sku IS 'The venue''s code for the item; the same sku in two venues is the same product (used by transfers)';
COMMENT ON COLUMN pub.stock_item.base_unit IS 'ml, g or each: the unit of recipes, movements and levels';
COMMENT ON COLUMN pub.stock_item.pack_size IS 'Base units in one purchase unit (a 50 L keg: 50000 ml; a case of 24: 24 each)';
COMMENT ON COLUMN pub.stock_item.full_weight_g IS 'Weight of a full container, for counting partial ones by weight';
COMMENT ON COLUMN pub.stock_item.tare_weight_g IS 'Weight of an empty container';
COMMENT ON COLUMN pub.stock_item.par_level IS 'Level (base units) to reorder up to; falling below it emits a business event';
COMMENT ON COLUMN pub.stock_item.unit_volume_ml IS 'For items counted in each: the volume of one (a 330 ml bottle), for duty analytics';
COMMENT ON COLUMN pub.stock_item.abv IS 'Alcohol by volume, percent (duty analytics)';
COMMENT ON COLUMN pub.stock_item.duty_class IS 'beer, cider, wine, sparkling or spirits; null for non-alcoholic items';

CREATE TABLE pub.supplier (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id    bigint NOT NULL REFERENCES pub.venue,
    name        text NOT NULL,
    vat_number  text,
    UNIQUE (venue_id, id)
);
COMMENT ON TABLE pub.supplier IS 'A supplier of a venue (brewery, wholesaler)';

CREATE TABLE pub.supplier_item_code (
    venue_id       bigint NOT NULL,
    supplier_id    bigint NOT NULL,
    code           text NOT NULL,
    stock_item_id  bigint NOT NULL,
    PRIMARY KEY (supplier_id, code),
    FOREIGN KEY (venue_id, supplier_id) REFERENCES pub.supplier (venue_id, id),
    FOREIGN KEY (venue_id, stock_item_id) REFERENCES pub.stock_item (venue_id, id)
);
COMMENT ON TABLE pub.supplier_item_code IS 'A supplier''s own code for a stock item (an invoice line''s seller item id)';

CREATE TABLE pub.product (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    venue_id    bigint NOT NULL REFERENCES pub.venue,
    name        text NOT NULL,
    category    text NOT NULL CONSTRAINT product_category_check
                CHECK (category IN ('draught', 'bottled', 'spirits', 'wine', 'soft_drinks', 'food', 'other')),
    tax_class   text NOT NULL DEFAULT 'standard',
    price       numeric NOT NULL CONSTRAINT product_price_check CHECK (price >= 0 AND price = round(price, 2)),
    active      boolean NOT NULL DEFAULT true,
    UNIQUE (venue_id, id)
);
COMMENT ON TABLE pub.product IS 'What is sold: a pint, a measure, a dish';
COMMENT ON COLUMN pub.product.category IS 'Revenue and cost-of-goods category: draught, bottled, spirits, wine, soft_drinks, food, other';
COMMENT ON COLUMN pub.product.tax_class IS 'VAT class looked up in pub.vat_rate on the sale date';
COMMENT ON COLUMN pub.product.price IS 'Till price, VAT inclusive, at most two decimals (refused, not rounded)';

CREATE TABLE pub.recipe_line (
    venue_id       bigint NOT NULL,
    product_id     bigint NOT NULL,
    stock_item_id  bigint NOT NULL,
    quantity       numeric(12,3) NOT NULL CONSTRAINT recipe_line_quantity_check CHECK (quantity > 0),
    PRIMARY KEY (product_id, stock_item_id),
    FOREIGN KEY (venue_id, product_id) REFERENCES pub.product (venue_id, id),
    FOREIGN KEY (venue_id, stock_item_id) REFERENCES pub.stock_item (venue_id, id)
);
COMMENT ON TABLE pub.recipe_line IS 'One unit of a product uses quantity base units of a stock item (a pint: 568 ml of the keg)';
