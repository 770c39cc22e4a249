// The playground's recordings (src/data/datasets/<id>.json) loaded as the page loads them, each read once
// per test file.
import { readFileSync } from 'node:fs';
import { type Dataset, loadDataset } from '../../src/lib/playground/dataset.ts';

const loaded = new Map<string, Dataset>();

export function recording(id: string): Dataset {
  let d = loaded.get(id);
  if (!d) {
    d = loadDataset(
      JSON.parse(readFileSync(new URL(`../../src/data/datasets/${id}.json`, import.meta.url), 'utf8')),
    );
    loaded.set(id, d);
  }
  return d;
}
