// Turns the choices made on the quiz page into answers/quiz.yaml, the file `dojo grade quiz` grades. The
// page holds no key: a static page that could check an answer would have to ship the key in some form,
// and with four choices per question any hashed or encrypted form is undone by trying each one.
export function quizAnswersFile(ids: string[], chosen: Record<string, string | undefined>): string {
  const lines = ids.map((id) => (chosen[id] ? `${id}: ${chosen[id]}` : `# ${id}: (not answered)`));
  return `# answers/quiz.yaml — grade with: npx dojo grade quiz\n${lines.join('\n')}\n`;
}
