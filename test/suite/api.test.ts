/** The exported API: string contexts are isolated islands, listed by contexts(), and shut down one at a time. */
import * as assert from 'node:assert/strict';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { findContext, getApi, plainText, pythonDescendants, shutdownIfLive } from './util';

const A = 'agent:a';
const B = 'agent:b';

export function apiTests(): void {
  suite('exported API', () => {
    let api: KernelIslandsApi;

    suiteSetup(async () => {
      api = await getApi();
    });

    suiteTeardown(async () => {
      for (const id of [A, B]) {
        await shutdownIfLive(api, id);
      }
    });

    test('two string contexts hold different state', async () => {
      const [setA, setB] = await Promise.all([api.execute(A, 'v = "from a"'), api.execute(B, 'v = "from b"')]);
      assert.equal(setA.status, 'ok');
      assert.equal(setB.status, 'ok');
      assert.equal(plainText(await api.execute(A, 'v')), "'from a'");
      assert.equal(plainText(await api.execute(B, 'v')), "'from b'");
    });

    test('execute reports outputs, counts and errors', async () => {
      const printed = await api.execute(A, 'print(6 * 7)');
      assert.equal(printed.status, 'ok');
      assert.equal(typeof printed.executionCount, 'number');
      assert.deepEqual(
        printed.outputs.map((o) => o.output_type),
        ['stream'],
      );
      assert.equal(plainText(printed), '42');

      const failed = await api.execute(A, '1 / 0');
      assert.equal(failed.status, 'error');
      const error = failed.outputs.find((o) => o.output_type === 'error');
      assert.ok(error && error.output_type === 'error', 'an error output is expected');
      assert.equal(error.ename, 'ZeroDivisionError');
    });

    test('contexts() lists both contexts with their own kernels', () => {
      const listed = api.contexts().filter((c) => c.id === A || c.id === B);
      assert.deepEqual(listed.map((c) => c.id).sort(), [A, B]);
      for (const c of listed) {
        assert.ok(c.kernelId, `${c.id} should have a kernel id`);
        assert.equal(c.kernelName, 'python3');
      }
      assert.notEqual(listed[0].kernelId, listed[1].kernelId, 'each context needs its own kernel');
    });

    test('the Jupyter processes are children of this extension host', async () => {
      // Proves the probe used by the activation test can see the server when there is one.
      assert.notDeepEqual(await pythonDescendants(), []);
    });

    test('shutdown forgets one context and leaves the other intact', async () => {
      await api.shutdown(A);
      assert.equal(findContext(api, A), undefined, 'agent:a should be gone from contexts()');
      assert.equal(plainText(await api.execute(B, 'v')), "'from b'");

      // Naming the context again gives a fresh kernel without the old state.
      const again = await api.execute(A, 'v');
      assert.equal(again.status, 'error');
      assert.match(plainText(again), /NameError/);
    });
  });
}
