// Creates the shop's schema and seed once (idempotent), and sets the scenario's index state.
// Also a script: `node sample-app/src/db/prepare.ts` (the kind init job), reading DATABASE_URL.
import { readFileSync } from 'node:fs';
import pg from 'pg';

const seedVersion = 1;
const sql = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');

/** The full-text index whose absence is the slow-query scenario. */
export const reviewSearchIndex = 'product_reviews_body_fts';

export async function prepareDatabase(databaseUrl: string): Promise<{ seeded: boolean }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(sql('schema.sql'));
    const { rowCount } = await client.query('SELECT 1 FROM seed_info WHERE version = $1', [seedVersion]);
    if (rowCount) return { seeded: false };
    await client.query('BEGIN');
    await client.query(sql('seed.sql'));
    await client.query('INSERT INTO seed_info (version) VALUES ($1)', [seedVersion]);
    await client.query('COMMIT');
    await setReviewSearchIndex(client, true);
    await client.query('ANALYZE');
    return { seeded: true };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await client.end();
  }
}

/** Creates or drops the review search index; a no-op when it is already as asked. */
export async function setReviewSearchIndex(client: pg.Client | pg.Pool, present: boolean): Promise<void> {
  if (present) {
    await client.query(
      `CREATE INDEX IF NOT EXISTS ${reviewSearchIndex} ON product_reviews USING gin (to_tsvector('english', body))`,
    );
  } else {
    await client.query(`DROP INDEX IF EXISTS ${reviewSearchIndex}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('prepare: DATABASE_URL is not set\n');
    process.exit(2);
  }
  const started = Date.now();
  const { seeded } = await prepareDatabase(url);
  process.stdout.write(
    `${seeded ? 'schema and seed loaded' : 'database already prepared'} in ${Date.now() - started} ms\n`,
  );
}
