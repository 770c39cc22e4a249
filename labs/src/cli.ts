// The `dojo` command: parses argv, dispatches, and is the one place where a UserError becomes one line
// on stderr and its exit code. Commands are imported inside `main`, so even a bad setting read while a
// module loads (DOJO_PORT_OFFSET, TEMPO_URL) is caught here.
import { parseArgv, printable, UserError } from '@dojo/course';

export function usage(env: NodeJS.ProcessEnv = process.env): string {
  return `usage: dojo <command>
  lab up [--mode kind|local] [--scenario ID] [--mystery] [--no-load] [--rps N] [--external-tempo]
  lab down | lab status [--json]
  scenario list [--json] | scenario set [--mystery] <id> | scenario reset [--mystery] [<id>]
  query '<traceql>' [--since 15m] [--limit 20] [--step 30s] [--json]   (a metrics query draws its series)
  trace <trace-id> [--json]
  tempo serve [--host ADDR] [--multitenancy] [--max-age 1h] [--max-bytes 256MiB]   (the lab's store alone)
  class create|tempo|start|switch|reset|stop|dataset|status|env|grade|export …   (an instructor's class: dojo class --help)
  questions [--seed S]   (Lab 2's questions with your seed's values)
  grade <instrumentation|traceql|rca|quiz|dora|practical|dashboard|alerts|all> [--answers DIR|FILE] [--format text|json|junit|gradescope] [--out FILE]
  dashboard apply [--file answers/dashboard.json] | alerts apply [--file answers/alerts.yaml]   (kind's Grafana)
Tempo: TEMPO_URL (now ${printable(env.TEMPO_URL || 'the lab’s own, http://localhost:3200 + DOJO_PORT_OFFSET')})`;
}

const flagSpec = {
  mode: { type: 'string' },
  scenario: { type: 'string' },
  'no-load': { type: 'boolean' },
  rps: { type: 'string' },
  'external-tempo': { type: 'boolean' },
  json: { type: 'boolean' },
  mystery: { type: 'boolean' },
} as const;

/** Which flags each command takes: any other is refused rather than silently ignored. */
const commandFlags: Record<string, (keyof typeof flagSpec)[]> = {
  'lab up': ['mode', 'scenario', 'no-load', 'rps', 'external-tempo', 'mystery'],
  'lab down': [],
  'lab status': ['json'],
  'scenario list': ['json'],
  'scenario set': ['mystery'],
  'scenario reset': ['mystery'],
};
/** How many words after the command each takes at most (scenario set <id>, scenario reset [<id>]). */
const commandArgs: Record<string, number> = { 'scenario set': 1, 'scenario reset': 1 };

const help = 'run `dojo --help` for the commands';

export async function main(argv: string[]): Promise<number> {
  const [command, sub] = argv;
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (command === 'grade') {
    const { runGradeCommand } = await import('@dojo/graders');
    const { runningScenario, runningSeed } = await import('./running-lab.ts');
    return runGradeCommand(argv.slice(1), { scenario: runningScenario, seed: runningSeed });
  }
  if (command === 'class') {
    const { classCommand } = await import('./commands/class.ts');
    return classCommand(argv.slice(1));
  }
  if (command === 'questions') {
    const { runQuestionsCommand } = await import('@dojo/graders');
    const { runningSeed } = await import('./running-lab.ts');
    return runQuestionsCommand(argv.slice(1), await runningSeed());
  }
  if (command === 'tempo') {
    const { tempoCommand } = await import('./commands/tempo.ts');
    return tempoCommand(argv.slice(1));
  }
  if ((command === 'dashboard' || command === 'alerts') && sub === 'apply') {
    const { dashboardApply, alertsApply } = await import('./commands/grafana-apply.ts');
    return command === 'dashboard' ? dashboardApply(argv.slice(2)) : alertsApply(argv.slice(2));
  }
  if (command === 'query' || command === 'trace') {
    const { queryCommand, traceCommand } = await import('./commands/traces.ts');
    return command === 'query' ? queryCommand(argv.slice(1)) : traceCommand(argv.slice(1));
  }
  const parsed = parseArgv({ args: argv, options: flagSpec, allowPositionals: true }, help);
  const { values, positionals } = parsed;
  if (!command) throw new UserError(`no command given; start with \`dojo lab up\`, or ${help}`);
  const name = `${positionals[0]} ${positionals[1] ?? ''}`.trim();
  const allowed = commandFlags[name];
  if (!allowed) {
    const known = ['lab', 'scenario', 'dashboard', 'alerts'].includes(positionals[0] ?? '');
    throw new UserError(
      known && !sub
        ? `"dojo ${positionals[0]}" needs a subcommand; ${help}`
        : `unknown command "${positionals.slice(0, 2).join(' ')}"; ${help}`,
    );
  }
  const given = Object.keys(values) as (keyof typeof flagSpec)[];
  const stray = given.find((f) => !allowed.includes(f));
  if (stray) throw new UserError(`dojo ${name} does not take --${stray}; ${help}`);
  const extra = positionals.slice(2);
  if (extra.length > (commandArgs[name] ?? 0))
    throw new UserError(`dojo ${name} does not take "${extra.at(-1)}"; ${help}`);

  const lab = await import('./commands/lab.ts');
  const scenarios = await import('./commands/scenario.ts');
  switch (name) {
    case 'lab up':
      return lab.labUp(values);
    case 'lab down':
      return lab.labDown();
    case 'lab status':
      return lab.labStatus(Boolean(values.json));
    case 'scenario list':
      return scenarios.scenarioList(Boolean(values.json));
    case 'scenario set':
      if (!extra[0] && !values.mystery)
        throw new UserError('which scenario? usage: dojo scenario set <id> (see `dojo scenario list`)');
      return scenarios.scenarioSet(extra[0], false, Boolean(values.mystery));
    default:
      return scenarios.scenarioSet(extra[0], true, Boolean(values.mystery));
  }
}

/** Runs the CLI: a UserError, wherever it was thrown, becomes one escaped line and its exit code. */
export async function run(argv: string[]): Promise<void> {
  // `dojo … | head` closes our stdout early: the reader has what it wanted, so stop quietly.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(0);
  });
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    process.stderr.write(`dojo: ${printable(e.message)}\n`);
    process.exitCode = e.exitCode;
  }
}
