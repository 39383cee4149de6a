// What a results panel keeps across a window reload. Pure (no `vscode`): the webview writes it with `setState`
// (results.ts), and the host reads it back in its WebviewPanelSerializer (resultsPanel.ts). The extension host
// that held the runs is gone after a reload: only this bounded copy of the newest runs comes back.
import type { OutputView, RunView } from './outputView';

/** The view type of results panels (`onWebviewPanel:kernelIslands.results` activates the extension). */
export const RESULTS_VIEW_TYPE = 'kernelIslands.results';

interface RestoreLimits {
  /** Newest runs kept. */
  maxRuns: number;
  /** Characters of the saved state (JSON) at most: VS Code keeps it in the workspace's storage. */
  maxChars: number;
}

/** At most the 20 newest runs and 300 000 characters per panel. */
export const RESTORE_LIMITS: RestoreLimits = { maxRuns: 20, maxChars: 300_000 };

/** The webview state of a results panel. */
interface PanelState {
  version: 1;
  contextId: string;
  runs: RunView[];
}

/**
 * The state to save for a panel showing `runs` of `contextId`: the newest runs that fit the limits whole. The
 * newest run is always kept: when its outputs do not all fit, it keeps those that do and says how many it lost.
 */
export function panelState(
  contextId: string,
  runs: readonly RunView[],
  limits: RestoreLimits = RESTORE_LIMITS,
): PanelState {
  let budget = limits.maxChars - JSON.stringify({ version: 1, contextId, runs: [] }).length;
  const kept: RunView[] = [];
  for (let i = runs.length - 1; i >= 0 && kept.length < limits.maxRuns; i--) {
    const run = runs[i];
    const base: RunView = { ...run, outputs: [] };
    let cost = JSON.stringify(base).length + 1;
    if (cost > budget) {
      break;
    }
    let lost = 0;
    for (const output of run.outputs) {
      const size = JSON.stringify(output).length + 1;
      if (cost + size <= budget) {
        base.outputs.push(output);
        cost += size;
      } else {
        lost++;
      }
    }
    if (lost > 0 && kept.length > 0) {
      break;
    }
    if (lost > 0) {
      const note = `${lost} output${lost === 1 ? ' was' : 's were'} too large to keep across the window reload.`;
      base.message = base.message ? `${base.message}\n${note}` : note;
      cost += note.length + 16;
    }
    budget -= cost;
    kept.push(base);
  }
  return { version: 1, contextId, runs: kept.reverse() };
}

/**
 * The runs a restored panel shows, from its saved state (anything else: undefined). They are marked `restored`,
 * numbered below zero (the new extension host numbers its runs from 1 again), and a run that was still running
 * says the reload cut it off; output past the panel's bound is no longer kept anywhere.
 */
export function restoredPanel(state: unknown): { contextId: string; runs: RunView[] } | undefined {
  if (!isRecord(state) || state.version !== 1 || typeof state.contextId !== 'string' || !state.contextId) {
    return undefined;
  }
  const runs = Array.isArray(state.runs) ? state.runs.filter(isRunView) : [];
  return {
    contextId: state.contextId,
    runs: runs.map((run, i) => {
      const notes = [run.message];
      if (run.status === 'running') {
        notes.push('The window reloaded while this ran: its later output is not shown.');
      }
      if (run.droppedChars > 0) {
        notes.push(`${run.droppedChars.toLocaleString()} characters past the panel's bound were not kept.`);
      }
      const message = notes.filter(Boolean).join('\n');
      return {
        id: i - runs.length,
        code: run.code,
        executionCount: run.executionCount,
        status: run.status === 'running' ? 'aborted' : run.status,
        ...(run.durationMs === undefined ? {} : { durationMs: run.durationMs }),
        ...(message ? { message } : {}),
        outputs: run.outputs.filter(isOutputView),
        droppedChars: 0,
        restored: true,
      };
    }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const STATUSES = new Set(['running', 'ok', 'error', 'aborted']);

function isRunView(value: unknown): value is RunView {
  return (
    isRecord(value) &&
    typeof value.id === 'number' &&
    typeof value.code === 'string' &&
    (value.executionCount === null || typeof value.executionCount === 'number') &&
    typeof value.status === 'string' &&
    STATUSES.has(value.status) &&
    (value.durationMs === undefined || typeof value.durationMs === 'number') &&
    (value.message === undefined || typeof value.message === 'string') &&
    Array.isArray(value.outputs) &&
    typeof value.droppedChars === 'number'
  );
}

function isOutputView(value: unknown): value is OutputView {
  if (!isRecord(value)) {
    return false;
  }
  const str = (key: string) => typeof value[key] === 'string';
  switch (value.kind) {
    case 'stream':
      return str('text') && (value.name === 'stdout' || value.name === 'stderr');
    case 'text':
    case 'json':
      return str('text');
    case 'image':
      return str('mime') && str('data');
    case 'html':
      return str('html');
    case 'markdown':
      return str('markdown');
    case 'error':
      return str('ename') && str('evalue') && str('traceback') && Array.isArray(value.links);
    default:
      return false;
  }
}
