/**
 * Removes the indentation common to all non-blank lines, so a selection taken from inside a block runs as
 * top-level code (Python would otherwise raise IndentationError).
 */
export function dedent(code: string): string {
  const lines = code.replace(/\r\n/g, '\n').split('\n');
  let common: string | undefined;
  for (const line of lines) {
    if (line.trim() === '') {
      continue;
    }
    const indent = /^[ \t]*/.exec(line)![0];
    if (common === undefined || !indent.startsWith(common)) {
      common = commonPrefix(common ?? indent, indent);
    }
    if (common === '') {
      return lines.join('\n');
    }
  }
  if (!common) {
    return lines.join('\n');
  }
  const width = common.length;
  return lines.map((line) => (line.trim() === '' ? '' : line.slice(width))).join('\n');
}

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) {
    i++;
  }
  return a.slice(0, i);
}
