import * as assert from 'node:assert/strict';
import { CellQueue, type QueuedCell } from '../../../src/notebook/cellQueue';

/** A cell whose run the test resolves by hand; records what happened to it. */
class ManualCell implements QueuedCell {
  state: 'queued' | 'running' | 'ok' | 'failed' | 'skipped' = 'queued';
  private finish: ((ok: boolean) => void) | undefined;

  constructor(
    readonly name: string,
    private readonly log: string[],
  ) {}

  run(): Promise<boolean> {
    this.state = 'running';
    this.log.push(`run ${this.name}`);
    return new Promise((resolve) => (this.finish = resolve));
  }

  skip(): void {
    this.state = 'skipped';
    this.log.push(`skip ${this.name}`);
  }

  complete(ok: boolean): Promise<void> {
    assert.ok(this.finish, `${this.name} is not running`);
    this.state = ok ? 'ok' : 'failed';
    this.finish(ok);
    // Let the queue's loop take the next cell.
    return new Promise((resolve) => setImmediate(resolve));
  }
}

/** A cell that succeeds or fails as soon as it runs. */
function instant(name: string, ok: boolean, log: string[]): QueuedCell {
  return {
    run: async () => {
      log.push(`run ${name}`);
      return ok;
    },
    skip: () => log.push(`skip ${name}`),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('CellQueue', () => {
  let log: string[];
  let errors: unknown[];
  let queue: CellQueue;

  beforeEach(() => {
    log = [];
    errors = [];
    queue = new CellQueue((err) => errors.push(err));
  });

  it('runs one cell at a time, in order', async () => {
    const [a, b, c] = ['a', 'b', 'c'].map((n) => new ManualCell(n, log));
    queue.push(a, b, c);
    await settle();
    assert.deepEqual([a.state, b.state, c.state], ['running', 'queued', 'queued']);
    await a.complete(true);
    assert.deepEqual([b.state, c.state], ['running', 'queued']);
    await b.complete(true);
    await c.complete(true);
    assert.deepEqual(log, ['run a', 'run b', 'run c']);
    assert.equal(queue.busy, false);
  });

  it('Run All of 50 cells: a failure at cell 10 skips the 40 behind it', async () => {
    const cells = Array.from({ length: 50 }, (_, i) => instant(`c${i + 1}`, i + 1 !== 10, log));
    queue.push(...cells);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(
      log.filter((l) => l.startsWith('run')),
      Array.from({ length: 10 }, (_, i) => `run c${i + 1}`),
    );
    assert.equal(log.filter((l) => l.startsWith('skip')).length, 40);
    assert.equal(log.at(-1), 'skip c50');
  });

  it('cells queued after a failure was handled run normally', async () => {
    const bad = new ManualCell('bad', log);
    queue.push(bad, new ManualCell('waiting', log));
    await settle();
    await bad.complete(false);
    const later = new ManualCell('later', log);
    queue.push(later);
    await settle();
    assert.equal(later.state, 'running');
    assert.deepEqual(log, ['run bad', 'skip waiting', 'run later']);
  });

  it('skipWaiting leaves the running cell alone', async () => {
    const running = new ManualCell('running', log);
    queue.push(running, new ManualCell('w1', log), new ManualCell('w2', log));
    await settle();
    assert.equal(queue.skipWaiting(), 2);
    assert.equal(running.state, 'running');
    await running.complete(true);
    assert.deepEqual(log, ['run running', 'skip w1', 'skip w2']);
  });

  it('a cell whose run throws counts as failed and is reported', async () => {
    const boom: QueuedCell = {
      run: () => Promise.reject(new Error('boom')),
      skip: () => log.push('skip boom'),
    };
    queue.push(boom, instant('next', true, log));
    await settle();
    await settle();
    assert.deepEqual(log, ['skip next']);
    assert.equal((errors[0] as Error).message, 'boom');
  });
});
