// `dojo scenario list|set|reset`: the broken-trace scenarios, switched on whichever lab runs.
import {
  findScenario,
  loadCatalog,
  mysteryId,
  mysteryTitle,
  pickMystery,
  type Scenario,
  seededPick,
  seedFromEnv,
  UserError,
} from '@dojo/course';
import type { Lab } from '../lab.ts';
import { colour, say, table } from '../terminal.ts';
import { runningLab } from '../which-lab.ts';

const notRunning = 'the lab is not running; start it with `make lab-up`';

export async function scenarioList(json: boolean): Promise<number> {
  const { scenarios } = loadCatalog();
  const active = await (await runningLab()).activeScenario();
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

function switchOn(lab: Lab, scenario: Scenario, reset: boolean, mystery: boolean) {
  return reset ? lab.resetScenario(scenario, mystery, say) : lab.setScenario(scenario, mystery, say);
}

const took = (started: number) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

export async function scenarioSet(id: string | undefined, reset: boolean, mystery = false): Promise<number> {
  const lab = await runningLab();
  const active = await lab.activeScenario();
  if (mystery) return mysterySet(lab, id, reset);
  if (id === undefined && active === mysteryId)
    throw new UserError(
      'the lab runs a mystery scenario; reset it with `dojo scenario reset --mystery <id>`',
    );
  const target = id ?? active;
  if (!target) throw new UserError(reset ? notRunning : 'usage: dojo scenario set <id>');
  const scenario = findScenario(target);
  const started = Date.now();
  const after = await switchOn(lab, scenario, reset, false);
  say(
    colour.green(`✔ scenario ${after.scenario} active${reset ? ', Tempo emptied' : ''} (${took(started)})`),
  );
  say(`  ${scenario.title}: ${scenario.symptom}`);
  return 0;
}

/** `scenario set|reset --mystery [<id>]`: the scenario (or a broken one picked by the seed) runs unnamed. */
async function mysterySet(lab: Lab, id: string | undefined, reset: boolean): Promise<number> {
  const seed = (await lab.status().catch(() => undefined))?.seed ?? seedFromEnv();
  const scenario = id ? findScenario(id) : pickMystery(loadCatalog().scenarios, seededPick(seed));
  const started = Date.now();
  await switchOn(lab, scenario, reset, true);
  say(colour.green(`✔ a mystery scenario is active${reset ? ', Tempo emptied' : ''} (${took(started)})`));
  return 0;
}
