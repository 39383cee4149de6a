import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { procfsTable } from '../../../src/jupyter/processTree';
import { KernelMemory, formatBytes } from '../../../src/ui/kernels/kernelMemory';
import { describeContext, displayLabel } from '../../../src/ui/kernels/kernelsViewText';
import { environmentKernelName } from '../../../src/python/pythonEnvironment';
import type { ContextInfo } from '../../../src/kernels/types';

describe('kernel memory from /proc', () => {
  let proc: string;

  const addProcess = (pid: number, cmdline: string[], rssKb?: number) => {
    mkdirSync(join(proc, String(pid)), { recursive: true });
    writeFileSync(join(proc, String(pid), 'cmdline'), `${cmdline.join('\0')}\0`);
    writeFileSync(
      join(proc, String(pid), 'status'),
      `Name:\tpython3\nVmPeak:\t  999999 kB\n${rssKb === undefined ? '' : `VmRSS:\t  ${rssKb} kB\n`}Threads:\t4\n`,
    );
  };

  beforeEach(() => {
    proc = mkdtempSync(join(tmpdir(), 'ki-proc-'));
    mkdirSync(join(proc, 'self'));
  });
  afterEach(() => rmSync(proc, { recursive: true, force: true }));

  it('finds each kernel by its connection file and reads its resident memory', async () => {
    addProcess(100, ['/usr/bin/python3', '-m', 'ipykernel_launcher', '-f', '/run/jupyter/kernel-aaa.json'], 51200);
    addProcess(
      200,
      ['/usr/lib/R/bin/exec/R', '--slave', '-e', 'IRkernel::main()', '--args', '/r/kernel-bbb.json'],
      102400,
    );
    addProcess(300, ['/usr/bin/python3', '-m', 'jupyter_server'], 999);
    const memory = new KernelMemory(procfsTable(proc));
    const read = await memory.read(['aaa', 'bbb', 'ccc', '']);
    assert.deepEqual([...read.entries()].sort(), [
      ['aaa', 51200 * 1024],
      ['bbb', 102400 * 1024],
    ]);
  });

  it('notices when a cached pid now belongs to another process', async () => {
    addProcess(100, ['python3', '-f', 'kernel-aaa.json'], 1000);
    const memory = new KernelMemory(procfsTable(proc));
    assert.equal((await memory.read(['aaa'])).get('aaa'), 1000 * 1024);
    rmSync(join(proc, '100'), { recursive: true });
    addProcess(100, ['bash'], 5);
    addProcess(101, ['python3', '-f', 'kernel-aaa.json'], 2000);
    assert.equal((await memory.read(['aaa'])).get('aaa'), 2000 * 1024);
  });

  it('reads nothing where there is no /proc', async () => {
    const memory = new KernelMemory(procfsTable(join(proc, 'missing')));
    assert.equal((await memory.read(['aaa'])).size, 0);
  });

  it('formats sizes', () => {
    assert.equal(formatBytes(150 * 1024 * 1024), '150 MB');
    assert.equal(formatBytes(3 * 1024 * 1024 * 1024), '3.0 GB');
  });
});

describe('Kernels view rows', () => {
  const info: ContextInfo = {
    id: 'file:///w/a.py',
    kind: 'file',
    label: 'a.py',
    kernelName: 'python3',
    kernelId: 'aaa',
    state: 'idle',
    executionCount: 3,
    server: 'local',
  };
  const cases: Array<[string, ContextInfo, number | undefined, string, string]> = [
    ['idle with memory', info, 80 * 1024 * 1024, 'a.py', 'python3 · idle · [3] · 80 MB'],
    [
      'not started',
      { ...info, state: 'not-started', executionCount: null },
      undefined,
      'a.py',
      'python3 · not started',
    ],
    [
      'attached to a notebook, labelled by its id',
      { ...info, id: 'file:///w/b.py', label: 'file:///w/b.py', attachedTo: 'file:///w/nb.ipynb' },
      undefined,
      'b.py',
      'python3 · idle · [3] · shares nb.ipynb',
    ],
    [
      'a context whose kernel died',
      { ...info, id: 'agent:crashed', label: 'agent:crashed', state: 'dead', executionCount: null },
      undefined,
      'agent:crashed',
      'python3 · kernel died',
    ],
    [
      'an agent context',
      { ...info, id: 'agent:chat-42', label: 'agent:chat-42' },
      undefined,
      'agent:chat-42',
      'python3 · idle · [3]',
    ],
    [
      'a file running in its project environment',
      {
        ...info,
        kernelName: environmentKernelName('/w/proj-a/.venv/bin/python'),
        environment: {
          python: '/w/proj-a/.venv/bin/python',
          root: '/w/proj-a/.venv',
          name: '.venv',
          version: '3.13.1',
          label: '.venv (3.13)',
        },
      },
      undefined,
      'a.py',
      '.venv (3.13) · python3 · idle · [3]',
    ],
  ];
  for (const [name, row, rss, label, description] of cases) {
    it(name, () => {
      assert.equal(displayLabel(row), label);
      assert.equal(describeContext(row, rss), description);
    });
  }
});
