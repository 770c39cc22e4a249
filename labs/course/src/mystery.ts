// Mystery scenarios: a broken scenario the lab runs without naming it. The tiers run as scenario "mystery"
// with the real one's fault switches in DOJO_MYSTERY (no id, no title); status, logs and spans say
// "mystery"; a mystery deploys nothing, so no deploy's version or commit message points at it. The real id
// stays with the supervisor (and its state dir, for the graders): a learner who reads their own lab's
// process environments or state files can still find it — class mode keeps labs on the instructor's host.
import { randomInt } from 'node:crypto';
import type { Faults, Scenario } from './catalog.ts';
import { seededNumber } from './variants.ts';

export const mysteryId = 'mystery';

/** What `lab status` and `scenario list` say instead of a title. */
export const mysteryTitle = 'a scenario your instructor chose — find it from the traces';

export const mysteryOnKind =
  'mystery scenarios run in local mode only: on kind the scenario ConfigMap names the scenario to anyone who can read it';

/** The fault switches of `scenario`, as the tiers read them from DOJO_MYSTERY: nothing else about it. */
export function sealMystery(scenario: Pick<Scenario, 'faults'>): string {
  return Buffer.from(JSON.stringify({ faults: scenario.faults })).toString('base64url');
}

/** The scenario the tiers run from DOJO_MYSTERY's token; undefined when it is not one. */
export function openMystery(token: string | undefined): Scenario | undefined {
  if (!token) return undefined;
  let faults: Faults;
  try {
    ({ faults } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { faults: Faults });
  } catch {
    return undefined;
  }
  if (typeof faults !== 'object' || faults === null) return undefined;
  return {
    id: mysteryId,
    title: 'Mystery',
    broken: '',
    symptom: mysteryTitle,
    rootCause: null,
    signature: '',
    reference: '',
    faults,
    deploy: null,
  };
}

/** How to pick: from the learner's seed (the same scenario every time, so a grader can derive it), else at random. */
export function seededPick(seed: string | undefined): (n: number) => number {
  return seed === undefined ? randomInt : (n) => seededNumber(seed, 'mystery') % n;
}

/** A broken scenario chosen at random (an assessment's mystery when the instructor names none). */
export function pickMystery(scenarios: Scenario[], random: (n: number) => number = randomInt): Scenario {
  const broken = scenarios.filter((s) => s.id !== 'healthy');
  return broken[random(broken.length)]!;
}
