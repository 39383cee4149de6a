import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yauzl from 'yauzl';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const TARGETS: Record<string, string> = {
  'linux-x64': 'linux/x64/node/glibc-',
  'linux-arm64': 'linux/arm64/node/glibc-',
  'alpine-x64': 'linux/x64/node/musl-',
  'alpine-arm64': 'linux/arm64/node/musl-',
  'darwin-x64': 'darwin/x64/node/libc-',
  'darwin-arm64': 'darwin/arm64/node/libc-',
  'win32-x64': 'win32/x64/node/msvc-',
  'win32-arm64': 'win32/arm64/node/msvc-',
};
const ADDON_DIR = 'extension/dist/node_modules/zeromq/build/';

/** Every file of a vsix (a zip), with its contents. */
function readVsix(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const files = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(files));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (streamErr, stream) => {
          if (streamErr) return reject(streamErr);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

const addons = (files: Map<string, Buffer>) => [...files.keys()].filter((f) => f.endsWith('.node'));

/**
 * `npm run package` for real (scripts/package.mjs into a temp folder): one vsix per VS Code target with exactly
 * its own zeromq addon, and a universal one without any. Sizes are bytes on disk, not timings.
 */
describe('npm run package: platform-specific packages', function () {
  this.timeout(180_000);
  let out: string;
  const vsix = new Map<string, Map<string, Buffer>>();

  before(async () => {
    out = mkdtempSync(path.join(os.tmpdir(), 'ki-packages-'));
    await new Promise<void>((resolve, reject) =>
      execFile(
        process.execPath,
        ['scripts/package.mjs', `--out=${out}`],
        { cwd: ROOT, timeout: 170_000 },
        (err, _stdout, stderr) => (err ? reject(new Error(`package failed: ${err.message}\n${stderr}`)) : resolve()),
      ),
    );
    for (const name of readdirSync(out)) vsix.set(name, await readVsix(path.join(out, name)));
  });
  after(() => rmSync(out, { recursive: true, force: true }));

  it('builds one vsix per target and a universal one, and nothing else', () => {
    const expected = [...Object.keys(TARGETS), 'universal'].map((t) => `kernel-islands-${t}.vsix`).sort();
    assert.deepEqual([...vsix.keys()].sort(), expected);
  });

  for (const [target, addonPrefix] of Object.entries(TARGETS)) {
    it(`${target}: exactly one addon, its own platform's, and a manifest naming only it`, () => {
      const files = vsix.get(`kernel-islands-${target}.vsix`)!;
      const found = addons(files);
      assert.equal(found.length, 1, `addons in ${target}: ${found.join(', ')}`);
      assert.ok(found[0]!.startsWith(ADDON_DIR + addonPrefix), found[0]);
      const manifest = JSON.parse(files.get(`${ADDON_DIR}manifest.json`)!.toString()) as Record<string, string>;
      assert.deepEqual(Object.values(manifest), [found[0]!.slice(ADDON_DIR.length)]);
      const vsixManifest = files.get('extension.vsixmanifest')!.toString();
      assert.match(vsixManifest, new RegExp(`TargetPlatform="${target}"`));
    });
  }

  it('the universal package has no addon and no zeromq, and names no target platform', () => {
    const files = vsix.get('kernel-islands-universal.vsix')!;
    assert.deepEqual(addons(files), []);
    assert.deepEqual(
      [...files.keys()].filter((f) => f.includes('node_modules/')),
      [],
    );
    assert.doesNotMatch(files.get('extension.vsixmanifest')!.toString(), /TargetPlatform=/);
  });

  it('every package carries the extension, its lazy bundles, the parser and grammars, the launcher and the webview scripts, and no source map', () => {
    for (const [name, files] of vsix) {
      for (const needed of [
        'extension/dist/extension.js',
        'extension/dist/jupyterlab-services.js',
        'extension/dist/mcp-host.js',
        'extension/dist/mcp.js',
        'extension/dist/launcher.py',
        'extension/dist/launcher_log.py',
        'extension/dist/server_patches.py',
        'extension/dist/server_lifeline.py',
        'extension/dist/kernel_routes.py',
        'extension/dist/kernel_sandbox.py',
        'extension/dist/web-tree-sitter.js',
        'extension/dist/web-tree-sitter.wasm',
        'extension/dist/grammars/tree-sitter-python.wasm',
        'extension/dist/grammars/tree-sitter-r.wasm',
        'extension/media/dist/results.js',
        'extension/media/dist/dataViewer.js',
        'extension/package.json',
      ]) {
        assert.ok(files.has(needed), `${name} lacks ${needed}`);
      }
      assert.deepEqual(
        [...files.keys()].filter((f) => f.endsWith('.map')),
        [],
        name,
      );
    }
  });

  it('the linux-x64 package is at most 2 MB', () => {
    const size = statSync(path.join(out, 'kernel-islands-linux-x64.vsix')).size;
    assert.ok(size <= 2 * 1024 * 1024, `linux-x64 vsix is ${size} bytes`);
  });

  it("this machine's package loads its one zeromq addon through zeromq's own loader", function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    const files = vsix.get('kernel-islands-linux-x64.vsix')!;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ki-vsix-'));
    try {
      for (const [name, data] of files) {
        if (!name.startsWith('extension/dist/node_modules/')) continue;
        const to = path.join(dir, name);
        mkdirSync(path.dirname(to), { recursive: true });
        writeFileSync(to, data);
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const zeromq = require(path.join(dir, 'extension', 'dist', 'node_modules', 'zeromq')) as {
        Dealer?: unknown;
      };
      assert.equal(typeof zeromq.Dealer, 'function');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
