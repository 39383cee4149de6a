// Which of zeromq's prebuilt native addons a package carries, and copying exactly that one into a bundle folder.
//
// zeromq ships ~14 prebuilt addons (every OS, CPU, C library and Node ABI it supports), 20 MB in all. A VS Code
// platform-specific package (vsce --target) needs one: the one zeromq's own loader (cmake-ts) would try first on
// that platform, the highest Node ABI built for it. Its builds use Node-API, so a build for a newer Node ABI loads in
// older hosts too (checked here: linux/x64 glibc-127 loads in Node 20 and Node 24, while glibc-115 and glibc-72 need
// a newer glibc than Debian 12 has). A universal package carries none, and the extension talks to kernels through
// the Jupyter Server's websocket instead (src/kernels/zmq/loadZeromq.ts).
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** VS Code's target names (vsce --target) for which zeromq has a prebuilt addon, and what that target runs on. */
export const TARGETS = {
  'linux-x64': { os: 'linux', arch: 'x64', libc: 'glibc' },
  'linux-arm64': { os: 'linux', arch: 'arm64', libc: 'glibc' },
  'alpine-x64': { os: 'linux', arch: 'x64', libc: 'musl' },
  'alpine-arm64': { os: 'linux', arch: 'arm64', libc: 'musl' },
  'darwin-x64': { os: 'darwin', arch: 'x64', libc: 'libc' },
  'darwin-arm64': { os: 'darwin', arch: 'arm64', libc: 'libc' },
  'win32-x64': { os: 'win32', arch: 'x64', libc: 'msvc' },
  'win32-arm64': { os: 'win32', arch: 'arm64', libc: 'msvc' },
};

/** The universal package: no addon; kernels are reached through the server's websocket. */
export const UNIVERSAL = 'universal';

/** The VS Code target of the machine this runs on, or UNIVERSAL when zeromq has no addon for it. */
export function hostTarget() {
  const libc =
    process.platform === 'linux'
      ? existsSync('/etc/alpine-release')
        ? 'musl'
        : 'glibc'
      : process.platform === 'darwin'
        ? 'libc'
        : 'msvc';
  const found = Object.entries(TARGETS).find(
    ([, t]) => t.os === process.platform && t.arch === process.arch && t.libc === libc,
  );
  return found ? found[0] : UNIVERSAL;
}

/** zeromq's build manifest: [config, addon path relative to build/ with forward slashes]. */
function readManifest(zeromqDir) {
  const manifest = JSON.parse(readFileSync(path.join(zeromqDir, 'build', 'manifest.json'), 'utf8'));
  return Object.entries(manifest).map(([key, file]) => [key, JSON.parse(key), file.replaceAll('\\', '/')]);
}

/**
 * The one addon for `target`: the manifest entry zeromq's loader tries first there (highest ABI).
 * @returns {{ key: string, file: string }}
 */
export function addonFor(zeromqDir, target) {
  const want = TARGETS[target];
  if (!want) throw new Error(`no zeromq addon target "${target}"; known: ${Object.keys(TARGETS).join(', ')}`);
  const candidates = readManifest(zeromqDir)
    .filter(([, c]) => c.os === want.os && c.arch === want.arch && c.libc === want.libc)
    .sort(([, a], [, b]) => (b.abi ?? 0) - (a.abi ?? 0));
  if (candidates.length === 0) throw new Error(`zeromq has no prebuilt addon for ${target}`);
  const [key, , file] = candidates[0];
  return { key, file };
}

/**
 * Copies what `require('zeromq')` loads at run time into `<outdir>/node_modules`, where Node finds it from
 * `<outdir>/extension.js`: zeromq's JavaScript, the one addon for `target` with a manifest naming only it, and the
 * addon loader it requires (cmake-ts/build/loader.js). For UNIVERSAL it removes nothing and copies nothing: the
 * caller gives a folder without node_modules.
 */
export function copyZeromq(outdir, target, nodeModules = 'node_modules') {
  if (target === UNIVERSAL) return;
  const from = (pkg) => path.join(nodeModules, pkg);
  const to = (pkg) => path.join(outdir, 'node_modules', pkg);
  const { key, file } = addonFor(from('zeromq'), target);
  mkdirSync(path.join(to('zeromq'), 'lib'), { recursive: true });
  for (const name of ['package.json', 'LICENSE.txt', 'LICENSE_MPL-2.0.txt']) {
    copyFileSync(path.join(from('zeromq'), name), path.join(to('zeromq'), name));
  }
  for (const name of readdirSync(path.join(from('zeromq'), 'lib'))) {
    if (name.endsWith('.js'))
      copyFileSync(path.join(from('zeromq'), 'lib', name), path.join(to('zeromq'), 'lib', name));
  }
  const addonTo = path.join(to('zeromq'), 'build', ...file.split('/'));
  mkdirSync(path.dirname(addonTo), { recursive: true });
  cpSync(path.join(from('zeromq'), 'build', ...file.split('/')), addonTo);
  writeFileSync(path.join(to('zeromq'), 'build', 'manifest.json'), JSON.stringify({ [key]: file }));
  mkdirSync(path.join(to('cmake-ts'), 'build'), { recursive: true });
  copyFileSync(path.join(from('cmake-ts'), 'package.json'), path.join(to('cmake-ts'), 'package.json'));
  copyFileSync(path.join(from('cmake-ts'), 'build', 'loader.js'), path.join(to('cmake-ts'), 'build', 'loader.js'));
}
