/** Activation: the API comes back, and activating alone starts no Python (kernels start on first use). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { PRODUCT_ID, getApi, pythonDescendants } from './util';

/** Long enough for anything activation kicks off in the background to have spawned its process. */
const SETTLE_MS = 2_000;

export function activationTests(): void {
  suite('activation', () => {
    test('activates and returns the API', async () => {
      const api = await getApi();
      assert.equal(vscode.extensions.getExtension(PRODUCT_ID)?.isActive, true);
      for (const method of ['execute', 'contexts', 'interrupt', 'restart', 'shutdown'] as const) {
        assert.equal(typeof api[method], 'function', `api.${method} should be a function`);
      }
      assert.ok(Array.isArray(api.contexts()), 'contexts() should return an array');
    });

    test('activation starts no Python process', async () => {
      await getApi();
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      // The API suite checks that this same probe does see the server once code has run.
      assert.deepEqual(await pythonDescendants(), []);
    });
  });
}
