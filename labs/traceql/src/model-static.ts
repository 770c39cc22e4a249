// Re-exports shared by the value modules, so they depend on types only.
export type { Static } from './ast.ts';
export type { AttrValue } from './model.ts';
