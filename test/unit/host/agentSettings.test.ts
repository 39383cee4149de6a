import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../../src/common/log';
import { requireWithVscodeStub } from '../withVscodeStub';

/** The user's `kernelIslands.*` settings, by key without the section; unset keys are absent. */
let configured: Record<string, unknown> = {};

const vscodeStub = {
  workspace: {
    getConfiguration: (section: string) => {
      assert.equal(section, 'kernelIslands');
      return { get: (key: string) => configured[key] };
    },
  },
};

const { Settings } = requireWithVscodeStub<typeof import('../../../src/host/settings')>(
  require.resolve('../../../src/host/settings'),
  vscodeStub,
);

type Setting = { type?: string; default?: unknown; minimum?: number; markdownDescription?: string };
const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Setting> } | { properties: Record<string, Setting> }[] };
};
const declared: Record<string, Setting> = Object.assign(
  {},
  ...[manifest.contributes.configuration].flat().map((s) => s.properties),
);

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined };
}

/** What each `kernelIslands.agents.*` setting reads as, through the Settings method that reads it. */
const readers: Record<string, (s: InstanceType<typeof Settings>) => unknown> = {
  'kernelIslands.agents.idleShutdownMinutes': (s) => s.agentLimits().idleShutdownMinutes,
  'kernelIslands.agents.maxContexts': (s) => s.agentLimits().maxContexts,
  'kernelIslands.agents.runTimeoutSeconds': (s) => s.agentLimits().runTimeoutSeconds,
  'kernelIslands.agents.sandbox': (s) => s.agentSandbox([]).enabled,
  'kernelIslands.agents.network': (s) => s.agentSandbox([]).profile.network,
  'kernelIslands.agents.env': (s) => Object.keys(s.agentSandbox([]).profile.env),
  'kernelIslands.agents.memoryMb': (s) => s.agentSandbox([]).profile.memoryMb,
};

describe('agent settings (host/settings)', () => {
  const savedEnv = { ...process.env };

  beforeEach(() => {
    configured = {};
  });

  afterEach(() => {
    for (const name of Object.keys(process.env)) {
      if (!(name in savedEnv)) {
        delete process.env[name];
      }
    }
    Object.assign(process.env, savedEnv);
  });

  it('reads every kernelIslands.agents.* setting package.json declares, with the default it declares', () => {
    const agentKeys = Object.keys(declared).filter((k) => k.startsWith('kernelIslands.agents.'));
    assert.deepEqual(
      agentKeys.sort(),
      Object.keys(readers).sort(),
      'a setting without a reader, or a reader without a setting',
    );
    const settings = new Settings(recordingLog());
    for (const key of agentKeys) {
      assert.deepEqual(readers[key](settings), declared[key].default, key);
    }
  });

  it('declares each new setting with a description, and the number ones with a minimum of 0', () => {
    for (const key of ['sandbox', 'network', 'env', 'memoryMb', 'runTimeoutSeconds']) {
      const setting = declared[`kernelIslands.agents.${key}`];
      assert.ok(setting?.markdownDescription, `${key} has a description`);
      if (setting.type === 'number') {
        assert.equal(setting.minimum, 0, key);
      }
    }
  });

  it('unset: the sandbox is on, without network, with 4096 MB, no variables, a 600 s run limit', () => {
    const log = recordingLog();
    const settings = new Settings(log);
    assert.deepEqual(settings.agentSandbox(['/work/a', '/work/b']), {
      enabled: true,
      offSwitch: '"kernelIslands.agents.sandbox": false in your settings',
      profile: { readOnly: ['/work/a', '/work/b'], network: false, memoryMb: 4096, env: {} },
    });
    assert.deepEqual(settings.agentLimits(), { idleShutdownMinutes: 30, maxContexts: 8, runTimeoutSeconds: 600 });
    assert.deepEqual(log.warnings, []);
  });

  it('uses valid values: the sandbox off, the network on, a whole number of MB, a run limit of 0', () => {
    configured = {
      'agents.sandbox': false,
      'agents.network': true,
      'agents.memoryMb': 1024.7,
      'agents.runTimeoutSeconds': 0,
    };
    const log = recordingLog();
    const settings = new Settings(log);
    const options = settings.agentSandbox([]);
    assert.equal(options.enabled, false);
    assert.equal(options.profile.network, true);
    assert.equal(options.profile.memoryMb, 1024, 'the launcher takes whole MB only');
    assert.equal(settings.agentLimits().runTimeoutSeconds, 0);
    configured = { 'agents.memoryMb': 0, 'agents.runTimeoutSeconds': 12.5 };
    assert.equal(settings.agentSandbox([]).profile.memoryMb, 0, '0: no limit');
    assert.equal(settings.agentLimits().runTimeoutSeconds, 12.5);
    assert.deepEqual(log.warnings, []);
  });

  it('falls back to the defaults on invalid values, with one warning per setting', () => {
    configured = {
      'agents.sandbox': 'off',
      'agents.network': 1,
      'agents.memoryMb': -1,
      'agents.runTimeoutSeconds': Number.POSITIVE_INFINITY,
      'agents.env': 'HOME',
    };
    process.env.HOME = '/home/someone';
    const log = recordingLog();
    const settings = new Settings(log);
    const options = settings.agentSandbox([]);
    assert.equal(options.enabled, true, 'a malformed value never switches the sandbox off');
    assert.equal(options.profile.network, false);
    assert.equal(options.profile.memoryMb, 4096);
    assert.deepEqual(options.profile.env, {});
    assert.equal(settings.agentLimits().runTimeoutSeconds, 600);
    settings.agentSandbox([]);
    settings.agentLimits();
    assert.equal(log.warnings.length, 5, log.warnings.join('\n'));
    for (const key of ['sandbox', 'network', 'memoryMb', 'runTimeoutSeconds', 'env']) {
      assert.ok(
        log.warnings.some((w) => w.includes(`kernelIslands.agents.${key} has an invalid value`)),
        `a warning for ${key}`,
      );
    }
  });

  it('ignores an env list with a non-string entry', () => {
    configured = { 'agents.env': ['KI_TEST_A', 42] };
    process.env.KI_TEST_A = 'a';
    assert.deepEqual(new Settings(recordingLog()).agentSandbox([]).profile.env, {});
  });

  it('passes the named variables with their values, and leaves out unset ones', () => {
    configured = { 'agents.env': ['KI_TEST_A', 'KI_TEST_UNSET', 'KI_TEST_EMPTY'] };
    process.env.KI_TEST_A = 'value a';
    process.env.KI_TEST_EMPTY = '';
    delete process.env.KI_TEST_UNSET;
    assert.deepEqual(new Settings(recordingLog()).agentSandbox([]).profile.env, {
      KI_TEST_A: 'value a',
      KI_TEST_EMPTY: '',
    });
  });

  it('never passes our own variables or token-like ones, whatever the case, and says so once', () => {
    const withheld = ['KERNEL_ISLANDS_MCP_TOKEN', 'kernel_islands_other', 'JUPYTER_TOKEN', 'GITHUB_TOKEN', 'hf_token'];
    for (const name of withheld) {
      process.env[name] = 'secret';
    }
    process.env.KI_TEST_KEPT = 'kept';
    configured = { 'agents.env': [...withheld, 'KI_TEST_KEPT'] };
    const log = recordingLog();
    const settings = new Settings(log);
    assert.deepEqual(settings.agentSandbox([]).profile.env, { KI_TEST_KEPT: 'kept' });
    settings.agentSandbox([]);
    assert.equal(log.warnings.length, withheld.length, log.warnings.join('\n'));
    for (const name of withheld) {
      assert.ok(
        log.warnings.some((w) => w.includes(name)),
        `the log names ${name}`,
      );
    }
  });

  it('gives the profile its own copy of the workspace folders', () => {
    const folders = ['/work/a'];
    const options = new Settings(recordingLog()).agentSandbox(folders);
    folders.push('/work/b');
    assert.deepEqual(options.profile.readOnly, ['/work/a']);
  });
});
