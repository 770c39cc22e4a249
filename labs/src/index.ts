// What other workspaces may use from labs.
export * from './catalog.ts';
export * from './lab-config.ts';
export { labPaths } from './local/lab-state.ts';
export { readStatus } from './local/supervisor-client.ts';
export * from './releases.ts';
export * from './tempo-config.ts';
