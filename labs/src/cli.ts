// The `dojo` command: parses argv, dispatches, and turns user errors into one line and an exit code.
import { parseArgs } from 'node:util';
import { CatalogError } from './catalog.ts';
import { labDown, labStatus, labUp, parseRps } from './commands/lab.ts';
import { scenarioList, scenarioSet } from './commands/scenario.ts';
import { tempoUrl } from './lab-config.ts';
import { UserError } from './user-error.ts';

export const usage = `usage: dojo <command>
  lab up [--mode kind|local] [--scenario ID] [--no-load] [--rps N] [--external-tempo]
  lab down | lab status [--json]
  scenario list [--json] | scenario set <id> | scenario reset [<id>]
  query '<traceql>' [--since 15m] [--limit 20] [--json]
  trace <trace-id> [--json]
  grade <instrumentation|traceql|rca|quiz|all> [--answers DIR] [--format text|json|junit|gradescope] [--out FILE]
Tempo: TEMPO_URL (now ${tempoUrl()})`;

const flagSpec = {
  mode: { type: 'string' },
  scenario: { type: 'string' },
  'no-load': { type: 'boolean' },
  rps: { type: 'string' },
  'external-tempo': { type: 'boolean' },
  json: { type: 'boolean' },
  since: { type: 'string' },
  limit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  if (command === 'grade') {
    const { runGradeCommand, GradingError } = await import('@dojo/graders');
    try {
      return await runGradeCommand(argv.slice(1));
    } catch (e) {
      if (e instanceof GradingError) throw new UserError(e.message);
      throw e;
    }
  }
  if (command === 'query' || command === 'trace') {
    const { queryCommand, traceCommand } = await import('./commands/traces.ts');
    return command === 'query' ? queryCommand(argv.slice(1)) : traceCommand(argv.slice(1));
  }
  let parsed: ReturnType<typeof parseArgs<{ options: typeof flagSpec; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: flagSpec, allowPositionals: true });
  } catch (e) {
    throw new UserError((e as Error).message.split('\n')[0]!);
  }
  const { values, positionals } = parsed;
  if (values.help || !command) {
    process.stdout.write(`${usage}\n`);
    return command ? 0 : 2;
  }
  const extra = positionals.slice(2);
  switch (`${command} ${sub ?? ''}`.trim()) {
    case 'lab up':
      return labUp({
        ...(values.mode ? { mode: values.mode } : {}),
        scenario: values.scenario ?? process.env.DOJO_SCENARIO ?? 'healthy',
        loadgen: !values['no-load'],
        rps: parseRps(values.rps),
        externalTempo: Boolean(values['external-tempo']),
      });
    case 'lab down':
      return labDown();
    case 'lab status':
      return labStatus(Boolean(values.json));
    case 'scenario list':
      return scenarioList(Boolean(values.json));
    case 'scenario set':
      if (!extra[0]) throw new UserError('usage: dojo scenario set <id> (see `dojo scenario list`)');
      return scenarioSet(extra[0], false);
    case 'scenario reset':
      return scenarioSet(extra[0], true);
    default:
      throw new UserError(`unknown command "${argv.join(' ')}"; run \`dojo --help\``);
  }
}

/** Runs the CLI and exits: user errors become one line on stderr and their exit code. */
export async function run(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    if (e instanceof UserError || e instanceof CatalogError) {
      process.stderr.write(`dojo: ${e.message}\n`);
      process.exitCode = e instanceof UserError ? e.exitCode : 2;
    } else {
      throw e;
    }
  }
}
