// What other workspaces may use from labs.
export * from './catalog.ts';
export * from './lab-config.ts';
export * from './tempo-config.ts';
