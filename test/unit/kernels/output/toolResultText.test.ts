import * as assert from 'node:assert/strict';
import {
  clip,
  describeRichOutput,
  TOOL_IMAGE_CHARS,
  TOOL_IMAGE_COUNT,
  toolResultImages,
  toolResultText,
} from '../../../../src/kernels/output/toolResultText';
import type { ExecutionResult, IOutput } from '../../../../src/kernels/types';

const result = (outputs: IOutput[], status: ExecutionResult['status'] = 'ok'): ExecutionResult => ({
  status,
  executionCount: 3,
  outputs,
  durationMs: 5,
});

describe('the LM tool result text', () => {
  it('names the context so the model can continue in it, then stdout, stderr and the value', () => {
    const text = toolResultText(
      'agent:chat-1',
      'python3',
      result([
        { output_type: 'stream', name: 'stdout', text: 'hello\n' },
        { output_type: 'stream', name: 'stderr', text: 'careful\n' },
        { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '42' }, metadata: {} },
      ]),
    );
    assert.equal(
      text,
      [
        'Context: agent:chat-1 (kernel python3, execution 3). Pass context "agent:chat-1" to run more code with these variables.',
        'Status: ok',
        'stdout:\nhello',
        'stderr:\ncareful',
        'Value:\n42',
      ].join('\n'),
    );
  });

  it('gives an error with the end of its traceback, without ANSI colours', () => {
    const text = toolResultText(
      'agent:x',
      'python3',
      result(
        [
          {
            output_type: 'error',
            ename: 'ZeroDivisionError',
            evalue: 'division by zero',
            traceback: ['\u001b[0;31mZeroDivisionError\u001b[0m: division by zero'],
          },
        ],
        'error',
      ),
    );
    assert.match(
      text,
      /Status: error\nError:\nZeroDivisionError: division by zero\nZeroDivisionError: division by zero$/,
    );
  });

  const cases: Array<[string, Record<string, unknown>, string | undefined]> = [
    [
      'png with alt text',
      { 'image/png': 'A'.repeat(4096), 'text/plain': '<Figure size 640x480>' },
      'an image (image/png, 3 KB) (<Figure size 640x480>)',
    ],
    [
      'html table',
      { 'text/html': '<table><tr><td>1</td></tr><tr><td>2</td></tr></table>', 'text/plain': 'df' },
      'an HTML table with 2 rows',
    ],
    ['plain html', { 'text/html': '<b>hi</b>' }, 'HTML (9 characters)'],
    ['json', { 'application/json': {} }, 'a rich output (application/json)'],
    ['text only', { 'text/plain': 'x' }, undefined],
  ];
  for (const [name, data, expected] of cases) {
    it(`describes a rich output: ${name}`, () => assert.equal(describeRichOutput(data), expected));
  }

  it('lists rich outputs in one line and says the user sees them', () => {
    const text = toolResultText(
      'agent:x',
      'python3',
      result([{ output_type: 'display_data', data: { 'image/png': 'AAAA', 'text/plain': 'fig' }, metadata: {} }]),
    );
    assert.match(
      text,
      /Rich outputs \(shown to the user in the results panel\): an image \(image\/png, 3 bytes\) \(fig\)$/,
    );
    assert.doesNotMatch(text, /Value:/, 'an image’s text/plain stand-in is not reported as a value');
  });

  it('keeps the head and the tail of a long output', () => {
    const clipped = clip('a'.repeat(50) + 'b'.repeat(50), 20);
    assert.equal(clipped, `${'a'.repeat(10)}\n… [80 characters left out] …\n${'b'.repeat(10)}`);
  });
});

describe('the images a tool result carries', () => {
  const png = (data: string): IOutput => ({ output_type: 'display_data', data: { 'image/png': data }, metadata: {} });

  it('gives PNG/JPEG images in output order, base64 without line breaks, and counts the ones beyond the bounds', () => {
    const outputs: IOutput[] = [
      { output_type: 'stream', name: 'stdout', text: 'hi\n' },
      png('iVBO\nRw0K\n'),
      {
        output_type: 'execute_result',
        execution_count: 1,
        data: { 'image/jpeg': '/9j/', 'text/plain': 'x' },
        metadata: {},
      },
      { output_type: 'display_data', data: { 'text/html': '<b>no image</b>' }, metadata: {} },
      png('A'.repeat(TOOL_IMAGE_CHARS + 1)),
      ...Array.from({ length: TOOL_IMAGE_COUNT }, (_, i) => png(`img${i}`)),
    ];
    const { images, leftOut } = toolResultImages(result(outputs));
    assert.deepEqual(images.slice(0, 3), [
      { mimeType: 'image/png', data: 'iVBORw0K' },
      { mimeType: 'image/jpeg', data: '/9j/' },
      { mimeType: 'image/png', data: 'img0' },
    ]);
    assert.equal(images.length, TOOL_IMAGE_COUNT);
    assert.equal(leftOut, 1 + 2, 'the too-large one and the ones past the count');
  });
});
