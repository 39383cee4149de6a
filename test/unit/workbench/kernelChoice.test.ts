import * as assert from 'node:assert/strict';
import { type KernelClues, kernelNameFor } from '../../../src/workbench/kernelChoice';
import { notebookKernelHint } from '../../../src/workbench/notebookMetadata';

describe("a notebook's kernel hint, from its metadata as VS Code's ipynb extension gives it", () => {
  const nb = (metadata: unknown) => ({ metadata });
  const cases: Array<[string, unknown, ReturnType<typeof notebookKernelHint>]> = [
    [
      'kernelspec name, and the language from language_info',
      nb({ kernelspec: { name: 'ir', language: 'R' }, language_info: { name: 'R' } }),
      { name: 'ir', language: 'r' },
    ],
    [
      'language_info wins over the kernelspec language',
      nb({ kernelspec: { name: 'xpython', language: 'python' }, language_info: { name: 'Julia' } }),
      { name: 'xpython', language: 'julia' },
    ],
    [
      'the kernelspec language when there is no language_info',
      nb({ kernelspec: { name: 'python3', language: 'python' } }),
      { name: 'python3', language: 'python' },
    ],
    [
      'older ipynb extensions keep the metadata under custom',
      { custom: { metadata: { kernelspec: { name: 'ir' }, language_info: { name: 'R' } } } },
      { name: 'ir', language: 'r' },
    ],
    ['nothing from a notebook without metadata', {}, { name: undefined, language: undefined }],
    ['nothing from no metadata at all', undefined, { name: undefined, language: undefined }],
    [
      'empty and non-string values are no hint',
      nb({ kernelspec: { name: '', language: 3 }, language_info: { name: null } }),
      { name: undefined, language: undefined },
    ],
  ];
  for (const [what, metadata, hint] of cases) {
    it(what, () => assert.deepEqual(notebookKernelHint(metadata), hint));
  }
});

describe('the kernelspec a document or notebook gets', () => {
  const settings = { languageKernels: () => ({ python: 'py311' }), defaultKernel: () => 'python3' };
  const cases: Array<[string, KernelClues, string]> = [
    ['the chosen kernel first (Select Kernel, the notebook controller)', { chosen: 'ir', declared: 'xpython' }, 'ir'],
    ["then the notebook's kernelspec", { declared: 'xpython', language: 'python' }, 'xpython'],
    ["then the user's mapping of the language", { language: 'python' }, 'py311'],
    ['then the built-in mapping', { language: 'r' }, 'ir'],
    ['then the default kernel', { language: 'cobol' }, 'python3'],
    ['the default kernel without clues', {}, 'python3'],
  ];
  for (const [what, clues, name] of cases) {
    it(what, () => assert.equal(kernelNameFor(clues, settings), name));
  }
});
