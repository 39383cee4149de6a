/**
 * Child process of P5 (bundled to plain JS and run by `node`, so no TS loader distorts the load time):
 * loads the extension bundle with the tests' `vscode` double (lenient: every API name it does not hold is a no-op,
 * so every API call costs nothing here and the figure is the extension's own work), calls `activate` with a fake
 * context, and prints one JSON line. A fresh process per sample, so the module is compiled cold as in a new
 * extension host.
 */
import { readdirSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { createVscodeDouble, fakeExtensionContext, vscodeApiNames } from '../test/shared/vscodeDouble';

interface ExtensionModule {
  activate(context: unknown): unknown;
  deactivate?(): unknown;
}

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;

/** Processes whose parent is this process: anything `activate` started eagerly. */
function childProcesses(): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Field 4 (after the parenthesised command, which may hold spaces) is the parent pid.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === process.pid) {
        found.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim());
      }
    } catch (err) {
      // A process that exited while we looked has no stat any more; that is not an eager start.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw err;
      }
    }
  }
  return found;
}

async function main(): Promise<void> {
  const bundle = path.resolve(process.argv[2]);
  const typesPath = createRequire(path.join(process.cwd(), 'package.json')).resolve('@types/vscode/index.d.ts');
  const vscode = createVscodeDouble({ otherApi: vscodeApiNames(readFileSync(typesPath, 'utf8')) }).module;
  const moduleInternals = Module as unknown as { _load: Loader };
  const originalLoad = moduleInternals._load;
  // What the bundle requires while it loads and activates: a module meant to load on first use must not show up.
  const required = new Set<string>();
  let recording = false;
  moduleInternals._load = function (request, parent, isMain) {
    if (recording) {
      required.add(request);
    }
    return request === 'vscode' ? vscode : originalLoad.call(this, request, parent, isMain);
  };
  const extensionRoot = path.dirname(path.dirname(bundle));
  const context = fakeExtensionContext(extensionRoot, path.join(os.tmpdir(), `ki-bench-activation-${process.pid}`), {
    lenient: true,
  });
  const load = createRequire(__filename);
  recording = true;
  const start = performance.now();
  const extension = load(bundle) as ExtensionModule;
  const loaded = performance.now();
  await extension.activate(context);
  const activated = performance.now();
  recording = false;
  // Give anything started in the background (a server, a pool) time to show up as a child process.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const children = childProcesses();
  await extension.deactivate?.();
  for (const item of context.subscriptions as Array<{ dispose(): unknown }>) {
    item.dispose();
  }
  const result = {
    loadMs: loaded - start,
    activateMs: activated - loaded,
    totalMs: activated - start,
    subscriptions: (context.subscriptions as unknown[]).length,
    children,
    required: [...required].sort(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`activation failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
