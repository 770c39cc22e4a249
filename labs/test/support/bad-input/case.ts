// One row of the bad-input table: what a learner types (argv, environment, answers files) and the one
// line the CLI must answer with. `err` is matched against stderr's single line after "dojo: ".
import type { ServerKind } from '../wrong-servers.ts';

export interface Case {
  name: string;
  args: string[];
  /** environment on top of the isolated lab's; `server` names a wrong server to use as TEMPO_URL */
  env?: Record<string, string>;
  server?: ServerKind;
  /** files written under the case's working directory (null: a folder) */
  files?: Record<string, string | Buffer | null>;
  /** a lab port held by another program while the case runs */
  blockPort?: 'web';
  code: number;
  /** the single stderr line (after "dojo: "), or undefined when stderr must be empty */
  err?: RegExp;
  out?: RegExp;
}

/** The line for a URL setting that is not http(s)://host:port. */
export const mustBeHttp = (name: string, raw: string) =>
  new RegExp(
    `^${name} must be http\\(s\\)://host:port, got "${raw.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}"$`,
  );

export const unreachable =
  /^Tempo at http:\/\/localhost:\d+ is unreachable \(TEMPO_URL\); is the lab running\? start it with `make lab-up`$/;
export const traceId = '0af7651916cd43dd8448eb211c80319c';
