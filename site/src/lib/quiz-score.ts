// Scores quiz answers against the key; the site's quiz and its tests share this.
export interface Keyed {
  id: string;
  answer: string;
}

export function scoreQuiz(questions: Keyed[], chosen: Record<string, string | undefined>) {
  const results = questions.map((q) => ({
    id: q.id,
    chosen: chosen[q.id],
    correct: chosen[q.id] === q.answer,
  }));
  return { score: results.filter((r) => r.correct).length, total: questions.length, results };
}
