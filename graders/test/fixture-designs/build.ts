// Writes graders/data/fixtures/<question-id>.json from designs.ts: `node graders/test/fixture-designs/build.ts`.
// fixtures.test.ts fails when a committed file and its design differ, so run this after changing a design.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type FixtureFile, fixturesDir } from '../../src/fixture-files.ts';
import { designs } from './designs.ts';
import { fixtureFile } from './to-otlp.ts';

export function builtFixtures() {
  return Object.entries(designs).map(([question, d]) => fixtureFile(question, d.about, d.traces));
}

/** JSON with one span (and one resource) per line: a reviewable diff, a fraction of the indented size. */
export function fixtureJson(file: FixtureFile): string {
  const j = (v: unknown) => JSON.stringify(v);
  const traces = file.traces.map((t) => {
    const resources = t.otlp.resourceSpans.map((r) => {
      const scopes = r.scopeSpans.map(
        (s) =>
          `            { "scope": ${j(s.scope)}, "spans": [\n${s.spans.map((sp) => `              ${j(sp)}`).join(',\n')}\n            ] }`,
      );
      return `        {\n          "resource": ${j(r.resource)},\n          "scopeSpans": [\n${scopes.join(',\n')}\n          ]\n        }`;
    });
    return `    {\n      "name": ${j(t.name)},\n      "about": ${j(t.about)},\n      "otlp": { "resourceSpans": [\n${resources.join(',\n')}\n      ] }\n    }`;
  });
  return `{\n  "question": ${j(file.question)},\n  "about": ${j(file.about)},\n  "traces": [\n${traces.join(',\n')}\n  ]\n}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of builtFixtures()) {
    const path = new URL(`${file.question}.json`, fixturesDir);
    writeFileSync(path, fixtureJson(file));
    console.log(`wrote ${fileURLToPath(path)} (${file.traces.length} traces)`);
  }
}
