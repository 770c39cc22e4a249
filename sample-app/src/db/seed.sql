-- Deterministic seed, generated in the database (fast): 2,000 products, 5,000 customers and
-- 120,000 reviews written from small word lists so review search has real matches.
INSERT INTO products (id, sku, name, category, price_cents, stock)
SELECT g,
       'SKU-' || lpad(g::text, 5, '0'),
       (ARRAY['Trail','Urban','Compact','Pro','Classic','Nimbus','Summit','Harbor','Aurora','Granite'])[1 + g % 10] || ' ' ||
       (ARRAY['Backpack','Headlamp','Kettle','Jacket','Tent','Bottle','Stove','Lantern','Boots','Hammock'])[1 + (g / 10) % 10] || ' ' || g,
       (ARRAY['outdoor','kitchen','apparel','lighting','camping'])[1 + g % 5],
       499 + (g * 37) % 25000,
       (g * 13) % 200
FROM generate_series(1, 2000) AS g;

INSERT INTO customers (id, email, name)
SELECT g, 'customer' || g || '@example.com', 'Customer ' || g
FROM generate_series(1, 5000) AS g;

INSERT INTO product_reviews (id, product_id, rating, body, created_at)
SELECT g,
       1 + (g % 2000),
       1 + (g % 5),
       (ARRAY['sturdy','flimsy','great','poor','comfortable','bright','quiet','noisy','durable','light'])[1 + (g * 7) % 10] || ' ' ||
       (ARRAY['battery','strap','lens','handle','zipper','screen','fabric','motor','cable','lid'])[1 + (g * 13) % 10] || ' and the ' ||
       (ARRAY['delivery','packaging','price','colour','size','manual','warranty','support','fit','finish'])[1 + (g * 17) % 10] || ' was ' ||
       (ARRAY['excellent','disappointing','fine','surprising','as described','better than expected','worse than expected','okay','perfect','awful'])[1 + (g * 19) % 10] ||
       '. Would ' || CASE WHEN g % 3 = 0 THEN 'not ' ELSE '' END || 'buy again.',
       timestamptz '2026-01-01' + (g || ' minutes')::interval
FROM generate_series(1, 120000) AS g;
