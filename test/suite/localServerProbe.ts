/**
 * What the product's local Jupyter Server holds, seen from outside the product as a person with `ps` and `curl`
 * would see it: the launcher is the extension host's descendant running `launcher.py`; its argv names the port
 * and base URL, and its environment holds the token (`JUPYTER_TOKEN`, the only place the product puts it). The
 * token is used for one request and never logged or returned.
 */
import { readFileSync } from 'node:fs';
import { findProcesses, readArgv } from '../../src/jupyter/processTree';
import { kernelIdOf, kernelPidsUnder } from '../shared/kernelProcesses';

/** The product's local server as this extension host runs it now. */
export interface LocalServerView {
  launcherPid: number;
  /** Kernel processes (ipykernel) under the launcher, with the kernel id from their connection file name. */
  kernelProcesses: Array<{ pid: number; kernelId: string | undefined }>;
}

/** The launchers (`launcher.py`) this extension host started and that still run. */
export function localLaunchers(): Promise<number[]> {
  return findProcesses((argv) => argv.some((a) => a.endsWith('launcher.py')), process.pid);
}

/** The one running local server and its kernel processes; throws when there is none or more than one. */
export async function localServerView(): Promise<LocalServerView> {
  const launchers = await localLaunchers();
  if (launchers.length !== 1) {
    throw new Error(`expected one local Jupyter launcher under this extension host, found ${launchers.length}`);
  }
  const launcherPid = launchers[0];
  const kernelProcesses = await Promise.all(
    (await kernelPidsUnder(launcherPid)).map(async (pid) => ({
      pid,
      kernelId: kernelIdOf((await readArgv(pid)) ?? []),
    })),
  );
  return { launcherPid, kernelProcesses };
}

/** `GET /api/kernels` on the local server: the ids of every kernel it runs. */
export async function serverKernelIds(launcherPid: number): Promise<string[]> {
  const argv = (await readArgv(launcherPid)) ?? [];
  const port = argv[argv.indexOf('--port') + 1];
  const base = argv.includes('--base-url') ? argv[argv.indexOf('--base-url') + 1] : '/';
  const token = readFileSync(`/proc/${launcherPid}/environ`, 'utf8')
    .split('\0')
    .find((e) => e.startsWith('JUPYTER_TOKEN='))
    ?.slice('JUPYTER_TOKEN='.length);
  if (!port || !token) {
    throw new Error(`launcher ${launcherPid} shows no --port or no JUPYTER_TOKEN`);
  }
  const url = `http://127.0.0.1:${port}${base.endsWith('/') ? base : `${base}/`}api/kernels`;
  const response = await fetch(url, { headers: { Authorization: `token ${token}` } });
  if (response.status !== 200) {
    // The status only: the response or request could carry the token.
    throw new Error(`GET /api/kernels answered ${response.status}`);
  }
  return ((await response.json()) as Array<{ id: string }>).map((k) => k.id);
}
