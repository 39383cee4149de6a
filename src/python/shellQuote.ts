// The one shell-quoting rule for commands shown to the user (fix commands in messages, commands sent to a terminal).
import { hostPlatform, type Platform } from '../common/platform';

/** Characters a POSIX shell would split on or expand; a word without them is shown as it is. */
const NEEDS_QUOTING = /[\s'"$`\\]/;

/** Characters PowerShell (VS Code's default terminal on Windows) would split on or treat specially; `\` is not one. */
const NEEDS_QUOTING_WINDOWS = /[\s'"$`&(){};,@#|<>]/;

/**
 * `word` as the command word of a shell line: unchanged when safe. Else on Windows a PowerShell call of a quoted
 * path (`& 'C:\Program Files\Python312\python.exe'`, an inner `'` doubled); elsewhere one POSIX shell word in
 * single quotes (an inner `'` becomes `'\''`).
 */
export function shellQuote(word: string, platform: Pick<Platform, 'os'> = hostPlatform()): string {
  if (platform.os === 'win32') {
    return NEEDS_QUOTING_WINDOWS.test(word) ? `& '${word.replace(/'/g, "''")}'` : word;
  }
  return NEEDS_QUOTING.test(word) ? `'${word.replace(/'/g, `'\\''`)}'` : word;
}
