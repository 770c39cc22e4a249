// What other workspaces may use from labs.
export * from './answer-key.ts';
export { parseArgv } from './argv.ts';
export * from './catalog.ts';
export * from './lab-config.ts';
export { labPaths } from './local/lab-state.ts';
export { readStatus } from './local/supervisor-client.ts';
export * from './mystery.ts';
export * from './practical.ts';
export { printable } from './printable.ts';
export * from './releases.ts';
export { runningScenario, runningSeed } from './running-lab.ts';
export * from './tempo-config.ts';
export { type Progress, UserError } from './user-error.ts';
