// The playground's running part, loaded only once a learner reaches or touches a playground: the
// engine, the editor, the recordings (fetched one at a time) and what draws the answers.
import { describeError } from '@dojo/traceql';
import { type Dataset, loadDataset } from './dataset.ts';
import { attachEditor } from './editor.ts';
import { checkPractice, type PracticeQuestion } from './practice.ts';
import { renderChart } from './render-chart.ts';
import { renderSearch } from './render-search.ts';
import { renderWaterfall } from './render-waterfall.ts';
import { type Outcome, runQuery } from './run.ts';

const urls = import.meta.glob<string>('../../data/datasets/*.json', {
  query: '?url',
  import: 'default',
  eager: true,
});
const datasetUrl = (id: string) => urls[`../../data/datasets/${id}.json`];

const loaded = new Map<string, Promise<Dataset>>();
function dataset(id: string): Promise<Dataset> {
  let p = loaded.get(id);
  if (!p) {
    const url = datasetUrl(id);
    if (!url) return Promise.reject(new Error(`no recording named ${id}`));
    p = fetch(url)
      .then((r) => {
        if (!r.ok) throw new Error(`the ${id} recording answered ${r.status}`);
        return r.json();
      })
      .then((body) => loadDataset(body));
    p.catch(() => loaded.delete(id));
    loaded.set(id, p);
  }
  return p;
}

export interface Playground {
  /** Puts a query (and a recording) in the editor; runs it when asked. */
  show(query: string | undefined, datasetId: string | undefined, run: boolean): Promise<void>;
  practise(question: PracticeQuestion): Promise<void>;
}

export function mount(root: HTMLElement): Playground {
  const $ = <T extends Element>(sel: string) => root.querySelector<T>(sel)!;
  const form = $<HTMLFormElement>('form');
  const textarea = $<HTMLTextAreaElement>('textarea');
  const select = $<HTMLSelectElement>('select');
  const errorLine = $<HTMLElement>('.pg-error');
  const status = $<HTMLElement>('.pg-status');
  const results = $<HTMLElement>('.pg-results');
  const detail = $<HTMLElement>('.pg-detail');
  const practicePanel = root.querySelector<HTMLElement>('.pg-practice');
  let practice: PracticeQuestion | undefined;
  let last: { outcome: Outcome; data: Dataset; query: string } | undefined;

  root.classList.add('pg-ready');
  const editor = attachEditor(
    textarea,
    $<HTMLElement>('.pg-colours'),
    (error) => {
      errorLine.textContent = error ? `Invalid TraceQL, ${describeError(error)}` : '';
    },
    () => form.requestSubmit(),
  );

  const title = () => select.selectedOptions[0]?.textContent?.trim() ?? select.value;

  async function run() {
    const query = textarea.value;
    const error = editor.check();
    detail.replaceChildren();
    if (query.trim() === '') {
      status.textContent = 'Type a query first, for example { duration > 500ms }.';
      results.replaceChildren();
      return;
    }
    if (error) {
      // The error itself is under the editor (and announced from there).
      status.textContent = 'Nothing ran: the query is not valid TraceQL yet.';
      results.replaceChildren();
      root.dataset.state = 'invalid';
      root.dataset.runs = String(Number(root.dataset.runs ?? 0) + 1);
      return;
    }
    root.dataset.state = 'running';
    status.textContent = `Loading the ${title()} recording…`;
    let data: Dataset;
    try {
      data = await dataset(select.value);
    } catch (e) {
      status.textContent = `The recording could not be loaded (${(e as Error).message}); try again.`;
      root.dataset.state = 'failed';
      return;
    }
    const outcome = runQuery(query, data);
    last = { outcome, data, query };
    draw(false);
    root.dataset.state = outcome.kind;
    // Counted so a test (or a curious learner) can tell one answer from the next.
    root.dataset.runs = String(Number(root.dataset.runs ?? 0) + 1);
  }

  function draw(all: boolean) {
    if (!last) return;
    const { outcome, data, query } = last;
    const seconds = Math.round(Number((data.endNs - data.startNs) / 1_000_000n) / 1000);
    const about = `the ${title()} recording (${data.traces.length} traces, ${seconds} s of traffic)`;
    if (outcome.kind === 'invalid' || outcome.kind === 'failed') {
      status.textContent = outcome.message;
      results.replaceChildren();
    } else if (outcome.kind === 'search') {
      const n = outcome.traces.length;
      status.textContent = `${n} trace${n === 1 ? '' : 's'} match in ${about}.`;
      const byId = new Map(data.traces.map((t) => [t.traceId, t]));
      const lookup = (traceId: string, spanId: string) => {
        const span = byId.get(traceId.padStart(32, '0'))?.spans.find((s) => s.spanId === spanId);
        return span && { service: String(span.resource.attrs.get('service.name') ?? ''), name: span.name };
      };
      results.replaceChildren(renderSearch(outcome.traces, all, () => draw(true), lookup));
    } else {
      const n = outcome.body.series?.length ?? 0;
      status.textContent = `${n} series over ${about}, one point every ${Number(outcome.stepNs / 1_000_000_000n)} s.`;
      results.replaceChildren(
        renderChart(
          outcome.body,
          query,
          outcome.unit,
          Number(data.endNs / 1_000_000n),
          results.clientWidth || 600,
        ),
      );
    }
  }

  results.addEventListener('click', (e) => {
    const button = (e.target as Element).closest<HTMLButtonElement>('button.pg-open');
    if (!button || last?.outcome.kind !== 'search') return;
    const id = button.dataset.traceId!;
    const trace = last.data.traces.find((t) => t.traceId === id.padStart(32, '0'));
    const found = last.outcome.traces.find((t) => t.traceID === id);
    if (!trace || !found) return;
    const matched = new Set(found.spanSets.flatMap((s) => s.spans.map((x) => x.spanID)));
    detail.replaceChildren(renderWaterfall(trace, matched));
    const region = detail.querySelector<HTMLElement>('.scroller')!;
    region.focus({ preventScroll: true });
    detail.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  });

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void run();
  });
  select.addEventListener('change', () => {
    if (last) void run();
  });

  root.querySelector('.pg-check')?.addEventListener('click', async () => {
    if (!practice || !practicePanel) return;
    const verdict = practicePanel.querySelector<HTMLElement>('.pg-verdict')!;
    const error = editor.check();
    if (textarea.value.trim() === '' || error) {
      verdict.dataset.verdict = 'invalid';
      verdict.textContent = error
        ? `Invalid TraceQL, ${describeError(error)}`
        : 'Write your answer in the editor first.';
      return;
    }
    const data = await dataset(practice.dataset);
    const r = checkPractice(practice, textarea.value, data);
    verdict.dataset.verdict = r.verdict;
    const head = { pass: '✔ Right: ', fail: '✘ Not yet: ', 'not-graded': '– Not judged: ', invalid: '✘ ' }[
      r.verdict
    ];
    verdict.textContent = `${head}${r.found}${'hint' in r && r.hint ? `. Hint: ${r.hint}` : ''}`;
    void run();
  });

  return {
    async show(query, datasetId, andRun) {
      if (datasetId && [...select.options].some((o) => o.value === datasetId)) select.value = datasetId;
      if (query !== undefined) editor.set(query);
      if (andRun) await run();
    },
    async practise(question) {
      practice = question;
      if (!practicePanel) return;
      practicePanel.hidden = false;
      practicePanel.querySelector('.pg-practice-title')!.textContent = question.title;
      practicePanel.querySelector('.pg-practice-prompt')!.textContent = question.prompt;
      practicePanel.querySelector('.pg-verdict')!.textContent = '';
      select.value = question.dataset;
      editor.set('');
      status.textContent = `Practice: ${question.title}. Write a query, run it on the ${title()} recording, then check it.`;
      results.replaceChildren();
      detail.replaceChildren();
      last = undefined;
      void dataset(question.dataset);
    },
  };
}
