import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../../src/common/log';
import { requireWithVscodeStub } from '../withVscodeStub';

/**
 * `workbench/settings` loaded over a stub `vscode` whose `kernelIslands` section holds what {@link configure} set, and
 * package.json's declarations of the settings: the one test double of the settings, for every test of them.
 */

/** The user's `kernelIslands.*` settings, by key without the section; unset keys are absent. */
let configured: Record<string, unknown> = {};

/** Sets the user's `kernelIslands.*` settings (keys without the section); `{}` leaves every one unset. */
export function configure(values: Record<string, unknown>): void {
  configured = values;
}

const vscodeStub = {
  workspace: {
    getConfiguration: (section: string) => {
      assert.equal(section, 'kernelIslands');
      return { get: (key: string) => configured[key] };
    },
  },
};

export const { Settings } = requireWithVscodeStub<typeof import('../../../src/workbench/settings')>(
  require.resolve('../../../src/workbench/settings'),
  vscodeStub,
);

export type Setting = { type?: string; default?: unknown; minimum?: number; markdownDescription?: string };
const manifest = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Setting> } | { properties: Record<string, Setting> }[] };
};

/** Every setting package.json declares, by its full key (`kernelIslands.…`). */
export const declared: Record<string, Setting> = Object.assign(
  {},
  ...[manifest.contributes.configuration].flat().map((s) => s.properties),
);

export function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined };
}
