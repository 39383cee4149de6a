import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { SpawnFunction } from '../../../src/jupyter/launcherProcess';

// Above Linux's largest possible pid (2^22), so killing a fake's "descendants" can never hit a real process.
const FAKE_PID_BASE = 5_000_000;

/** How a fake launcher behaves. */
export interface FakeBehaviour {
  /** Announce `listening` on stdout right away (default true). */
  announce?: boolean;
  /** Exit on SIGTERM (default true); false makes it need SIGKILL. */
  obeySigterm?: boolean;
}

/** A stand-in for `python launcher.py`: records what it was given and the signals it got. */
export class FakeLauncher extends EventEmitter {
  readonly stdin = new PassThrough();
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly signals: string[] = [];
  readonly pid: number;
  stdinClosed = false;
  exitCode: number | null = null;

  constructor(
    readonly args: readonly string[],
    readonly env: NodeJS.ProcessEnv,
    pid: number,
    private readonly behaviour: FakeBehaviour,
  ) {
    super();
    this.pid = pid;
    this.stdin.on('finish', () => (this.stdinClosed = true));
    setImmediate(() => {
      this.stderr.write(`fake server starting, token ${env.JUPYTER_TOKEN}\n`);
      if (behaviour.announce !== false) {
        this.stdout.write(`${JSON.stringify({ event: 'listening', port: Number(this.argValue('--port')) })}\n`);
      }
    });
  }

  argValue(flag: string): string | undefined {
    const i = this.args.indexOf(flag);
    return i >= 0 ? this.args[i + 1] : undefined;
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    this.signals.push(signal);
    if (signal === 'SIGKILL' || this.behaviour.obeySigterm !== false) {
      this.exit(null, signal);
    }
    return true;
  }

  /** Simulates the process ending by itself (crash) or by a signal. */
  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.exitCode === null) {
      this.exitCode = code ?? -1;
      setImmediate(() => this.emit('exit', code, signal));
    }
  }
}

/** Spawns {@link FakeLauncher}s and serves `/api/status` for them on loopback, checking the token. */
export class FakeLaunchers {
  readonly launched: FakeLauncher[] = [];
  /** Requests the status server got, with the token they carried. */
  readonly requests: string[] = [];
  behaviour: FakeBehaviour = {};
  private readonly server = http.createServer((req, res) => {
    this.requests.push(`${req.url} ${req.headers.authorization ?? ''}`);
    const current = this.launched[this.launched.length - 1];
    const ok =
      current && current.exitCode === null && req.headers.authorization === `token ${current.env.JUPYTER_TOKEN}`;
    res.writeHead(ok ? 200 : 403).end('{}');
  });

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  readonly spawn: SpawnFunction = (_command, args, options: SpawnOptions) => {
    const fake = new FakeLauncher(args, options.env ?? {}, FAKE_PID_BASE + this.launched.length, this.behaviour);
    this.launched.push(fake);
    return fake as unknown as ChildProcess;
  };
}
