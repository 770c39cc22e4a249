-- The shop's schema. product_reviews is large on purpose: without its full-text index, searching
-- reviews parses every row (the slow-query scenario).
CREATE TABLE IF NOT EXISTS products (
  id          integer PRIMARY KEY,
  sku         text NOT NULL UNIQUE,
  name        text NOT NULL,
  category    text NOT NULL,
  price_cents integer NOT NULL CHECK (price_cents > 0),
  stock       integer NOT NULL
);

CREATE TABLE IF NOT EXISTS customers (
  id    integer PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name  text NOT NULL
);

CREATE TABLE IF NOT EXISTS product_reviews (
  id         integer PRIMARY KEY,
  product_id integer NOT NULL REFERENCES products (id),
  rating     integer NOT NULL CHECK (rating BETWEEN 1 AND 5),
  body       text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS product_reviews_product_id ON product_reviews (product_id, created_at DESC);

CREATE TABLE IF NOT EXISTS orders (
  id          bigserial PRIMARY KEY,
  customer_id integer NOT NULL REFERENCES customers (id),
  total_cents integer NOT NULL,
  status      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS order_items (
  order_id    bigint NOT NULL REFERENCES orders (id),
  product_id  integer NOT NULL REFERENCES products (id),
  quantity    integer NOT NULL CHECK (quantity > 0),
  price_cents integer NOT NULL
);
CREATE INDEX IF NOT EXISTS order_items_product_id ON order_items (product_id);

CREATE TABLE IF NOT EXISTS seed_info (
  version integer PRIMARY KEY,
  seeded_at timestamptz NOT NULL DEFAULT now()
);
