// The query editor: a plain textarea (native editing, undo, screen readers and phone keyboards) over a
// layer that draws the same text in colour, with the engine's syntax error marked where it points.
import { parseTraceQL, type TraceQLError } from '@dojo/traceql';
import { h } from './dom.ts';
import { highlight } from './highlight.ts';

export interface Editor {
  /** The query's syntax error, if any, after redrawing. */
  check(): TraceQLError | undefined;
  set(text: string): void;
}

export function attachEditor(
  textarea: HTMLTextAreaElement,
  layer: HTMLElement,
  onError: (error: TraceQLError | undefined) => void,
  onRun: () => void,
): Editor {
  let shown: TraceQLError | undefined;
  const draw = () => {
    const text = textarea.value;
    const parsed = text.trim() === '' ? undefined : parseTraceQL(text);
    const error = parsed && !parsed.ok ? parsed.error : undefined;
    const parts = highlight(text, error).map((s) => {
      const piece = text.slice(s.from, s.to);
      const coloured = s.cls === 'plain' ? piece : h('span', { class: `tq-${s.cls}` }, piece);
      return s.error
        ? h('mark', { class: s.from === s.to ? 'tq-error tq-caret' : 'tq-error' }, coloured)
        : coloured;
    });
    // A trailing newline needs a character after it, or the layer ends a line short of the textarea.
    layer.replaceChildren(...parts, text.endsWith('\n') || text === '' ? ' ' : '');
    // Grow with the text (wrapped lines included), so the coloured layer never needs to scroll.
    textarea.style.height = 'auto';
    textarea.style.height = `${textarea.scrollHeight + 2}px`;
    textarea.setAttribute('aria-invalid', String(error !== undefined));
    shown = error;
    return error;
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  textarea.addEventListener('input', () => {
    draw();
    // Announce the message once the learner pauses, not at every key.
    clearTimeout(timer);
    timer = setTimeout(() => onError(shown), 500);
  });
  textarea.addEventListener('scroll', () => {
    layer.scrollTop = textarea.scrollTop;
  });
  textarea.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      onRun();
    }
  });
  window.addEventListener('resize', () => draw());
  draw();
  return {
    check: () => {
      clearTimeout(timer);
      const error = draw();
      onError(error);
      return error;
    },
    set: (text: string) => {
      textarea.value = text;
      draw();
      onError(shown);
    },
  };
}
