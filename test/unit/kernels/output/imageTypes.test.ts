import * as assert from 'node:assert/strict';
import { inlineSummary } from '../../../../src/editor/inlineResultText';
import { toolResultImages } from '../../../../src/kernels/output/toolResultText';
import type { ExecutionResult } from '../../../../src/kernels/types';
import { toOutputView } from '../../../../src/ui/results/outputView';

/**
 * Three lists of image types disagreed: the inline result said `[image]` for a GIF, which the results panel did
 * not draw (its list was SVG, PNG, JPEG), and not for a WebP, which MCP sent as an image. Now one list
 * (`kernels/output/imageTypes`); each row is every caller's decision for an output with that one image type.
 */
const cases: Array<{ mime: string; data: string; panel: boolean; inline: boolean; tool: boolean }> = [
  { mime: 'image/png', data: 'iVBORw0K', panel: true, inline: true, tool: true },
  { mime: 'image/jpeg', data: '/9j/4AAQ', panel: true, inline: true, tool: true },
  { mime: 'image/gif', data: 'R0lGODlh', panel: true, inline: true, tool: true },
  { mime: 'image/webp', data: 'UklGRg==', panel: true, inline: true, tool: true },
  // SVG is text: the panel draws it, tool results do not carry it as image content.
  { mime: 'image/svg+xml', data: '<svg xmlns="http://www.w3.org/2000/svg"/>', panel: true, inline: true, tool: false },
  // Not drawn anywhere: no caller claims an image.
  { mime: 'image/bmp', data: 'Qk0=', panel: false, inline: false, tool: false },
];

const run = (mime: string, data: string): ExecutionResult => ({
  status: 'ok',
  executionCount: 1,
  durationMs: 1,
  outputs: [{ output_type: 'display_data', data: { [mime]: data }, metadata: {} }],
});

describe('image types (one list), and every caller decides from it', () => {
  for (const { mime, data, panel, inline, tool } of cases) {
    describe(mime, () => {
      it(`the results panel ${panel ? 'draws it' : 'does not draw it'}`, () => {
        const view = toOutputView(run(mime, data).outputs[0]);
        assert.equal(view?.kind === 'image' && view.mime === mime, panel, JSON.stringify(view));
      });
      it(`the inline result ${inline ? 'says [image]' : 'does not say [image]'}`, () =>
        assert.equal(inlineSummary(run(mime, data)).text === '[image]', inline));
      it(`tool results (MCP) ${tool ? 'carry it as an image' : 'do not carry it as an image'}`, () =>
        assert.deepEqual(toolResultImages(run(mime, data)).images, tool ? [{ mimeType: mime, data }] : []));
      it('the inline result claims an image exactly when the panel draws one', () =>
        assert.equal(
          inlineSummary(run(mime, data)).text === '[image]',
          toOutputView(run(mime, data).outputs[0])?.kind === 'image',
        ));
    });
  }
});
