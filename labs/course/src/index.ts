// @dojo/course: the course's facts that every workspace may import (the ground floor of the layers in
// docs/architecture.md). It imports no other workspace.
export * from './answer-key.ts';
export { parseArgv } from './argv.ts';
export * from './catalog.ts';
export * from './lab-config.ts';
export * from './lab-paths.ts';
export * from './mystery.ts';
export * from './practical.ts';
export { printable } from './printable.ts';
export * from './releases.ts';
export * from './tempo-config.ts';
export { type Progress, silent, UserError } from './user-error.ts';
export * from './variants.ts';
