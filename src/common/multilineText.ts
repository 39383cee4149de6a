/**
 * nbformat's multiline strings: a stream's `text` and most mime bundle values may be one string or a list of lines
 * (each keeping its own `\n`). The one place they are joined, for every layer (pure, no Node or VS Code module).
 */

/**
 * The text of an nbformat multiline string: a list of lines joined as they are, a string as it is. Nothing
 * (`undefined`, `null`) is the empty string; any other value (a kernel that sent a number) its `String`.
 */
export function joinMultiline(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.join('');
  }
  return value === undefined || value === null ? '' : String(value);
}
