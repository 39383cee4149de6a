import * as assert from 'node:assert/strict';
import type { ContextInfo } from '../../../src/kernels/types';
import {
  describeAgentActivity,
  describeAgentGroup,
  describeContext,
  formatDuration,
} from '../../../src/ui/kernels/kernelsViewText';

const MIN = 60_000;

describe('Kernels view: the agent group and rows', () => {
  const durations: Array<[number, string]> = [
    [0, '<1 min'],
    [59_999, '<1 min'],
    [MIN, '1 min'],
    [59 * MIN, '59 min'],
    [60 * MIN, '1 h'],
    [125 * MIN, '2 h 5 min'],
    [24 * 60 * MIN, '1 d'],
    [(3 * 24 + 4) * 60 * MIN, '3 d 4 h'],
  ];
  for (const [ms, text] of durations) {
    it(`${ms} ms reads "${text}"`, () => assert.equal(formatDuration(ms), text));
  }

  it('an agent row shows its age and how long it has been idle, or that it is running', () => {
    assert.equal(describeAgentActivity({ createdAt: 0, idleSince: 10 * MIN }, 13 * MIN), 'age 13 min · idle 3 min');
    assert.equal(describeAgentActivity({ createdAt: 0, idleSince: undefined }, 90 * MIN), 'age 1 h 30 min · running');
  });

  it('the group shows the count against the cap and the idle shutdown, or that either is off', () => {
    assert.equal(
      describeAgentGroup(3, { idleShutdownMinutes: 30, maxContexts: 8 }),
      '3 of max 8 · shut down after 30 min idle',
    );
    assert.equal(describeAgentGroup(12, { idleShutdownMinutes: 0, maxContexts: 0 }), '12 · no cap · no idle shutdown');
  });
});

describe('Kernels view: a context whose hub server the hub stopped', () => {
  const row: ContextInfo = {
    id: 'agent:a',
    kind: 'agent',
    label: 'a',
    kernelName: 'python3',
    kernelId: 'k1',
    state: 'dead',
    executionCount: 3,
    server: 'uni/gpu',
  };
  it('says the hub stopped the server, not that the kernel died', () => {
    assert.equal(describeContext(row, undefined, true), 'uni/gpu · python3 · server stopped by JupyterHub · [3]');
    assert.equal(describeContext(row, undefined), 'uni/gpu · python3 · kernel died · [3]');
  });
});

describe('Kernels view: an agent context in its sandbox', () => {
  it('says "sandboxed" first, and nothing of the kind for an unsandboxed one', () => {
    const row: ContextInfo = {
      id: 'agent:chat-1',
      kind: 'agent',
      label: 'chat-1',
      kernelName: 'python3',
      kernelId: 'k2',
      state: 'idle',
      executionCount: 1,
      server: 'local',
    };
    assert.equal(describeContext({ ...row, sandboxed: true }, undefined), 'sandboxed · python3 · idle · [1]');
    assert.equal(describeContext(row, undefined), 'python3 · idle · [1]');
  });
});
