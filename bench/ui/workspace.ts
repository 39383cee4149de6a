/** The files the UI bench opens, written into the run's workspace copy. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLOOD_CODE } from './figures';

/** A one-cell notebook holding `source`, with the python3 kernelspec in its metadata. */
function notebook(source: string): string {
  return JSON.stringify(
    {
      cells: [{ cell_type: 'code', execution_count: null, id: 'c0', metadata: {}, outputs: [], source }],
      metadata: {
        kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' },
        language_info: { name: 'python' },
      },
      nbformat: 4,
      nbformat_minor: 5,
    },
    null,
    1,
  );
}

/**
 * Writes u1.py, u3.ipynb, u5.py and scratch.py (not typing.py: the kernel runs in this folder and would import it
 * as the standard library's typing module), plus `samples` never-run files for U2 and notebooks for U4. Each
 * .py file ends with a newline, so Shift+Enter on its first line moves the cursor without editing the file.
 */
export function writeWorkspace(folder: string, samples: number): { u2: string[]; u4: string[] } {
  mkdirSync(folder, { recursive: true });
  const pad = (i: number) => String(i).padStart(2, '0');
  writeFileSync(join(folder, 'u1.py'), '1+1\n');
  writeFileSync(join(folder, 'u3.ipynb'), notebook('1+1'));
  writeFileSync(join(folder, 'u5.py'), `${FLOOD_CODE}\n`);
  writeFileSync(join(folder, 'scratch.py'), '');
  const u2 = Array.from({ length: samples }, (_, i) => `u2-${pad(i)}.py`);
  const u4 = Array.from({ length: samples }, (_, i) => `u4-${pad(i)}.ipynb`);
  u2.forEach((name) => writeFileSync(join(folder, name), '1+1\n'));
  u4.forEach((name) => writeFileSync(join(folder, name), notebook('1+1')));
  return { u2, u4 };
}
