import * as path from 'node:path';
import type { ContextSpec } from './types';

/**
 * Builds the spec of a context from its id and, for files on disk, the file path: the kernel's working directory
 * is the file's folder and `__file__` is the file. Shared by every surface so a URI means the same context everywhere.
 */
export function contextSpecFor(id: string, filePath?: string, kernelName?: string, fallbackCwd?: string): ContextSpec {
  if (filePath) {
    return { id, label: path.basename(filePath), cwd: path.dirname(filePath), file: filePath, kernelName };
  }
  return { id, label: labelForId(id), cwd: fallbackCwd, kernelName };
}

/** A short label for ids that are not files: `untitled:Untitled-1` → `Untitled-1`, free strings stay as they are. */
export function labelForId(id: string): string {
  const m = /^[a-z][\w+.-]*:(?:\/\/[^/]*)?(.*)$/i.exec(id);
  if (m && /^(untitled|vscode-notebook|file|vscode-remote)/i.test(id)) {
    const tail = m[1].split('/').filter(Boolean).pop();
    return tail ? decodeURIComponent(tail) : id;
  }
  return id;
}
