/** The exported API: string contexts are isolated islands, listed by contexts(), and shut down one at a time. */
import * as assert from 'node:assert/strict';
import type { KernelIslandsApi } from '../../types/kernel-islands';
import { findContext, getApi, plainText, pythonDescendants, shutdownIfLive } from './util';

/**
 * Each test names its own contexts (`agent:api-<test>-a`, …) and sets up the state it reads, so the tests pass in
 * any order and alone (KI_E2E_GREP); each shuts its contexts down after itself.
 */
export function apiTests(): void {
  suite('exported API', () => {
    let api: KernelIslandsApi;
    const used: string[] = [];

    /** A fresh context id for one test, shut down after it. */
    function context(name: string): string {
      const id = `agent:api-${name}`;
      used.push(id);
      return id;
    }

    suiteSetup(async () => {
      api = await getApi();
    });

    teardown(async () => {
      for (const id of used.splice(0)) {
        await shutdownIfLive(api, id);
      }
    });

    test('two string contexts hold different state', async () => {
      const [a, b] = [context('state-a'), context('state-b')];
      const [setA, setB] = await Promise.all([api.execute(a, 'v = "from a"'), api.execute(b, 'v = "from b"')]);
      assert.equal(setA.status, 'ok');
      assert.equal(setB.status, 'ok');
      assert.equal(plainText(await api.execute(a, 'v')), "'from a'");
      assert.equal(plainText(await api.execute(b, 'v')), "'from b'");
    });

    test('execute reports outputs, counts and errors', async () => {
      const a = context('outputs');
      const printed = await api.execute(a, 'print(6 * 7)');
      assert.equal(printed.status, 'ok');
      assert.equal(typeof printed.executionCount, 'number');
      assert.deepEqual(
        printed.outputs.map((o) => o.output_type),
        ['stream'],
      );
      assert.equal(plainText(printed), '42');

      const failed = await api.execute(a, '1 / 0');
      assert.equal(failed.status, 'error');
      const error = failed.outputs.find((o) => o.output_type === 'error');
      assert.ok(error && error.output_type === 'error', 'an error output is expected');
      assert.equal(error.ename, 'ZeroDivisionError');
    });

    test('contexts() lists both contexts with their own kernels', async () => {
      const [a, b] = [context('listed-a'), context('listed-b')];
      await Promise.all([api.execute(a, 'pass'), api.execute(b, 'pass')]);
      const listed = api.contexts().filter((c) => c.id === a || c.id === b);
      assert.deepEqual(listed.map((c) => c.id).sort(), [a, b]);
      for (const c of listed) {
        assert.ok(c.kernelId, `${c.id} should have a kernel id`);
        assert.equal(c.kernelName, 'python3');
      }
      assert.notEqual(listed[0].kernelId, listed[1].kernelId, 'each context needs its own kernel');
    });

    test('the Jupyter processes are children of this extension host', async () => {
      // Proves the probe used by the activation test can see the server when there is one.
      await api.execute(context('processes'), 'pass');
      assert.notDeepEqual(await pythonDescendants(), []);
    });

    test('shutdown forgets one context and leaves the other intact', async () => {
      const [a, b] = [context('shutdown-a'), context('shutdown-b')];
      await Promise.all([api.execute(a, 'v = "from a"'), api.execute(b, 'v = "from b"')]);
      await api.shutdown(a);
      assert.equal(findContext(api, a), undefined, `${a} should be gone from contexts()`);
      assert.equal(plainText(await api.execute(b, 'v')), "'from b'");

      // Naming the context again gives a fresh kernel without the old state.
      const again = await api.execute(a, 'v');
      assert.equal(again.status, 'error');
      assert.match(plainText(again), /NameError/);
    });
  });
}
