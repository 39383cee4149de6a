import * as assert from 'node:assert/strict';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import type { ContextSpec } from '../../../src/kernels/types';
import { FakeFactory, type FakeSession } from '../kernels/fakes';
import { FakeTimer } from '../fakeTimer';
import { VariablesView } from '../../../src/ui/variables/variablesView';
import { vscodeDouble } from '../withVscodeDouble';

const spec = (id: string): ContextSpec => ({ id, kind: 'named', label: id });

/** The silent inspection queries a fake kernel received (user expressions on an empty, silent run). */
function queries(session: FakeSession): number {
  return session.runs.filter((r) => r.options.silent && r.options.userExpressions).length;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Variables view (ui/variables/variablesView)', () => {
  it('lists after each run once the kernel is idle, never while busy, and follows the active editor', async () => {
    const factory = new FakeFactory();
    const registry = new ContextRegistry({ factory, timer: new FakeTimer() });
    let active = spec('a');
    const view = new VariablesView(registry, { active: () => active } as never, () => undefined);
    try {
      await registry.execute(spec('a'), 'x = 1');
      await tick();
      const [a] = factory.started;
      assert.equal(queries(a), 1, 'listed once after the run');

      a.manual = true;
      const slow = registry.execute(spec('a'), 'slow()');
      await tick();
      assert.equal(queries(a), 1, 'nothing asked while the run is in the kernel');
      a.setState('busy');
      a.setState('idle');
      await tick();
      assert.equal(queries(a), 1, 'a state change alone asks nothing while the run is queued');
      a.answerNext();
      await slow;
      await tick();
      assert.equal(queries(a), 2, 'listed again after that run ended');

      const first = registry.execute(spec('a'), 'one()');
      const second = registry.execute(spec('a'), 'two()');
      await tick();
      a.answerNext();
      await first;
      await tick();
      assert.equal(queries(a), 2, 'the first run ended, but the second is in the kernel: nothing asked');
      a.answerNext();
      await second;
      await tick();
      assert.equal(queries(a), 3, 'listed once the queue is empty');

      a.manual = false;
      await registry.execute(spec('b'), 'x = 2');
      await tick();
      const [, b] = factory.started;
      assert.equal(queries(b), 0, 'b is not the active editor');
      active = spec('b');
      vscodeDouble.events.activeTextEditor.fire(undefined);
      await tick();
      assert.equal(queries(b), 1, 'switching to b lists b');
      assert.equal(view.activeContext?.id, 'b');
      assert.equal(queries(a), 3, 'and asks a nothing');
    } finally {
      view.dispose();
      await registry.disposeAsync();
    }
  });
});
