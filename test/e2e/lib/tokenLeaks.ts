/**
 * Looks for the local Jupyter Server's token where it must never be: in any process's argv and in any log or
 * artifact of the run. The token is read, as root or as the same user, from the launcher's environment, which is
 * the one place it is passed.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readEnviron } from '../../shared/kernelProcesses';
import { findMarkedProcesses } from './processes';

const TOKEN_VAR = 'JUPYTER_TOKEN=';

/** Tokens in the environment of this run's processes (the Jupyter launcher's). */
export async function jupyterTokens(markerName: string, runId: string): Promise<string[]> {
  const tokens = new Set<string>();
  for (const p of await findMarkedProcesses(markerName, runId)) {
    for (const entry of await readEnviron(p.pid)) {
      if (entry.startsWith(TOKEN_VAR) && entry.length > TOKEN_VAR.length) {
        tokens.add(entry.slice(TOKEN_VAR.length));
      }
    }
  }
  return [...tokens];
}

/** Processes of the run whose command line holds a token. */
export async function argvLeaks(markerName: string, runId: string, tokens: readonly string[]): Promise<string[]> {
  return (await findMarkedProcesses(markerName, runId))
    .filter((p) => tokens.some((t) => p.command.includes(t)))
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
