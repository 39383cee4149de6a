// The one shell-quoting rule for commands shown to the user (fix commands in messages, commands sent to a terminal).

/** Characters a POSIX shell would split on or expand; a word without them is shown as it is. */
const NEEDS_QUOTING = /[\s'"$`\\]/;

/** `word` as one POSIX shell word: unchanged when safe, else in single quotes (an inner `'` becomes `'\''`). */
export function shellQuote(word: string): string {
  return NEEDS_QUOTING.test(word) ? `'${word.replace(/'/g, `'\\''`)}'` : word;
}
