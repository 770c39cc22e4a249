// What sticks out of a page at its width, for the tests on a phone's screen. It runs in the page
// (page.evaluate(overflowAt, scope)), so it uses nothing from outside its own body.

export interface OverflowScope {
  /** the elements to look at, as a selector (`main *`) */
  within: string;
  /** the containers that may scroll sideways (code blocks, …) */
  allowed: string;
}

/** The page wider than the screen, and elements that scroll sideways or are cut off; at most 8 of them. */
export function overflowAt({ within, allowed }: OverflowScope): string[] {
  const width = document.documentElement.clientWidth;
  const name = (e: Element) =>
    `<${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? ` class="${e.className}"` : ''}> "${(e.textContent ?? '').trim().slice(0, 40)}"`;
  const out: string[] = [];
  if (document.documentElement.scrollWidth > width)
    out.push(`the page is ${document.documentElement.scrollWidth} px wide`);
  for (const e of document.querySelectorAll(within)) {
    if (e.closest(allowed)) continue;
    if (e.scrollWidth > e.clientWidth + 1 && /auto|scroll/.test(getComputedStyle(e).overflowX))
      out.push(`${name(e)} scrolls sideways`);
    const box = e.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1)
      out.push(`${name(e)} is cut off at ${Math.round(box.right)} px`);
  }
  return [...new Set(out)].slice(0, 8);
}
