import * as assert from 'node:assert/strict';
import { Settings } from '../../../src/workbench/settings';
import { configure, declared, recordingLog } from './settingsDouble';

describe('agent settings (workbench/settings)', () => {
  const savedEnv = { ...process.env };

  beforeEach(() => {
    configure({});
  });

  afterEach(() => {
    for (const name of Object.keys(process.env)) {
      if (!(name in savedEnv)) {
        delete process.env[name];
      }
    }
    Object.assign(process.env, savedEnv);
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
    configure({
      'agents.sandbox': false,
      'agents.network': true,
      'agents.memoryMb': 1024.7,
      'agents.runTimeoutSeconds': 0,
    });
    const log = recordingLog();
    const settings = new Settings(log);
    const options = settings.agentSandbox([]);
    assert.equal(options.enabled, false);
    assert.equal(options.profile.network, true);
    assert.equal(options.profile.memoryMb, 1024, 'the launcher takes whole MB only');
    assert.equal(settings.agentLimits().runTimeoutSeconds, 0);
    configure({ 'agents.memoryMb': 0, 'agents.runTimeoutSeconds': 12.5 });
    assert.equal(settings.agentSandbox([]).profile.memoryMb, 0, '0: no limit');
    assert.equal(settings.agentLimits().runTimeoutSeconds, 12.5);
    assert.deepEqual(log.warnings, []);
  });

  it('falls back to the defaults on invalid values, with one warning per setting', () => {
    configure({
      'agents.sandbox': 'off',
      'agents.network': 1,
      'agents.memoryMb': -1,
      'agents.runTimeoutSeconds': Number.POSITIVE_INFINITY,
      'agents.env': 'HOME',
    });
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
    configure({ 'agents.env': ['KI_TEST_A', 42] });
    process.env.KI_TEST_A = 'a';
    assert.deepEqual(new Settings(recordingLog()).agentSandbox([]).profile.env, {});
  });

  it('passes the named variables with their values, and leaves out unset ones', () => {
    configure({ 'agents.env': ['KI_TEST_A', 'KI_TEST_UNSET', 'KI_TEST_EMPTY'] });
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
    configure({ 'agents.env': [...withheld, 'KI_TEST_KEPT'] });
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
