import Module from 'node:module';
import { createVscodeDouble, type VscodeRecords } from '../shared/vscodeDouble';

/**
 * Every unit test's `vscode`: loaded by `.mocharc.json` before any test file, it makes `require('vscode')` give the
 * one double (`test/shared/vscodeDouble.ts`), and puts the double's records back before each test (mocha root hook).
 * A test imports the modules of src/ as usual and sets or reads {@link vscodeDouble}.
 */
const double = createVscodeDouble();

/** What the code under test showed, ran and created through `vscode`, and what the test has it answer. */
export const vscodeDouble: VscodeRecords = double.records;

type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const internals = Module as unknown as { _load: Loader };
const load = internals._load;
internals._load = function (request, parent, isMain) {
  return request === 'vscode' ? double.module : load.call(this, request, parent, isMain);
};

export const mochaHooks = {
  beforeEach(): void {
    vscodeDouble.reset();
  },
};
