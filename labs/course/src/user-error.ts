// The one error type for what a user can cause or fix (bad input, a lab that is not running, a wrong
// server): thrown anywhere in labs and graders, caught once at the CLI's edge (cli.ts `run`), printed
// as one line, and turned into the exit code it carries.
export class UserError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** Progress lines for long work (lab start-up, builds, waits). */
export type Progress = (line: string) => void;
export const silent: Progress = () => {};
