// The shop's own version (sample-app/package.json): its tiers report it and the kind image is tagged with it.
import { readFileSync } from 'node:fs';

export const sampleAppVersion: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
