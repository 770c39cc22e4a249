// Moved to @dojo/course (labs/course/src/tempo-config.ts); kept so labs' own modules resolve while they move over.
export * from '@dojo/course/tempo-config';
