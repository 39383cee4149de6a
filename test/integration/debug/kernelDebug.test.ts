import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { KernelDebugBridge, type DebugTarget } from '../../../src/kernels/debug/debugBridge';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import type { ContextSpec, ExecutionResult } from '../../../src/kernels/types';
import { TEST_PYTHON, useTestServer } from '../fixtures/localServer';
import { kernelspecFolder, tempFolder, textOf } from '../kernels/helpers';
import { factoryWith, TRANSPORTS } from '../kernels/transports';
import { DapTestClient } from '../../shared/dapClient';

/** A user's file with two `# %%` cells; the second (lines 5–8) is the one debugged. */
const FILE_LINES = [
  'import math', // 1
  '# %%', // 2
  'before = 41', // 3
  '# %%', // 4
  'a = before + 1', // 5
  'b = a * 2', // 6
  'c = b + math.floor(0.5)', // 7
  'print("done", c)', // 8
];
const CELL = { firstLine: 5, code: FILE_LINES.slice(4).join('\n') };

/** A kernelspec whose ipykernel cannot import debugpy: an environment without it. */
const NO_DEBUGPY_ARGV = [
  TEST_PYTHON,
  '-c',
  'import sys; sys.modules["debugpy"] = None; from ipykernel import kernelapp; kernelapp.launch_new_instance()',
  '-f',
  '{connection_file}',
];

for (const transport of TRANSPORTS)
  describe(`Debugging in the context's own kernel over ${transport} (real server, real ipykernel)`, function () {
    this.timeout(120_000);
    const t = useTestServer({
      env: { ...process.env, JUPYTER_PATH: kernelspecFolder('nodebugpy', NO_DEBUGPY_ARGV) },
    });
    let registry: ContextRegistry;
    let folder: string;
    let file: string;

    beforeEach(() => {
      registry = new ContextRegistry({ factory: factoryWith(t.server, transport) });
      folder = tempFolder('debug');
      file = path.join(folder, 'analysis.py');
      writeFileSync(file, FILE_LINES.join('\n') + '\n');
    });
    afterEach(() => registry.dispose());

    /** A context that ran the file's first cells (what the debugged cell reads), with `before` set to `value`. */
    async function ranAbove(id: string, value = 41): Promise<ContextSpec> {
      const spec = specOf(id);
      const result = await registry.execute(spec, `import math\nbefore = ${value}`);
      assert.equal(result.status, 'ok', JSON.stringify(result.error));
      return spec;
    }

    function specOf(id: string, kernelName?: string): ContextSpec {
      return { id: `file://${file}#${id}`, kind: 'file', label: id, cwd: folder, file, kernelName };
    }

    function targetOf(spec: ContextSpec): DebugTarget & { runs: Array<Promise<ExecutionResult>> } {
      const runs: Array<Promise<ExecutionResult>> = [];
      return {
        runs,
        session: () => registry.getOrStart(spec),
        run: (code) => {
          const run = registry.execute(spec, code, { source: 'debug' });
          runs.push(run);
          return run;
        },
        interrupt: () => registry.interrupt(spec.id),
      };
    }

    /** A bridge for the debugged cell of `spec`'s file, and the editor's client of it. */
    function debugCell(spec: ContextSpec, code = CELL.code) {
      const target = targetOf(spec);
      const bridge = new KernelDebugBridge(target, { path: file, firstLine: CELL.firstLine, code });
      return { target, bridge, client: new DapTestClient(bridge) };
    }

    it('stops at the breakpoint on the file’s line, reads state, steps over, continues, and keeps the cell’s variables', async () => {
      const spec = await ranAbove('main');
      const { target, client } = debugCell(spec);
      await client.start(file, [6]);
      await client.event('stopped');
      const top = await client.topFrame();
      assert.deepEqual([top.path, top.line], [file, 6], 'the frame is the user’s file and line');
      assert.equal(await client.evaluate('a', top.id), '42', 'the line before ran');
      assert.equal(await client.evaluate('before', top.id), '41', 'state from before debugging is visible');
      const scopes = await client.ok('scopes', { frameId: top.id });
      const refs = (scopes.body?.scopes as Array<{ variablesReference: number }>).map((s) => s.variablesReference);
      const names = new Set<string>();
      for (const ref of refs) {
        const vars = await client.ok('variables', { variablesReference: ref });
        for (const v of vars.body?.variables as Array<{ name: string }>) names.add(v.name);
      }
      assert.ok(names.has('before') && names.has('a'), `variables list before and a: ${[...names].join(', ')}`);

      await client.ok('next', { threadId: top.threadId });
      await client.event('stopped', 2);
      const next = await client.topFrame();
      assert.deepEqual([next.path, next.line], [file, 7], 'step over moves to the next line of the file');

      await client.ok('continue', { threadId: top.threadId });
      await client.event('terminated');
      const result = await target.runs[0];
      assert.equal(result.status, 'ok');
      assert.equal(textOf(result), 'done 84\n', 'the run’s output is the normal run’s');
      const after = await registry.execute(spec, 'print(a, b, c)');
      assert.equal(textOf(after), '42 84 84\n', 'what the cell set stays in the kernel');
    });

    it('answers breakpoints outside the cell as unverified and inside it at the file’s lines', async () => {
      const spec = await ranAbove('bps');
      const { client } = debugCell(spec);
      await client.ok('initialize', {});
      await client.event('initialized');
      const reply = await client.ok('setBreakpoints', {
        source: { path: file },
        breakpoints: [{ line: 3 }, { line: 7 }],
      });
      const bps = reply.body?.breakpoints as Array<{ verified: boolean; line: number; source?: { path?: string } }>;
      assert.deepEqual(
        bps.map((b) => [b.verified, b.line, b.source?.path]),
        [
          [false, 3, file],
          [true, 7, file],
        ],
      );
      await client.ok('configurationDone');
      await client.event('stopped');
      assert.equal((await client.topFrame()).line, 7);
      await client.ok('disconnect', {});
    });

    it('keeps the lines of a cell that starts with blank and comment lines (IPython would drop the blanks)', async () => {
      const spec = await ranAbove('blank');
      const { target, client } = debugCell(spec, '\n\n# a comment\na = before + 1\nb = a * 2');
      await client.start(file, [9]); // the cell's 5th line, `b = a * 2`, at file line 5 + 4
      await client.event('stopped');
      const top = await client.topFrame();
      assert.deepEqual([top.path, top.line], [file, 9]);
      assert.equal(await client.evaluate('a', top.id), '42');
      await client.ok('continue', { threadId: top.threadId });
      assert.equal((await target.runs[0]).status, 'ok');
    });

    it('Stop while paused detaches and interrupts the run; the kernel and its state stay usable', async () => {
      const spec = await ranAbove('stop');
      // The kernel's own endless loop, stopped by the test's Stop: the code under test, not a wait of the test's.
      const loop = 'a = before + 1\nimport time\nwhile True:\n    time.sleep(0.05)';
      const { target, client } = debugCell(spec, loop);
      await client.start(file, [6]);
      await client.event('stopped');
      await client.ok('disconnect', { restart: false });
      const result = await target.runs[0];
      assert.equal(result.status, 'error');
      assert.equal(result.error?.ename, 'KeyboardInterrupt');
      const after = await registry.execute(spec, 'print(before, a)');
      assert.equal(after.status, 'ok', JSON.stringify(after.error));
      assert.equal(textOf(after), '41 42\n');
    });

    it('debugs two contexts at once, each paused in its own kernel with its own values', async () => {
      const [one, two] = await Promise.all([ranAbove('one', 1), ranAbove('two', 100)]);
      const d1 = debugCell(one);
      const d2 = debugCell(two);
      await Promise.all([d1.client.start(file, [6]), d2.client.start(file, [6])]);
      await Promise.all([d1.client.event('stopped'), d2.client.event('stopped')]);
      const [f1, f2] = await Promise.all([d1.client.topFrame(), d2.client.topFrame()]);
      assert.equal(await d1.client.evaluate('a', f1.id), '2');
      assert.equal(await d2.client.evaluate('a', f2.id), '101');
      await d2.client.ok('continue', { threadId: f2.threadId });
      assert.equal((await d2.target.runs[0]).status, 'ok', 'the second finishes while the first stays paused');
      assert.equal(await d1.client.evaluate('before', f1.id), '1', 'the first is still paused where it was');
      await d1.client.ok('continue', { threadId: f1.threadId });
      assert.equal((await d1.target.runs[0]).status, 'ok');
      assert.equal(textOf(await registry.execute(one, 'print(c)')), '4\n');
      assert.equal(textOf(await registry.execute(two, 'print(c)')), '202\n');
    });

    it('debugs the same context again after a debug run ended', async () => {
      const spec = await ranAbove('again');
      for (const round of [1, 2]) {
        const { target, client } = debugCell(spec);
        await client.start(file, [6]);
        await client.event('stopped');
        const top = await client.topFrame();
        assert.equal(top.line, 6, `round ${round}`);
        await client.ok('continue', { threadId: top.threadId });
        await client.event('terminated');
        assert.equal((await target.runs[0]).status, 'ok');
      }
    });

    it('hits a breakpoint in a project module the cell imports, and steps into it', async () => {
      const spec = await ranAbove('module');
      const helpers = path.join(folder, 'helpers.py');
      writeFileSync(helpers, 'def double(x):\n    y = x * 2\n    return y\n');
      const code = 'import helpers\nr = helpers.double(before)\nprint(r)';
      const { target, client } = debugCell(spec, code);
      await client.ok('initialize');
      await client.event('initialized');
      await client.ok('setBreakpoints', { source: { path: file }, breakpoints: [{ line: 6 }] });
      await client.ok('setBreakpoints', { source: { path: helpers }, breakpoints: [{ line: 3 }] });
      await client.ok('configurationDone');
      await client.event('stopped');
      const atCall = await client.topFrame();
      assert.deepEqual([atCall.path, atCall.line], [file, 6]);
      await client.ok('stepIn', { threadId: atCall.threadId });
      await client.event('stopped', 2);
      const inside = await client.topFrame();
      assert.deepEqual([inside.path, inside.line], [helpers, 2], 'step into lands in the module’s own file');
      await client.ok('continue', { threadId: atCall.threadId });
      await client.event('stopped', 3);
      const trace = await client.ok('stackTrace', { threadId: atCall.threadId });
      const frames = trace.body?.stackFrames as Array<{ line: number; source?: { path?: string } }>;
      assert.deepEqual(
        frames.map((f) => [f.source?.path, f.line]),
        [
          [helpers, 3],
          [file, 6],
        ],
        'the module’s breakpoint hit, called from the user’s line',
      );
      assert.equal(await client.evaluate('y', (trace.body?.stackFrames as Array<{ id: number }>)[0].id), '82');
      await client.ok('continue', { threadId: atCall.threadId });
      assert.equal(textOf(await target.runs[0]), '82\n');
    });

    it('another context runs while one is paused at a breakpoint', async () => {
      const paused = await ranAbove('paused');
      const { client } = debugCell(paused);
      await client.start(file, [6]);
      await client.event('stopped');
      const other = await registry.execute(specOf('other'), 'print(6 * 7)');
      assert.equal(textOf(other), '42\n');
      const top = await client.topFrame();
      assert.equal(top.line, 6, 'still paused');
      await client.ok('continue', { threadId: top.threadId });
      await client.event('terminated');
    });

    it('refuses a second debug session on a context already paused in one; the first goes on', async () => {
      const spec = await ranAbove('twice');
      const first = debugCell(spec);
      await first.client.start(file, [6]);
      await first.client.event('stopped');
      const second = debugCell(spec);
      const reply = await second.client.send('initialize');
      assert.equal(reply.success, false);
      assert.match(reply.message ?? '', /already being debugged/);
      const top = await first.client.topFrame();
      assert.equal(await first.client.evaluate('a', top.id), '42', 'the first session still answers');
      await first.client.ok('continue', { threadId: top.threadId });
      assert.equal((await first.target.runs[0]).status, 'ok');
      assert.equal(second.target.runs.length, 0);
    });

    it('refuses a Python kernel without debugpy with the install command for its interpreter', async () => {
      const { client, target } = debugCell(specOf('nodebug', 'nodebugpy'));
      const reply = await client.send('initialize', {});
      assert.equal(reply.success, false);
      assert.match(reply.message ?? '', /no debugger/);
      assert.ok(reply.message?.includes(`${TEST_PYTHON} -m pip install debugpy`), reply.message);
      assert.equal(target.runs.length, 0, 'nothing ran');
    });

    it('refuses an R kernel, saying debugging needs a Python kernel with debugpy', async () => {
      const { client } = debugCell(specOf('r', 'ir'));
      const reply = await client.send('initialize', {});
      assert.equal(reply.success, false);
      assert.match(reply.message ?? '', /Kernel ir \(R\) has no debugger: debugging needs a Python kernel/);
    });
  });
