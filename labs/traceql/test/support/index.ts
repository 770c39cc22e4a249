// The engine's test kit for other workspaces: the oracle corpus loader and the listed divergences.
export { DIVERGENCES } from './divergences.ts';
export { loadFixtureTraces, loadOracle, normalizeSearch, ORACLE_DIR, sameJson } from './oracle.ts';
