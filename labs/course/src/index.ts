// @dojo/course: the course's facts that every workspace may import (the ground floor of the layers in
// docs/architecture.md). It imports no other workspace.
export { parseArgv } from './argv.ts';
export * from './lab-config.ts';
export * from './practical.ts';
export { printable } from './printable.ts';
export * from './tempo-config.ts';
export { type Progress, silent, UserError } from './user-error.ts';
export * from './variants.ts';
