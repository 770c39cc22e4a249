// Command-line parsing shared by every `dojo` command: node:util's parseArgs, with its errors turned
// into one short line that names the option and how to get it right (`fix`: the usage, or where to look).
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UserError } from './user-error.ts';

export function parseArgv<T extends ParseArgsConfig>(
  config: T,
  fix: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    const message = (e as Error).message;
    const unknown = /Unknown option '([^']+)'/.exec(message);
    const missing = /Option '(-[^ ']+)[^']*' argument (missing|is ambiguous)/.exec(message);
    const noValue = /Option '(-[^ ']+)' does not take an argument/.exec(message);
    const problem = unknown
      ? `unknown option ${unknown[1]}`
      : missing
        ? `${missing[1]} needs a value`
        : noValue
          ? `${noValue[1]} takes no value`
          : message.split('\n')[0]!.replace(/\.$/, '');
    throw new UserError(`${problem}; ${fix}`);
  }
}
