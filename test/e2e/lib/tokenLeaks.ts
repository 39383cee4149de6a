/**
 * Looks for the local Jupyter Server's token where it must never be: in any process's argv and in any log or
 * artifact of the run. The token is read, as root or as the same user, from the launcher's environment, which is
 * the one place it is passed.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findMarkedProcesses } from './processes';

const TOKEN_VAR = 'JUPYTER_TOKEN=';

function procFile(pid: number, name: string): string {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    // The process exited while we looked: it holds nothing any more.
    return '';
  }
}

/** Tokens in the environment of this run's processes (the Jupyter launcher's). */
export function jupyterTokens(markerName: string, runId: string): string[] {
  const tokens = new Set<string>();
  for (const p of findMarkedProcesses(markerName, runId)) {
    for (const entry of procFile(p.pid, 'environ').split('\0')) {
      if (entry.startsWith(TOKEN_VAR) && entry.length > TOKEN_VAR.length) {
        tokens.add(entry.slice(TOKEN_VAR.length));
      }
    }
  }
  return [...tokens];
}

/** Processes of the run whose command line holds a token. */
export function argvLeaks(markerName: string, runId: string, tokens: readonly string[]): string[] {
  return findMarkedProcesses(markerName, runId)
    .filter((p) => tokens.some((t) => procFile(p.pid, 'cmdline').includes(t)))
    .map((p) => `${p.pid} ${p.command}`);
}

/** Every file under `dir`, recursively. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Files under `dir` (logs, results, console output) that hold a token. */
export function fileLeaks(dir: string, tokens: readonly string[]): string[] {
  return filesUnder(dir).filter((path) => {
    const text = readFileSync(path, 'latin1');
    return tokens.some((t) => text.includes(t));
  });
}
