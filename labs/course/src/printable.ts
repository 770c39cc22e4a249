// Text from outside (answers, server replies, span names, argv) made safe for a terminal: control and
// bidi characters are shown escaped, so a stray BEL, ESC or line break cannot ring, recolour or split
// a line the CLI prints.
const unsafe = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function printable(text: string): string {
  return text.replace(unsafe, (c) => {
    const code = c.charCodeAt(0);
    return (
      named[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`)
    );
  });
}
