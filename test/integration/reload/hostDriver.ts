import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { AdoptableServer } from '../../../src/jupyter/adoptedServer';

/** What reloadHost.ts keeps in its state file (the stand-in for workspace state and SecretStorage). */
export interface HostState {
  server?: AdoptableServer;
  contexts?: Array<{ id: string; kernelId?: string; attachedTo?: string }>;
}

/** Drives one reloadHost.ts process: a stand-in extension host, killed like a reloading window. */
export class HostProcess {
  private readonly replies: Array<(line: unknown) => void> = [];
  private readonly child: ChildProcess;
  private stderr = '';
  readonly ready: Promise<void>;

  constructor(stateFile: string, graceSeconds: number) {
    const script = path.join(__dirname, 'reloadHost.ts');
    this.child = spawn(process.execPath, ['--require', 'tsx/cjs', script, stateFile, String(graceSeconds)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stderr?.on('data', (chunk) => (this.stderr += String(chunk)));
    let onReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => (onReady = resolve));
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      // @jupyterlab/services logs to the console ("Starting WebSocket: ..."); replies are JSON objects.
      if (!line.startsWith('{')) {
        return;
      }
      const message = JSON.parse(line) as { ready?: boolean };
      if (message.ready) {
        onReady();
      } else {
        this.replies.shift()?.(message);
      }
    });
  }

  get pid(): number {
    return this.child.pid as number;
  }

  /** Sends one command and resolves with its reply; rejects with the host's log when it failed. */
  async send<T = Record<string, unknown>>(command: Record<string, unknown>): Promise<T> {
    await this.ready;
    const reply = new Promise<unknown>((resolve) => this.replies.push(resolve));
    this.child.stdin?.write(`${JSON.stringify(command)}\n`);
    const message = (await reply) as { ok: boolean; reply?: T; error?: string; log?: string[] };
    if (!message.ok) {
      throw new Error(`${message.error}\nhost log:\n${(message.log ?? []).join('\n')}\n${this.stderr}`);
    }
    return message.reply as T;
  }

  /** What a crashing or reloading extension host looks like to its children. */
  kill(): void {
    if (this.child.exitCode === null) {
      this.child.kill('SIGKILL');
    }
  }
}

/** A fresh private folder for one test's state file. */
export function stateFileIn(prefix: string): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), `ki-${prefix}-`)), 'state.json');
}

export function readState(file: string): HostState {
  return JSON.parse(readFileSync(file, 'utf8')) as HostState;
}

/** Kernel ids on a server, asked with its token. */
export async function kernelsOn(server: AdoptableServer): Promise<string[]> {
  const response = await fetch(`${server.baseUrl.replace(/\/+$/, '')}/api/kernels`, {
    headers: { Authorization: `token ${server.token}` },
  });
  if (response.status !== 200) {
    throw new Error(`GET /api/kernels answered ${response.status}`);
  }
  return ((await response.json()) as Array<{ id: string }>).map((k) => k.id);
}
