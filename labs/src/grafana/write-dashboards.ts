// Writes the lab's dashboard JSON files from their builders (labs/src/grafana/dashboards.ts).
// Run from anywhere: node labs/src/grafana/write-dashboards.ts
import { writeFileSync } from 'node:fs';
import { dashboardFiles } from './dashboards.ts';

const root = new URL('../../../', import.meta.url);
for (const [path, text] of Object.entries(dashboardFiles())) {
  writeFileSync(new URL(path, root), text);
  process.stdout.write(`wrote ${path}\n`);
}
