// What the playground offers, read at build time: a recording per scenario (titled as the catalog names
// it) and the practice questions, shaped as the page's script reads them.
import type { PracticeQuestion } from '../lib/playground/practice.ts';
import { catalog, traceqlPractice } from './shared.ts';

export const playgroundDatasets = catalog.scenarios.map((s) => ({ id: s.id, title: `${s.id}: ${s.title}` }));

export const practiceQuestions: PracticeQuestion[] = traceqlPractice.map((q) => {
  const question = {
    id: q.id ?? '',
    title: q.title ?? '',
    prompt: q.prompt ?? '',
    dataset: q.dataset ?? '',
    reference: q.reference ?? '',
    compare: q.compare === 'spans' ? ('spans' as const) : ('traces' as const),
    hint: q.hint ?? '',
  };
  const missing = Object.entries(question).filter(([, v]) => v === '');
  if (missing.length || !playgroundDatasets.some((d) => d.id === question.dataset))
    throw new Error(
      `traceql-practice.yaml: question ${q.id}: needs ${missing.map(([k]) => k).join(', ') || 'a known dataset'}`,
    );
  return question;
});
