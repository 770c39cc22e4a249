// Errors a user can cause or fix: the CLI prints the message as one line and exits with the code.
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
