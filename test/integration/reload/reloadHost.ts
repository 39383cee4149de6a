// A stand-in for an extension host, for the reload-survival tests. It wires LocalJupyterServer, the session
// factory, a pool and the ContextRegistry the way src/extension.ts does, and keeps the "workspace state"
// (saved server + context snapshot) in a JSON file, as src/workbench/reloadState.ts keeps it in workspaceState and
// SecretStorage. A test drives it with JSON lines on stdin and reads JSON lines on stdout.
// Run: node --require tsx/cjs reloadHost.ts STATE_FILE GRACE_SECONDS
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { createInterface } from 'node:readline';
import type { AdoptableServer } from '../../../src/jupyter/adoptedServer';
import { LocalJupyterServer } from '../../../src/jupyter/localServer';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { claimedKernelIds, planRestore, pruneUnclaimedKernels } from '../../../src/kernels/registry/contextSnapshot';
import { KernelPool } from '../../../src/kernels/kernelPool';
import { JupyterSessionFactory } from '../../../src/kernels/session/sessionFactory';
import { MemoryLogger, TEST_PYTHON } from '../fixtures/localServer';
import { textOf } from '../kernels/helpers';

interface SavedState {
  server?: AdoptableServer;
  contexts?: unknown[];
}

/** One command from the test. */
type Command =
  | { cmd: 'exec'; id: string; code: string }
  | { cmd: 'attach'; id: string; target: string }
  | { cmd: 'info' }
  | { cmd: 'stop' };

const [stateFile, graceArg] = process.argv.slice(2) as [string, string];
const saved: SavedState = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as SavedState) : {};
const plan = planRestore(saved.contexts ?? []);
const logger = new MemoryLogger();
const state: SavedState = { ...saved };
const save = () => writeFileSync(stateFile, JSON.stringify(state), { mode: 0o600 });

const server = new LocalJupyterServer({
  python: TEST_PYTHON,
  rootDir: os.tmpdir(),
  logger,
  graceSeconds: Number(graceArg),
  adopt: () => Promise.resolve(saved.server),
  onAdopted: async (connection) => {
    await pruneUnclaimedKernels(connection.settings, claimedKernelIds(plan), logger);
  },
  onDidStartServer: (info) => {
    state.server = info;
    save();
  },
});
const factory = new JupyterSessionFactory(server, logger);
const pool = new KernelPool({ factory, kernelName: 'python3', size: 1, logger });
const registry = new ContextRegistry({ factory, pool, logger });
registry.restore(plan);
registry.onDidChangeContexts(() => {
  state.contexts = registry.snapshot();
  save();
});

async function handle(command: Command): Promise<unknown> {
  switch (command.cmd) {
    case 'exec': {
      const started = performance.now();
      const result = await registry.execute({ id: command.id, kind: 'named', label: command.id }, command.code);
      const ms = performance.now() - started;
      return { status: result.status, text: textOf(result), kernelId: registry.get(command.id)?.kernelId, ms };
    }
    case 'attach':
      registry.attach(command.id, command.target);
      return {};
    case 'info':
      await pool.whenSettled();
      return {
        launcherPid: (await server.getServer()).pid,
        adopted: server.adopted,
        startMs: server.lastStartDurationMs,
        contexts: registry.list(),
        poolAvailable: pool.available,
      };
    case 'stop':
      await registry.disposeAsync();
      await pool.disposeAsync();
      await server.stop();
      return {};
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as Command;
  handle(command).then(
    (reply) => process.stdout.write(`${JSON.stringify({ ok: true, reply })}\n`),
    (err: unknown) => process.stdout.write(`${JSON.stringify({ ok: false, error: String(err), log: logger.lines })}\n`),
  );
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
