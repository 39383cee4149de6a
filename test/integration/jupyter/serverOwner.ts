// A stand-in for the extension host: starts a local server and a kernel, prints their pids as one
// JSON line, then idles until it is killed. Run with `node --require tsx/cjs serverOwner.ts [graceSeconds]`.
import { startTestServer } from '../fixtures/localServer';
import { waitForKernels } from './processes';
import { startKernel } from './rest';

async function main(): Promise<void> {
  const graceSeconds = Number(process.argv[2] ?? '0');
  const { connection } = await startTestServer({ graceSeconds });
  await startKernel(connection);
  const launcherPid = connection.pid as number;
  const kernelPids = await waitForKernels(launcherPid, 1);
  process.stdout.write(
    `${JSON.stringify({ launcherPid, kernelPids, baseUrl: connection.settings.baseUrl, token: connection.settings.token })}\n`,
  );
  setInterval(() => undefined, 60_000);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
