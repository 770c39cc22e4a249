// Moved to @dojo/course (labs/course/src/lab-config.ts); kept so labs' own modules resolve while they move over.
export * from '@dojo/course/lab-config';
