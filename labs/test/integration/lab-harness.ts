// Moved to labs/src/testing/lab-harness.ts (@dojo/labs/testing); kept for tests written against the old path.
export * from '@dojo/labs/testing';
