import * as assert from 'node:assert/strict';
import { transportMarks } from '../../../bench/ui/transport';

describe('bench:ui transport marks', () => {
  it('takes the latest occurrence of each family before the DOM time and the first message after it', () => {
    const trace = { 'inline.setDecorations': 7, 'inline.setDecorations#2': 29, 'panel.postMessage': 24 };
    const socket = [6, 8, 25, 31, 40, 90];
    assert.deepEqual(transportMarks(trace, socket, ['inline.setDecorations', 'panel.postMessage'], 80), {
      'ws.after inline.setDecorations': 31,
      'ws.after panel.postMessage': 25,
    });
  });

  it('ignores occurrences after the DOM time, and messages after it too', () => {
    const trace = { 'panel.postMessage': 24, 'panel.postMessage#2': 116 };
    assert.deepEqual(transportMarks(trace, [30, 120], ['panel.postMessage'], 110), {
      'ws.after panel.postMessage': 30,
    });
    assert.deepEqual(transportMarks({ 'panel.postMessage': 100 }, [120], ['panel.postMessage'], 110), {});
  });

  it('leaves out families that never happened, and does not match a family by prefix alone', () => {
    const trace = { 'notebook.cellEnd': 20, 'notebook.cellEndX': 5 };
    assert.deepEqual(transportMarks(trace, [4, 6, 21], ['notebook.cellEnd', 'notebook.appendOutput'], 50), {
      'ws.after notebook.cellEnd': 21,
    });
  });
});
