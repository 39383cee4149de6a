import { existsSync } from 'node:fs';
import { filesUnder } from './tokenLeaks';

/**
 * The Kernel Islands output-channel logs under a VS Code logs folder, one per extension host (a window reload
 * starts another), oldest first: by path (`<session time>/exthost<N>`), not by file time, which a copy resets.
 */
export function extensionLogs(logsDir: string | undefined): string[] {
  if (!logsDir || !existsSync(logsDir)) {
    return [];
  }
  return filesUnder(logsDir)
    .filter((f) => f.endsWith('Kernel Islands.log'))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}
