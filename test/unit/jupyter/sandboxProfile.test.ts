import * as assert from 'node:assert/strict';
import { environmentKernelName, pythonOfKernelName } from '../../../src/python/pythonEnvironment';
import {
  baseKernelName,
  sandboxedKernelName,
  sandboxOfKernelName,
  sandboxProfileId,
  type SandboxProfile,
} from '../../../src/jupyter/sandboxProfile';

const profile = (overrides: Partial<SandboxProfile> = {}): SandboxProfile => ({
  readOnly: ['/w/project', '/w/data'],
  network: false,
  memoryMb: 4096,
  env: { HF_HOME: '/cache/hf', OMP_NUM_THREADS: '2' },
  ...overrides,
});

describe('sandboxProfileId', () => {
  it('is 12 lowercase hex digits, the same on every call for the same profile', () => {
    const id = sandboxProfileId(profile());
    assert.match(id, /^[0-9a-f]{12}$/);
    assert.equal(sandboxProfileId(profile()), id);
  });

  it('does not depend on the order of the read-only paths or of the env keys', () => {
    const a = profile({ readOnly: ['/w/project', '/w/data'], env: { HF_HOME: '/cache/hf', OMP_NUM_THREADS: '2' } });
    const b = profile({ readOnly: ['/w/data', '/w/project'], env: { OMP_NUM_THREADS: '2', HF_HOME: '/cache/hf' } });
    assert.deepEqual(Object.keys(b.env), ['OMP_NUM_THREADS', 'HF_HOME'], 'the keys really are in another order');
    assert.equal(sandboxProfileId(b), sandboxProfileId(a));
  });

  it('gives the same id to spellings of the same path', () => {
    assert.equal(
      sandboxProfileId(profile({ readOnly: ['/w/./project', '/w/x/../data'] })),
      sandboxProfileId(profile()),
    );
  });

  it('does not sort the caller’s read-only list in place', () => {
    const readOnly = ['/z', '/a'];
    sandboxProfileId(profile({ readOnly }));
    assert.deepEqual(readOnly, ['/z', '/a']);
  });

  describe('changes with anything the sandbox is built from', () => {
    const base = sandboxProfileId(profile());
    const rows: Array<[string, Partial<SandboxProfile>]> = [
      ['network on', { network: true }],
      ['another memory limit', { memoryMb: 512 }],
      ['no memory limit', { memoryMb: 0 }],
      ['another env value', { env: { HF_HOME: '/cache/other', OMP_NUM_THREADS: '2' } }],
      ['an env variable less', { env: { HF_HOME: '/cache/hf' } }],
      ['an env variable renamed', { env: { HF_HOME: '/cache/hf', MKL_NUM_THREADS: '2' } }],
      ['another read-only path', { readOnly: ['/w/project', '/w/other'] }],
      ['a read-only path less', { readOnly: ['/w/project'] }],
      ['a read-only path more', { readOnly: ['/w/project', '/w/data', '/opt/models'] }],
    ];
    for (const [what, overrides] of rows) {
      it(what, () => {
        const id = sandboxProfileId(profile(overrides));
        assert.match(id, /^[0-9a-f]{12}$/);
        assert.notEqual(id, base);
      });
    }
  });
});

describe('sandboxed kernel names', () => {
  const id = sandboxProfileId(profile());

  const roundTrips: Array<[string, string]> = [
    ['a plain kernelspec', 'python3'],
    ['a kernelspec whose name has dashes', 'conda-env-my-env-py'],
    ['a name that looks like an id itself', 'ki-sbx-x'],
  ];
  for (const [what, base] of roundTrips) {
    it(`round trip: ${what} (${base})`, () => {
      const name = sandboxedKernelName(base, id);
      assert.equal(name, `ki-sbx-${id}-${base}`);
      assert.deepEqual(sandboxOfKernelName(name), { profileId: id, baseKernelName: base });
      assert.equal(baseKernelName(name), base);
    });
  }

  it('round trip: a project environment kernel (ki-env-<hex>) keeps its interpreter', () => {
    const python = '/home/u/my-project/.venv/bin/python';
    const env = environmentKernelName(python);
    assert.match(env, /^ki-env-[0-9a-f]+$/);
    const name = sandboxedKernelName(env, id);
    assert.deepEqual(sandboxOfKernelName(name), { profileId: id, baseKernelName: env });
    assert.equal(pythonOfKernelName(baseKernelName(name)), python);
  });

  it('a sandboxed name of a sandboxed name parses to the outer profile', () => {
    const other = sandboxProfileId(profile({ network: true }));
    const inner = sandboxedKernelName('python3', id);
    assert.deepEqual(sandboxOfKernelName(sandboxedKernelName(inner, other)), {
      profileId: other,
      baseKernelName: inner,
    });
  });

  const notSandboxed: Array<[string, string]> = [
    ['a plain kernelspec', 'python3'],
    ['an environment kernel', environmentKernelName('/usr/bin/python3')],
    ['an id of 11 digits', 'ki-sbx-0123456789a-python3'],
    ['an id of 13 digits', 'ki-sbx-0123456789abc-python3'],
    ['an id of 3 digits', 'ki-sbx-abc-python3'],
    ['an uppercase id', 'ki-sbx-0123456789AB-python3'],
    ['an id that is not hex', 'ki-sbx-0123456789ag-python3'],
    ['no base kernel name', 'ki-sbx-0123456789ab-'],
    ['no base kernel name nor dash', 'ki-sbx-0123456789ab'],
    ['the prefix not at the start', 'x-ki-sbx-0123456789ab-python3'],
    ['another prefix', 'ki-sbox-0123456789ab-python3'],
    ['an empty name', ''],
  ];
  for (const [what, name] of notSandboxed) {
    it(`does not parse ${what}: "${name}"`, () => {
      assert.equal(sandboxOfKernelName(name), undefined);
      assert.equal(baseKernelName(name), name, 'the name is its own base');
    });
  }

  it('undefined is no sandboxed name', () => {
    assert.equal(sandboxOfKernelName(undefined), undefined);
  });
});
