/**
 * 100 MB of output: the window stays responsive (the command palette opens and closes again while the output still
 * streams), the panel shows a bounded part with a "truncated" note, and the note's link opens the full text in an
 * editor. How long the palette took to open is a figure (flood-figures.json), not a check.
 */
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { until, waitForStatus, waitForWebviewElement, openFile } from './islands';
import type { UiTest, Workbench } from './workbench';

const LINES = 1_000_000;
const LINE = 99; // characters per line, plus the newline: 100 MB in all

/** How long the command palette takes to appear after F1, in ms: a person's measure of a frozen window. */
async function paletteLatency(wb: Workbench): Promise<number> {
  const started = Date.now();
  await wb.press('F1');
  await wb.page.locator('.quick-input-widget input.input').waitFor({ state: 'visible', timeout: 60_000 });
  const ms = Date.now() - started;
  await wb.press('Escape');
  await wb.page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 60_000 });
  return ms;
}

export const floodUiTest: UiTest = {
  title: 'b.py: 100 MB of output keeps the window responsive, is truncated, and opens in full in an editor',
  timeoutMs: 300_000,
  async run(wb) {
    await openFile(wb, 'b.py');
    await wb.press('Control+End');
    await wb.press('Enter');
    await wb.type(`for i in range(${LINES}): print("x" * ${LINE})`);
    await wb.press('Escape');
    const started = Date.now();
    await wb.press('Shift+Enter');
    await waitForStatus(wb, /python3: busy/, 60_000);

    const latencies: number[] = [];
    // Palette round trips (F1 opened it, Escape closed it) that ended while the run was still streaming.
    let duringRun = 0;
    const status = () => wb.page.locator('.statusbar-item[id$="kernelIslands.status"]').innerText();
    while (/busy/.test(await status()) && Date.now() - started < 240_000) {
      latencies.push(await paletteLatency(wb));
      duringRun += /busy/.test(await status()) ? 1 : 0;
      await wb.page.waitForTimeout(300);
    }
    await waitForStatus(wb, /python3: idle/, 60_000);
    const seconds = (Date.now() - started) / 1000;
    const note = await waitForWebviewElement(wb, '.truncated .dropped-count', undefined, 30_000);
    // The panel followed the output to its end: the note under the last line is in view, with no scrolling by hand.
    await until(
      wb,
      'the panel to show the end of the output',
      () =>
        note.evaluate((el) => {
          const box = el.getBoundingClientRect();
          return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
        }),
      15_000,
    );
    const shot = await wb.screenshot('ui-flood-truncated');
    const figures = { megabytes: (LINES * (LINE + 1)) / 1e6, seconds, paletteLatencyMs: latencies };
    writeFileSync(join(dirname(shot), 'flood-figures.json'), JSON.stringify(figures, null, 2));
    console.log(`  flood: ${JSON.stringify({ ...figures, paletteLatencyMs: summary(latencies) })}`);
    assert.ok(latencies.length > 0, 'the flood ended before the palette could be probed');
    // A frozen window answers F1 only once the flood is over; a live one opens and closes the palette meanwhile.
    assert.ok(duringRun > 0, `the palette opened and closed only after the run ended (${latencies.length} tries)`);

    const link = await waitForWebviewElement(wb, '.truncated .open-full');
    await link.click();
    const tab = wb.page.locator('.tab[data-resource-name^="run-"][data-resource-name$=".txt"]');
    await until(wb, 'the full output to open in an editor tab', async () => (await tab.count()) > 0, 60_000);
    await wb.screenshot('ui-flood-full-text');
    // Saved, so closing the editors later asks nothing (the workspace is a per-run copy).
    await openFile(wb, 'b.py');
    await wb.press('Control+S');
    await until(wb, 'b.py to be saved', async () => (await wb.page.locator('.tab.dirty').count()) === 0);
  },
};

function summary(values: number[]): { n: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}
