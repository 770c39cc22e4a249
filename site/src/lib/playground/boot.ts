// Wakes a page's playground: shows the parts that need JavaScript, and loads the engine and editor
// (a separate chunk) only when the playground scrolls into view or the learner touches it, a "try it"
// link or a practice question. A ?q=…&dataset=… address opens with that query run.
import type { Playground } from './app.ts';
import type { PracticeQuestion } from './practice.ts';

const apps = new WeakMap<HTMLElement, Promise<Playground>>();

function start(root: HTMLElement): Promise<Playground> {
  let app = apps.get(root);
  if (!app) {
    root.dataset.loading = '';
    app = import('./app.ts').then((m) => m.mount(root));
    apps.set(root, app);
  }
  return app;
}

/** Shows the query at once (the engine may still be on its way), then runs it. */
function open(root: HTMLElement, query: string, dataset: string | null) {
  const textarea = root.querySelector('textarea')!;
  textarea.value = query;
  root.scrollIntoView({ block: 'start', behavior: 'smooth' });
  textarea.focus({ preventScroll: true });
  void start(root).then((app) => app.show(query, dataset ?? undefined, true));
}

export function boot(): void {
  const root = document.querySelector<HTMLElement>('[data-playground]');
  if (!root) return;
  for (const el of document.querySelectorAll<HTMLElement>('[data-needs-js]')) el.hidden = false;
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      observer.disconnect();
      void start(root);
    }
  });
  observer.observe(root);
  for (const type of ['focusin', 'pointerdown'])
    root.addEventListener(type, () => void start(root), { once: true });
  // Until the app has taken over the form, a submit loads it and runs.
  root.querySelector('form')?.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!root.classList.contains('pg-ready'))
      void start(root).then((app) => app.show(undefined, undefined, true));
  });
  const params = new URLSearchParams(location.search);
  const query = params.get('q');
  if (query) open(root, query, params.get('dataset'));

  document.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const target = e.target as Element;
    const link = target.closest<HTMLAnchorElement>('a.try-it');
    if (link) {
      e.preventDefault();
      open(root, link.dataset.query ?? '', link.dataset.dataset ?? null);
      return;
    }
    const button = target.closest<HTMLButtonElement>('button[data-practice]');
    if (button) {
      const bank = JSON.parse(
        document.getElementById('pg-practice')?.textContent ?? '[]',
      ) as PracticeQuestion[];
      const question = bank.find((q) => q.id === button.dataset.practice);
      if (!question) return;
      root.scrollIntoView({ block: 'start', behavior: 'smooth' });
      root.querySelector('textarea')!.focus({ preventScroll: true });
      void start(root).then((app) => app.practise(question));
    }
  });
}
