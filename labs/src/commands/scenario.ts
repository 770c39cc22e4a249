// `dojo scenario list|set|reset`: the broken-trace scenarios, switched on the running lab.
import {
  findScenario,
  labPaths,
  loadCatalog,
  mysteryId,
  mysteryOnKind,
  mysteryTitle,
  pickMystery,
  seededPick,
  seedFromEnv,
  UserError,
} from '@dojo/course';
import { kindAvailable } from '../kind/kind-lab.ts';
import { localScenarioSwitch } from '../local/local-lab.ts';
import { readStatus } from '../local/supervisor-client.ts';
import { colour, table } from '../terminal.ts';

async function kindActive(): Promise<string | undefined> {
  const { activeScenario, KubeClient } = await import('../kind/index.ts');
  return activeScenario(new KubeClient());
}

const say = (line: string) => process.stdout.write(`${line}\n`);

export async function scenarioList(json: boolean): Promise<number> {
  const { scenarios } = loadCatalog();
  const active = (await readStatus(labPaths()))?.scenario;
  if (json) {
    say(
      JSON.stringify(
        scenarios.map((s) => ({ ...s, active: s.id === active })),
        null,
        2,
      ),
    );
    return 0;
  }
  say(
    table(
      ['', 'id', 'title', 'what a learner sees'],
      scenarios.map((s) => [s.id === active ? colour.green('▶') : ' ', s.id, s.title, s.symptom]),
    ),
  );
  if (!active) say(colour.dim('(no lab running: start one with `make lab-up`)'));
  else if (active === mysteryId) say(`${colour.green('▶')} mystery: ${mysteryTitle}`);
  return 0;
}

export async function scenarioSet(id: string | undefined, reset: boolean, mystery = false): Promise<number> {
  const status = await readStatus(labPaths());
  if (mystery) return mysterySet(id, reset, status !== undefined);
  if (id === undefined && status?.scenario === mysteryId)
    throw new UserError(
      'the lab runs a mystery scenario; reset it with `dojo scenario reset --mystery <id>`',
    );
  const target =
    id ?? status?.scenario ?? (reset && !status && (await kindAvailable()) ? await kindActive() : undefined);
  if (!target) {
    throw new UserError(
      reset ? 'the lab is not running; start it with `make lab-up`' : 'usage: dojo scenario set <id>',
    );
  }
  const scenario = findScenario(target);
  if (!status && (await kindAvailable())) {
    const { kindScenario } = await import('./lab-kind.ts');
    return kindScenario(scenario.id, reset);
  }
  const started = Date.now();
  const after = await localScenarioSwitch(scenario.id, reset, say);
  say(
    colour.green(
      `✔ scenario ${after.scenario} active${reset ? ', Tempo emptied' : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    ),
  );
  say(`  ${scenario.title}: ${scenario.symptom}`);
  return 0;
}

/** `scenario set|reset --mystery [<id>]`: the scenario (or a broken one at random) runs unnamed. */
async function mysterySet(id: string | undefined, reset: boolean, localRunning: boolean): Promise<number> {
  const seed = (await readStatus(labPaths()))?.seed ?? seedFromEnv();
  const scenario = id ? findScenario(id) : pickMystery(loadCatalog().scenarios, seededPick(seed));
  if (!localRunning) {
    if (await kindAvailable()) throw new UserError(mysteryOnKind);
    throw new UserError('the lab is not running; start it with `make lab-up`');
  }
  const started = Date.now();
  await localScenarioSwitch(scenario.id, reset, say, process.env, true);
  say(
    colour.green(
      `✔ a mystery scenario is active${reset ? ', Tempo emptied' : ''} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    ),
  );
  return 0;
}
