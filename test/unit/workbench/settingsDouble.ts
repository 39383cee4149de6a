import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../../src/common/log';
import { vscodeDouble } from '../withVscodeDouble';

/**
 * The user's settings as `workbench/settings` reads them through the `vscode` double (whose only settings section is
 * `kernelIslands`, so reading another fails), and package.json's declarations of the settings: for every test of them.
 */

/** Sets the user's `kernelIslands.*` settings (keys without the section); `{}` leaves every one unset. */
export function configure(values: Record<string, unknown>): void {
  vscodeDouble.settings = { kernelIslands: { ...values } };
}

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
