/**
 * Splits the time after the extension host acted (set a decoration, posted to a webview, appended a cell output)
 * into transport and rendering: the first websocket message the workbench page received after the host's mark is
 * taken as the one that carried it (a lower bound of the arrival: an earlier unrelated message cannot be later).
 */

/**
 * For each mark family (`inline.setDecorations` also covers `inline.setDecorations#2`, …), its latest occurrence in
 * `trace` at or before `until`, and the first of `socketIn` at or after it: `ws.after <family>`. All times are ms
 * after the same keydown. Families without an occurrence, or with no message after it, are left out.
 */
export function transportMarks(
  trace: Readonly<Record<string, number>>,
  socketIn: readonly number[],
  families: readonly string[],
  until: number,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const family of families) {
    const times = Object.entries(trace)
      .filter(([name, t]) => (name === family || name.startsWith(`${family}#`)) && t <= until)
      .map(([, t]) => t);
    if (times.length === 0) {
      continue;
    }
    const latest = Math.max(...times);
    const arrived = socketIn.filter((t) => t >= latest && t <= until);
    if (arrived.length > 0) {
      out[`ws.after ${family}`] = Math.min(...arrived);
    }
  }
  return out;
}
