// Moved to @dojo/course (labs/course/src/practical.ts); kept so labs' own modules resolve while they move over.
export * from '@dojo/course/practical';
