// Moved to @dojo/course (labs/course/src/printable.ts); kept so labs' own modules resolve while they move over.
export * from '@dojo/course/printable';
