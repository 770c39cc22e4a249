// `dojo grade alerts`: checks answers/alerts.yaml as Grafana would load it, then evaluates every rule
// minute by minute over replayed traffic in the lab's store: it must stay silent on healthy traffic
// (no firing, no NoData or error notices) and some rule must fire under slow-query and under error-cascade.

import { runTimeline, type Timeline } from './alert-evaluation.ts';
import { type AlertRule, readAlerts } from './alerts-file.ts';
import type { Check, Grade } from './grade-model.ts';
import type { ReplayLab, Story } from './replay-lab.ts';
import { fmt } from './series-facts.ts';

const minute = 60_000;
const clock = (ms: number, lab: ReplayLab) => `${fmt((ms - lab.faultMs) / minute)} min`;

interface RuleRun {
  rule: AlertRule;
  story: Story;
  timeline: Timeline;
}

const lookBack = (r: AlertRule) => Math.max(...r.queries.map((q) => q.from)) * 1000;

async function runAll(rules: AlertRule[], lab: ReplayLab): Promise<RuleRun[]> {
  const runs: RuleRun[] = [];
  for (const rule of rules) {
    // Evaluations start once a query's whole range holds replayed traffic.
    const first = lab.startMs + Math.ceil(lookBack(rule) / minute) * minute;
    for (const story of ['healthy', 'slow-query', 'error-cascade'] as const) {
      const from = story === 'healthy' ? first : Math.max(first, lab.faultMs - 5 * minute);
      runs.push({ rule, story, timeline: await runTimeline(rule, lab.tempoUrl, story, from, lab.endMs) });
    }
  }
  return runs;
}

function peakText(t: Timeline): string {
  if (t.peak) return `its threshold's input peaked at ${fmt(t.peak.value)} (${t.peak.name})`;
  if (t.noData.count === t.evaluations && t.noData.refIds.length)
    return `query ${t.noData.refIds.join(', ')} returned no series at any of ${t.evaluations} evaluations`;
  return 'its condition never had a value';
}

/** Why a rule was not silent on healthy traffic, or undefined. */
function noise(run: RuleRun, lab: ReplayLab): string | undefined {
  const t = run.timeline;
  const healthyUntil = run.story === 'healthy' ? lab.endMs : lab.faultMs;
  const where = run.story === 'healthy' ? 'on healthy traffic' : `on the healthy minutes before ${run.story}`;
  if (t.firstFiring && t.firstFiring.atMs < healthyUntil)
    return `"${run.rule.title}" fires ${where} (${t.firstFiring.instance}; ${peakText(t)})`;
  if (run.story !== 'healthy') return undefined;
  if (t.firstNoData)
    return `"${run.rule.title}" goes to NoData on healthy traffic (${t.firstNoData.refIds.length ? `query ${t.firstNoData.refIds.join(', ')} returned no series` : 'no value'}): Grafana notifies DatasourceNoData; if no data means all is well, set noDataState: OK`;
  if (t.firstError) return `"${run.rule.title}" errs on healthy traffic: ${t.firstError.message}`;
  return undefined;
}

function firesUnder(story: Story, runs: RuleRun[], lab: ReplayLab, usable: boolean): Check {
  const mine = runs.filter((r) => r.story === story);
  const fired = mine.filter((r) => r.timeline.firstFiring && r.timeline.firstFiring.atMs >= lab.faultMs);
  const lines = mine.map((r) => {
    const f = r.timeline.firstFiring;
    if (f && f.atMs >= lab.faultMs)
      return `"${r.rule.title}" fired ${clock(f.atMs, lab)} after the fault began (${f.instance})`;
    if (r.timeline.firstError) return `"${r.rule.title}" errs: ${r.timeline.firstError.message}`;
    return `"${r.rule.title}" stayed silent: ${peakText(r.timeline)}`;
  });
  const ok = fired.length > 0;
  const what =
    story === 'slow-query' ? 'slow review searches (api p95 latency)' : 'failing checkouts (api error ratio)';
  return {
    id: `alert-${story}`,
    title: `An alert fires under ${story}`,
    verdict: ok ? 'pass' : 'fail',
    points: ok ? 1 : 0,
    maxPoints: 1,
    expected: `a rule that fires within the 20 minutes of ${story}: ${what}`,
    found: usable ? lines.join('; ') || 'no rule could be run' : 'no rule could be run (see the file check)',
    lookedAt: `replayed ${story} traffic, evaluated every rule interval`,
    ...(ok
      ? {}
      : {
          hint: 'compare the peak with your threshold; p95 durations are in seconds, a ratio is errors / all requests',
        }),
  };
}

export async function gradeAlerts(answers: string, lab: ReplayLab): Promise<Grade> {
  const file = readAlerts(answers);
  const problems = [...file.problems, ...file.rules.flatMap((r) => r.problems)];
  const usable = file.rules.filter((r) => r.problems.length === 0 && r.queries.length > 0);
  const checks: Check[] = [
    {
      id: 'alerts-file',
      title: "Alert rules Grafana can load, over the lab's Tempo",
      verdict: problems.length ? 'fail' : 'pass',
      points: problems.length ? 0 : 1,
      maxPoints: 1,
      expected:
        'apiVersion 1; groups with a name, folder and interval; rules with uid, title, condition, TraceQL metrics queries on datasourceUid tempo and reduce/math/threshold expressions',
      found: problems.length
        ? problems.join('; ')
        : `${file.rules.length} rules in ${new Set(file.rules.map((r) => r.group)).size} group(s)`,
      lookedAt: file.path,
    },
  ];
  const runs = await runAll(usable, lab);
  const noisy = runs.map((r) => noise(r, lab)).filter((n): n is string => n !== undefined);
  const quiet = usable.length > 0 && noisy.length === 0;
  checks.push({
    id: 'alerts-healthy',
    title: 'Every rule stays silent on healthy traffic',
    verdict: quiet ? 'pass' : 'fail',
    points: quiet ? 1 : 0,
    maxPoints: 1,
    expected: 'no rule firing, and no NoData or error notices, over 40 minutes of healthy traffic',
    found:
      usable.length === 0
        ? 'no rule could be run (see the file check)'
        : noisy.length
          ? noisy.join('; ')
          : `${usable.length} rules silent over ${runs.filter((r) => r.story === 'healthy').reduce((n, r) => n + r.timeline.evaluations, 0)} evaluations`,
    lookedAt: 'replayed healthy traffic',
    ...(quiet ? {} : { hint: 'an alert that fires when nothing is wrong teaches people to ignore it' }),
  });
  checks.push(firesUnder('slow-query', runs, lab, usable.length > 0));
  checks.push(firesUnder('error-cascade', runs, lab, usable.length > 0));
  return { lab: 'alerts', title: 'Lab 2 — alerts from traces', checks };
}
