/**
 * `npm run bench:mcp [-- --quick]`: the MCP server under load. For N = 1, 8, 32 concurrent sessions over Streamable
 * HTTP (each its own SDK client, 25 small calls): calls per second and p50/p99 latency, against one session alone and
 * against N raw jupyter clients doing the same on the same server; the MCP process's memory per session; kernels on
 * the server while the sessions run and after they end (none); cross-talk checked on every call. The MCP server is
 * the real command (`dist/mcp.js`) on `--server` pointed at the bench's own local Jupyter Server, so both sides talk
 * to the same server over its websocket. Prints a Markdown table and writes bench/mcp-results.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ServerConnection } from '@jupyterlab/services';
import { LocalJupyterServer } from '../src/jupyter/localServer';
import { generateToken } from '../src/jupyter/token';
import { findPython } from '../src/python/pythonFinder';
import { waitFor } from '../test/shared/poll';
import { mcpLoad, rawLoad, type LoadRun } from './mcpLoad';

const ROOT = path.resolve(__dirname, '..');
const progress = (message: string) =>
  process.stderr.write(`[bench:mcp ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** Resident memory of a process in KB, from /proc. */
function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) {
    throw new Error(`No VmRSS for process ${pid}`);
  }
  return Number(m[1]);
}

async function kernelsOn(settings: ServerConnection.ISettings): Promise<string[]> {
  const r = await fetch(`${settings.baseUrl}api/kernels`, { headers: { Authorization: `token ${settings.token}` } });
  return ((await r.json()) as Array<{ id: string }>).map((k) => k.id);
}

/** The command on `--server`, on HTTP, with room for N contexts; resolves once it serves. */
async function startMcp(settings: ServerConnection.ISettings, n: number) {
  const token = generateToken();
  const env = { ...process.env, KERNEL_ISLANDS_SERVER_TOKEN: settings.token, KERNEL_ISLANDS_MCP_TOKEN: token };
  const args = [path.join(ROOT, 'bin', 'kernel-islands-mcp.js'), '--http', '--server', settings.baseUrl];
  const child = spawn(process.execPath, [...args, '--max-contexts', String(Math.max(n, 8))], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await waitFor('the MCP server to serve', () => /Streamable HTTP on (\S+)/.exec(stderr)?.[1], 30_000);
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return { url, token, pid: child.pid ?? 0, stop, stderr: () => stderr };
}

interface Row {
  n: number;
  mcp: LoadRun;
  raw: LoadRun;
  rssIdleKb: number;
  rssPerSessionKb: number;
  kernelsDuring: number;
  kernelsAfter: number;
}

const fmt = (v: number, digits = 0) => v.toFixed(digits);

function table(rows: Row[]): string {
  const alone = rows.find((r) => r.n === 1)?.mcp;
  const lines = [
    '| N sessions | MCP calls/s | raw calls/s | MCP ÷ raw | MCP p50 / p99 (ms) | p99 ÷ p50 | raw p50 / p99 (ms) | MCP p50 ÷ one session alone | MCP memory per session | kernels during / after | cross-talk |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.n} | ${fmt(r.mcp.callsPerSecond)} | ${fmt(r.raw.callsPerSecond)} | ${fmt(r.mcp.callsPerSecond / r.raw.callsPerSecond, 2)}× | ` +
        `${fmt(r.mcp.p50, 1)} / ${fmt(r.mcp.p99, 1)} | ${fmt(r.mcp.p99 / r.mcp.p50, 1)} | ${fmt(r.raw.p50, 1)} / ${fmt(r.raw.p99, 1)} | ` +
        `${alone ? fmt(r.mcp.p50 / alone.p50, 1) : '–'}× | ${fmt(r.rssPerSessionKb / 1024, 1)} MB | ${r.kernelsDuring} / ${r.kernelsAfter} | ` +
        `${r.mcp.crossTalk.length + r.raw.crossTalk.length === 0 ? 'none' : `${r.mcp.crossTalk.length + r.raw.crossTalk.length} calls`} |`,
    );
  }
  return lines.join('\n');
}

async function main(argv: string[]): Promise<void> {
  const quick = argv.includes('--quick');
  const sizes = quick ? [1, 4] : [1, 8, 32];
  const callsPerClient = 25;
  progress('building dist/mcp.js');
  execFileSync(process.execPath, ['esbuild.mjs', '--extension-only'], { cwd: ROOT, stdio: 'ignore' });
  const server = new LocalJupyterServer({ python: () => findPython({}), rootDir: os.tmpdir() });
  const rows: Row[] = [];
  try {
    const { settings } = await server.getServer();
    for (const n of sizes) {
      progress(`N = ${n}: MCP sessions`);
      const mcp = await startMcp(settings, n);
      let rssIdleKb = 0;
      let rssOpenKb = 0;
      let kernelsDuring = 0;
      let kernelsAfter = -1;
      try {
        rssIdleKb = rssKb(mcp.pid);
        const run = await mcpLoad({ url: mcp.url, token: mcp.token, n, callsPerClient }, async () => {
          rssOpenKb = rssKb(mcp.pid);
          kernelsDuring = (await kernelsOn(settings)).length;
        });
        // Sessions ended (DELETE): their kernels are deleted on the server while the MCP server keeps running.
        kernelsAfter = await waitFor(
          'the sessions’ kernels to be deleted',
          async () => {
            const left = (await kernelsOn(settings)).length;
            return left === 0 ? 0 : undefined;
          },
          120_000,
        ).catch(async () => (await kernelsOn(settings)).length);
        progress(`N = ${n}: raw clients`);
        const raw = await rawLoad(settings, { n, callsPerClient });
        rows.push({
          n,
          mcp: run,
          raw,
          rssIdleKb,
          rssPerSessionKb: (rssOpenKb - rssIdleKb) / n,
          kernelsDuring,
          kernelsAfter,
        });
      } catch (err) {
        process.stderr.write(mcp.stderr());
        throw err;
      } finally {
        await mcp.stop();
      }
    }
  } finally {
    await server.stop();
  }
  const out = table(rows);
  process.stdout.write(`${out}\n`);
  for (const r of rows) {
    for (const line of [...r.mcp.crossTalk, ...r.raw.crossTalk]) {
      process.stdout.write(`cross-talk at N = ${r.n}: ${line}\n`);
    }
  }
  writeFileSync(
    path.join(__dirname, 'mcp-results.json'),
    `${JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, loadAverage: os.loadavg(), callsPerClient, rows }, (key, value: unknown) => (key === 'latenciesMs' ? undefined : value), 2)}\n`,
  );
  if (rows.some((r) => r.kernelsAfter !== 0 || r.mcp.crossTalk.length > 0 || r.raw.crossTalk.length > 0)) {
    process.exitCode = 1;
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
