// Splits the course's data files into what a learner may hold and the answer key: the keyed fields are taken
// out of the scenario catalog, the TraceQL question bank and the quiz (comments and order kept) and gathered
// into one answer-key.yaml for the instructor kit.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { questionKeyFields, quizKeyFields, scenarioKeyFields } from '@dojo/course';
import { isMap, isSeq, parseDocument, stringify, type YAMLMap } from 'yaml';

/** The data files that hold keys, relative to a checkout, and the fields each loses. */
export const keyedFiles = [
  { path: 'labs/catalog/scenarios.yaml', part: 'scenarios', fields: scenarioKeyFields },
  { path: 'graders/data/traceql-questions.yaml', part: 'traceql', fields: questionKeyFields },
  { path: 'graders/data/quiz.yaml', part: 'quiz', fields: quizKeyFields },
] as const;

export type KeyDoc = Record<'scenarios' | 'traceql' | 'quiz', Record<string, Record<string, unknown>>>;

/**
 * Takes the keyed fields out of the three data files under `root` (rewriting them in place) and returns
 * them. A file that already lacks them is an edition, not the source: refused, so keys are never lost.
 */
export function stripKeys(root: string): KeyDoc {
  const key: KeyDoc = { scenarios: {}, traceql: {}, quiz: {} };
  for (const { path, part, fields } of keyedFiles) {
    const file = join(root, path);
    const doc = parseDocument(readFileSync(file, 'utf8'));
    const list = doc.get(part === 'scenarios' ? 'scenarios' : 'questions');
    if (!isSeq(list)) throw new Error(`${path}: expected a list`);
    for (const item of list.items) {
      if (!isMap(item)) throw new Error(`${path}: expected a list of maps`);
      const map = item as YAMLMap;
      const id = String(map.get('id'));
      if (!map.has(fields[0]))
        throw new Error(`${path}: ${id} has no ${fields[0]}; is this already a learner edition?`);
      const taken: Record<string, unknown> = {};
      for (const f of fields) {
        if (!map.has(f)) continue;
        const value = map.get(f, true);
        taken[f] = value && typeof value === 'object' && 'toJSON' in value ? value.toJSON() : value;
        map.delete(f);
      }
      key[part][id] = taken;
    }
    writeFileSync(file, doc.toString({ lineWidth: 0 }));
  }
  return key;
}

export function renderAnswerKey(key: KeyDoc, source: string): string {
  return (
    '# Tracing Dojo answer key — for instructors only. The graders read it when DOJO_ANSWER_KEY names this\n' +
    '# file (or its folder); it belongs to the learner edition made from the same source commit.\n' +
    stringify({ source, ...key }, { lineWidth: 0 })
  );
}
