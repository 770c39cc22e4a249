// Small terminal helpers for the CLI: colour only on a TTY (and never with NO_COLOR), and aligned tables.
const useColour = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
const paint = (code: number) => (s: string) => (useColour ? `\u001b[${code}m${s}\u001b[0m` : s);

/** One line to the user, on stdout. */
export const say = (line: string) => process.stdout.write(`${line}\n`);

export const colour = {
  green: paint(32),
  red: paint(31),
  yellow: paint(33),
  cyan: paint(36),
  dim: paint(2),
  bold: paint(1),
};

const ansi = /\u001b\[[0-9;]*m/g;
const visibleLength = (s: string) => s.replace(ansi, '').length;

/** Renders rows under a header with every column padded to its widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(visibleLength(h), ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat(widths[i]! - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return [colour.bold(line(header)), ...rows.map(line)].join('\n');
}
