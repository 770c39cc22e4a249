// `dojo class …`: an instructor's class on one machine — a roster, one Tempo with a tenant per learner, a
// lab per learner exporting to its tenant, scenarios given per learner or to all, grading and exports.
import { resolve } from 'node:path';
import { findScenario, loadCatalog, parseArgv, pickMystery, seededPick, UserError } from '@dojo/course';
import { recordedScenarios } from '@dojo/graders';
import { type ExportFormat, exportFormats, exportGrades } from '../class/class-export.ts';
import { gradeClass, savedGrades, total, totalMax } from '../class/class-grade.ts';
import { classTempoDown, classTempoUp, managedTempo } from '../class/class-tempo.ts';
import { loadExamDataset } from '../class/exam-dataset.ts';
import { dojoAs, eachLearner, envLines, labOf, realScenario } from '../class/learner-lab.ts';
import {
  classDir,
  createClass,
  type Learner,
  loadClass,
  pick,
  readRosterCsv,
  saveClass,
  stateDirOf,
  tenantOf,
} from '../class/roster.ts';
import { classTempoYaml } from '../kind/class-tempo.ts';
import { table } from '../terminal.ts';

export const classUsage = `usage: dojo class <command> [--class DIR]
  create ROSTER.csv [--tempo-url URL --otlp-url URL] [--offset N]   a class from a roster (id,name,seed,answers)
  tempo up|down                                     the class Tempo (the lab's store, one tenant per learner)
  tempo manifests                                   real Tempo 3 for kind, microservices mode (kubectl apply -f -)
  start <ids…|--all> [--scenario ID | --mystery] [--rps N | --no-load]   each learner's lab
  switch <ids…|--all> <scenario> | --mystery [--scenario ID]   another scenario (their traces stay)
  reset <ids…|--all> [--scenario ID | --mystery]    a fresh, empty tenant and the scenario
  stop <ids…|--all>                                 stop their labs
  dataset <ids…|--all> [--minutes N]                an exam dataset in their tenants (and, without a lab, a mystery)
  status | env <id>                                 who runs what | the variables to act as one learner
  grade <ids…|--all> [--parallel N]                 Lab 2, the root-cause report and the quiz, per learner
  export --format csv|gradescope|classroom --out PATH`;

const say = (line: string) => process.stdout.write(`${line}\n`);
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

const options = {
  class: { type: 'string' },
  all: { type: 'boolean' },
  scenario: { type: 'string' },
  mystery: { type: 'boolean' },
  rps: { type: 'string' },
  'no-load': { type: 'boolean' },
  'tempo-url': { type: 'string' },
  'otlp-url': { type: 'string' },
  offset: { type: 'string' },
  minutes: { type: 'string' },
  parallel: { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const;

function count(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UserError(`--${name} must be a whole number from 1 to ${max}`);
  return n;
}

/** The scenario a start/switch/reset gives a learner: named, a mystery (from their seed), or kept. */
function scenarioFor(
  l: Learner,
  named: string | undefined,
  mystery: boolean,
): { id: string; mystery: boolean } {
  if (mystery) {
    const id = named ? findScenario(named).id : pickMystery(loadCatalog().scenarios, seededPick(l.seed)).id;
    return { id, mystery: true };
  }
  return { id: findScenario(named ?? l.scenario ?? 'healthy').id, mystery: false };
}

export async function classCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgv({ args: argv, options, allowPositionals: true }, classUsage);
  const [command, ...rest] = positionals;
  const dir = classDir(values.class);
  if (!command) throw new UserError(`which class command? ${classUsage}`);
  if (command === 'create') {
    if (rest.length !== 1)
      throw new UserError(`name the roster: dojo class create ROSTER.csv; ${classUsage}`);
    const offset = count(values.offset, 'offset', 1300, 40_000);
    if ((values['tempo-url'] === undefined) !== (values['otlp-url'] === undefined))
      throw new UserError(
        '--tempo-url and --otlp-url go together: the query API and the OTLP/HTTP endpoint of one Tempo',
      );
    const tempo = values['tempo-url']
      ? { url: String(values['tempo-url']), otlp: String(values['otlp-url']), managed: false, offset }
      : managedTempo(offset);
    const state = createClass(dir, readRosterCsv(resolve(rest[0]!)), tempo, offset + 100);
    say(
      `✔ class of ${state.learners.length} in ${dir}; its Tempo: ${state.tempo.url} (${tempo.managed ? 'the lab’s store, started by `dojo class tempo up`' : 'yours'})`,
    );
    return 0;
  }
  const state = loadClass(dir);
  const learners = () => pick(state, rest, Boolean(values.all), classUsage);
  switch (command) {
    case 'tempo':
      if (rest[0] === 'manifests') {
        // For a class beyond one machine: real Tempo 3 on kind, in microservices mode (kubectl apply -f -).
        process.stdout.write(classTempoYaml());
        return 0;
      }
      if (rest[0] === 'up') await classTempoUp(state, say);
      else if (rest[0] === 'down') await classTempoDown(state, say);
      else throw new UserError(`dojo class tempo up|down|manifests; ${classUsage}`);
      if (rest[0] === 'up') say(`✔ class Tempo answers at ${state.tempo.url}`);
      return 0;
    case 'start':
    case 'switch':
    case 'reset': {
      // switch names its scenario last (dojo class switch alice bob slow-query); a mystery's is --scenario.
      const byPosition = command === 'switch' && !values.mystery;
      const named = byPosition ? rest.at(-1) : values.scenario;
      if (byPosition && !named)
        throw new UserError('switch to what? dojo class switch <ids…|--all> <scenario>, or --mystery');
      const chosen = pick(state, byPosition ? rest.slice(0, -1) : rest, Boolean(values.all), classUsage);
      if (command !== 'switch') await classTempoUp(state, say);
      const started = Date.now();
      let failed = 0;
      // Labs start one after another: each is PostgreSQL and five Node processes on this machine.
      for (const l of chosen) {
        const s = scenarioFor(l, named, Boolean(values.mystery));
        const flags = [...(s.mystery ? ['--mystery'] : [])];
        // A learner's lab is local and sends its traces to the class Tempo.
        const labUp = (load: string[]) =>
          dojoAs(state, l, [
            'lab',
            'up',
            '--mode',
            'local',
            '--external-tempo',
            '--scenario',
            s.id,
            ...flags,
            ...load,
          ]);
        let run: Awaited<ReturnType<typeof dojoAs>>;
        if (command === 'start') {
          run = await labUp(values['no-load'] ? ['--no-load'] : ['--rps', String(values.rps ?? '0.5')]);
        } else if (command === 'switch') {
          run = await dojoAs(state, l, ['scenario', 'set', ...flags, s.id]);
        } else {
          // A class Tempo cannot be emptied for one learner: they move to a fresh tenant, with a fresh lab.
          const was = await labOf(state, l);
          await dojoAs(state, l, ['lab', 'down']);
          l.generation += 1;
          run = await labUp(
            was && !was.loadgen.enabled
              ? ['--no-load']
              : ['--rps', String(was?.loadgen.rps ?? values.rps ?? '0.5')],
          );
        }
        if (run.code === 0) {
          l.scenario = s.id;
          l.mystery = s.mystery;
          say(`✔ ${l.id}: ${s.mystery ? 'a mystery' : s.id} (tenant ${tenantOf(l)})`);
        } else {
          failed++;
          say(`✖ ${l.id}: ${run.out.trim().split('\n').at(-1)}`);
        }
        saveClass(state);
      }
      say(`${command} done for ${chosen.length - failed} of ${chosen.length} in ${seconds(started)}`);
      return failed ? 1 : 0;
    }
    case 'stop': {
      for (const l of learners()) {
        const run = await dojoAs(state, l, ['lab', 'down']);
        say(`${run.code === 0 ? '✔' : '✖'} ${l.id}: ${run.out.trim().split('\n').at(-1)}`);
      }
      return 0;
    }
    case 'dataset': {
      await classTempoUp(state, say);
      const minutes = count(values.minutes, 'minutes', 2, 15);
      const started = Date.now();
      // A learner without a lab is given, for the root-cause report, a mystery among the scenarios whose
      // traffic the dataset holds (from their seed, so it can be derived again).
      const recorded = loadCatalog().scenarios.filter((x) =>
        (recordedScenarios as readonly string[]).includes(x.id),
      );
      await eachLearner(learners(), 4, async (l) => {
        const { from, spans } = await loadExamDataset(state, l, { minutes, rps: 1 });
        l.datasetFrom = from;
        if (!(await labOf(state, l))) {
          l.scenario = pickMystery(recorded, seededPick(l.seed)).id;
          l.mystery = true;
        }
        say(
          `✔ ${l.id}: exam dataset in tenant ${tenantOf(l)} (${spans} spans of recorded traffic, and the pipeline)`,
        );
      });
      saveClass(state);
      say(`datasets loaded in ${seconds(started)}`);
      return 0;
    }
    case 'status': {
      const rows = await Promise.all(
        state.learners.map(async (l) => {
          const lab = await labOf(state, l);
          const real = realScenario(lab, stateDirOf(state, l));
          return [
            l.id,
            l.seed,
            tenantOf(l),
            lab ? lab.phase : 'stopped',
            real ? `${real}${lab?.scenario === 'mystery' ? ' (mystery)' : ''}` : (l.scenario ?? ''),
          ];
        }),
      );
      say(table(['learner', 'seed', 'tenant', 'lab', 'scenario'], rows));
      return 0;
    }
    case 'env': {
      const [l] = pick(state, rest, false, classUsage);
      for (const line of envLines(state, l!)) say(line);
      return 0;
    }
    case 'grade': {
      const chosen = learners();
      const parallel = count(values.parallel, 'parallel', 4, 32);
      const started = Date.now();
      const grades = await gradeClass(state, chosen, parallel, (g) =>
        say(`  ${g.id}: ${total(g)}/${totalMax(g)} (${g.seconds.toFixed(1)} s)`),
      );
      say(
        `✔ graded ${grades.length} learners in ${seconds(started)}; export with \`dojo class export --format csv --out grades.csv\``,
      );
      return 0;
    }
    case 'export': {
      const format = String(values.format ?? '') as ExportFormat;
      if (!exportFormats.includes(format))
        throw new UserError(`--format must be one of ${exportFormats.join(', ')}`);
      if (!values.out) throw new UserError(`--out names where to write (a file for csv, a folder otherwise)`);
      const files = exportGrades(savedGrades(state), format, resolve(String(values.out)));
      say(`✔ wrote ${files.length} file${files.length === 1 ? '' : 's'} (${format})`);
      return 0;
    }
    default:
      throw new UserError(`unknown class command "${command}"; ${classUsage}`);
  }
}
