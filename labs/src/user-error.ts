// Moved to @dojo/course (labs/course/src/user-error.ts); kept so labs' own modules resolve while they move over.
export * from '@dojo/course/user-error';
