import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '..', '..', '..');

/** The composition root: it may import every layer, so no zone targets it. */
const WIRING = ['src/extension.ts'];

interface Zone {
  target: string;
  from: string[];
}

/** Every file under `dir`, as a path relative to the repository root with forward slashes. */
function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    return entry.isDirectory() ? filesUnder(rel) : [rel];
  });
}

/** The zone whose target holds `file` (targets are `./src/...` folders or files). */
function zoneOf(file: string, zones: readonly Zone[]): Zone | undefined {
  return zones.find((z) => {
    const target = z.target.replace(/^\.\//, '');
    return file === target || file.startsWith(`${target}/`);
  });
}

describe('lint zones (eslint.config.mjs)', () => {
  let zones: Zone[];

  before(async () => {
    const config = (await import(pathToFileURL(path.join(ROOT, 'eslint.config.mjs')).href)) as { zones: Zone[] };
    zones = config.zones;
  });

  it('every file under src/ is in a zone, except the composition root', () => {
    const outside = filesUnder('src').filter((f) => !WIRING.includes(f) && !zoneOf(f, zones));
    assert.deepEqual(outside, []);
  });

  it('a file outside every zone is found', () => {
    assert.equal(zoneOf('src/settings.ts', zones), undefined);
    assert.equal(zoneOf('src/workbenches/x.ts', zones), undefined);
    assert.equal(zoneOf('src/workbench/settings.ts', zones)?.target, './src/workbench');
  });

  it('every zone names a folder that exists', () => {
    const folders = new Set(filesUnder('src').map((f) => f.split('/').slice(0, 2).join('/')));
    for (const zone of zones) {
      for (const p of [zone.target, ...zone.from]) {
        assert.ok(folders.has(p.replace(/^\.\//, '')), `${p} is not in src/`);
      }
    }
  });
});
