// Moved to @dojo/course (labs/course/src/argv.ts); kept so labs' own modules resolve while they move over.
export * from '@dojo/course/argv';
