// The api's SQL. Recommendations come in two shapes: one query for all items (healthy) or one query per
// item (the n-plus-one scenario's fault).
import type pg from 'pg';

export interface Product {
  id: number;
  sku: string;
  name: string;
  category: string;
  price_cents: number;
  stock: number;
}

const productColumns = 'id, sku, name, category, price_cents, stock';

export async function listProducts(
  db: pg.Pool,
  category: string | undefined,
  page: number,
): Promise<Product[]> {
  const { rows } = await db.query<Product>(
    `SELECT ${productColumns} FROM products WHERE ($1::text IS NULL OR category = $1) ORDER BY id LIMIT 24 OFFSET $2`,
    [category ?? null, (page - 1) * 24],
  );
  return rows;
}

export async function getProduct(db: pg.Pool, id: number): Promise<Product | undefined> {
  const { rows } = await db.query<Product>(`SELECT ${productColumns} FROM products WHERE id = $1`, [id]);
  return rows[0];
}

export async function latestReviews(db: pg.Pool, productId: number) {
  const { rows } = await db.query(
    'SELECT id, rating, body, created_at FROM product_reviews WHERE product_id = $1 ORDER BY created_at DESC LIMIT 5',
    [productId],
  );
  return rows;
}

/** "Customers also bought": 24 products near this one in the same category. */
export function recommendationIds(product: Product): number[] {
  return Array.from({ length: 24 }, (_, i) => ((product.id + (i + 1) * 5 - 1) % 2000) + 1);
}

export async function productsById(db: pg.Pool, ids: number[], perItem: boolean): Promise<Product[]> {
  if (!perItem) {
    const { rows } = await db.query<Product>(
      `SELECT ${productColumns} FROM products WHERE id = ANY($1::int[])`,
      [ids],
    );
    return rows;
  }
  const found: Product[] = [];
  for (const id of ids) {
    const product = await getProduct(db, id);
    if (product) found.push(product);
  }
  return found;
}

export async function searchProducts(db: pg.Pool, term: string): Promise<Product[]> {
  const { rows } = await db.query<Product>(
    `SELECT ${productColumns} FROM products WHERE name ILIKE '%' || $1 || '%' ORDER BY id LIMIT 10`,
    [term],
  );
  return rows;
}

/** Full-text search over every review: fast with product_reviews_body_fts, a full parse without it. */
export async function searchReviews(db: pg.Pool, term: string) {
  const { rows } = await db.query(
    `SELECT id, product_id, rating, body FROM product_reviews
     WHERE to_tsvector('english', body) @@ plainto_tsquery('english', $1)
     ORDER BY created_at DESC LIMIT 20`,
    [term],
  );
  return rows;
}

/** Who receives an order: the carrier needs a name and an email for the label and its notices. */
export async function customerContact(
  db: pg.Pool,
  id: number,
): Promise<{ name: string; email: string } | undefined> {
  const { rows } = await db.query<{ name: string; email: string }>(
    'SELECT name, email FROM customers WHERE id = $1',
    [id],
  );
  return rows[0];
}
