import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { ActivationSample } from '../../../bench/p5Install';
import { packagedGrammarFiles } from '../../../src/workbench/syntaxTrees';

const ROOT = path.resolve(__dirname, '..', '..', '..');

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd: ROOT, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}

/**
 * The packaged bundle, loaded and activated in a fresh Node process with the bench's stub `vscode`: what it
 * requires on the way is what a host pays for at activation. Structural, not timed (timing is `npm run bench`).
 */
describe('packaged bundle: what activation loads', function () {
  this.timeout(60_000);
  let dir: string;
  let dist: string;
  let sample: ActivationSample;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ki-lazy-load-'));
    dist = path.join(dir, 'ext', 'dist');
    await run(process.execPath, ['esbuild.mjs', '--production', '--extension-only', `--outdir=${dist}`]);
    const harness = path.join(dir, 'harness.js');
    await build({
      entryPoints: [path.join(ROOT, 'bench', 'activationHarness.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: harness,
      logLevel: 'error',
    });
    const out = await run(process.execPath, [harness, path.join(dist, 'extension.js')]);
    sample = JSON.parse(out.trim().split('\n').pop() ?? '') as ActivationSample;
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('activates through the stub vscode and starts no process', () => {
    assert.ok(sample.required.includes('vscode'), 'the require hook saw the bundle load vscode');
    assert.ok(sample.subscriptions > 0, 'activate registered its commands and views');
    assert.deepEqual(sample.children, []);
  });

  it('does not load @jupyterlab/services, web-tree-sitter, the MCP server (with its SDK), zeromq or the Node modules only a server start needs', () => {
    const deferred = [
      './jupyterlab-services.js',
      './web-tree-sitter.js',
      './mcp-host.js',
      'zeromq',
      'node:child_process',
      'node:net',
      'node:crypto',
      'crypto',
    ];
    for (const name of deferred) {
      assert.ok(!sample.required.includes(name), `${name} was required during activation`);
    }
  });

  it('ships @jupyterlab/services apart, complete, next to extension.js', () => {
    assert.ok(readdirSync(dist).includes('jupyterlab-services.js'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built file, as the bundle loads it
    const services = require(path.join(dist, 'jupyterlab-services.js')) as typeof import('@jupyterlab/services');
    assert.equal(typeof services.KernelAPI.startNew, 'function');
    assert.equal(typeof services.ServerConnection.makeSettings, 'function');
    assert.equal(typeof services.KernelConnection, 'function');
  });

  it('ships web-tree-sitter apart, with its runtime and the Python and R grammars, and they parse', async () => {
    const files = packagedGrammarFiles(dist);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built file, as the bundle loads it
    const ts = require(path.join(dist, 'web-tree-sitter.js')) as typeof import('web-tree-sitter');
    await ts.Parser.init({ locateFile: () => files.runtime });
    const parser = new ts.Parser();
    try {
      const parsed: Record<string, string> = {};
      for (const [language, code] of [
        ['python', '@dec\ndef f():\n    pass\n'],
        ['r', 'f <- function(x) {\n  x\n}\n'],
      ] as const) {
        parser.setLanguage(await ts.Language.load(files.grammar[language]));
        const tree = parser.parse(code);
        parsed[language] = `${tree?.rootNode.child(0)?.type}:${tree?.rootNode.hasError}`;
        tree?.delete();
      }
      assert.deepEqual(parsed, { python: 'decorated_definition:false', r: 'binary_operator:false' });
    } finally {
      parser.delete();
    }
  });

  it('ships the in-VS-Code MCP server apart, next to extension.js, and keeps the MCP SDK out of extension.js', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built file, as the bundle loads it
    const mcpHost = require(path.join(dist, 'mcp-host.js')) as typeof import('../../../src/mcp/inHostServer');
    assert.equal(typeof mcpHost.startInHostMcpServer, 'function');
    const extension = readFileSync(path.join(dist, 'extension.js'), 'utf8');
    assert.ok(extension.includes('./mcp-host.js'), 'extension.js requires the MCP server by its file');
    assert.ok(!extension.includes('Mcp-Session-Id'), "the SDK's Streamable HTTP transport is not in extension.js");
  });
});
