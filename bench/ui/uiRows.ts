/** The UI bench's table rows (U1–U5 against the engine in the same run) and its trace summary. */
import type { RowInput } from '../report';
import { summarize } from '../stats';
import type { FigureData } from './figures';

const ENGINE = 'engine (API, in host)';
const ENGINE_FRESH = 'engine, new context (API)';

/** Rows for the figures that ran; each UI figure's baseline is the engine's time for the same code. */
export function uiRows(data: Record<string, FigureData>): RowInput[] {
  const rows: RowInput[] = [];
  const { u1, u2, u3, u4, u5 } = data;
  if (u1) {
    rows.push(...shiftEnterRows('U1', '1+1 in a warm file', u1, ENGINE, 25));
    const floor = u1.parts.floor ?? [];
    if (floor.length > 0) {
      rows.push(
        {
          id: 'U1.floor',
          label: 'workbench floor: a key to an extension command drawing 2 inline (no kernel)',
          unit: 'ms',
          samples: floor,
          note: 'the bench host extension draws the same kind of decoration as soon as its command runs',
        },
        {
          id: 'U1.overFloor',
          label: '1+1 in a warm file: inline result, over the workbench floor',
          unit: 'ms',
          samples: u1.parts.inline ?? [],
          baseline: { label: 'workbench floor (U1.floor)', samples: floor },
          note: 'Diff is what the kernel and Kernel Islands add to the workbench floor; compare it with the engine time',
        },
      );
    }
  }
  if (u2) {
    rows.push(...shiftEnterRows('U2', '1+1 in a new file (warm pool)', u2, ENGINE_FRESH, 40));
  }
  if (u3) {
    rows.push({
      id: 'U3',
      label: 'notebook cell 1+1 (warm), Ctrl+Enter to output',
      unit: 'ms',
      samples: u3.ui,
      baseline: { label: ENGINE, samples: u3.engine },
      goal: { metric: 'difference', op: '<=', target: 40 },
    });
  }
  if (u4) {
    const gap = u4.extra?.shownToKey ?? [];
    rows.push({
      id: 'U4',
      label: 'open a new notebook, run its first cell: key to output',
      unit: 'ms',
      samples: u4.ui,
      baseline: { label: ENGINE_FRESH, samples: u4.engine },
      goal: { metric: 'median', op: '<=', target: 300 },
      note:
        'timed from the Ctrl+Enter pressed as soon as the notebook showed its kernel' +
        (gap.length > 0 ? ` (the bench took ${summarize(gap).median.toFixed(0)} ms median to press it).` : '.'),
    });
  }
  if (u5) {
    rows.push({
      id: 'U5',
      label: '10,000 printed lines: Shift+Enter to the last line in the panel',
      unit: 'ms',
      samples: u5.ui,
      baseline: { label: ENGINE, samples: u5.engine },
    });
    const typing = u5.extra?.typing ?? [];
    const idle = u5.extra?.idleTyping ?? [];
    if (typing.length > 0) {
      rows.push({
        id: 'U5.typing',
        label: 'typing latency in another editor while it streams',
        unit: 'ms',
        samples: typing,
        baseline: idle.length > 0 ? { label: 'typing, nothing running', samples: idle } : undefined,
        goal: { metric: 'p95', op: '<=', target: 50 },
        note: 'keydown to the editor lines changing, a key every 30 ms from the Shift+Enter until 4 keys after the last line showed.',
      });
    }
  }
  return rows;
}

function shiftEnterRows(id: string, what: string, data: FigureData, engine: string, plusMs: number): RowInput[] {
  const baseline = { label: engine, samples: data.engine };
  const rows: RowInput[] = [
    {
      id,
      label: `${what}: Shift+Enter to 2 inline and in the panel`,
      unit: 'ms',
      samples: data.ui,
      baseline,
      goal: { metric: 'difference', op: '<=', target: plusMs },
    },
    {
      id: `${id}.inline`,
      label: `${what}: to the inline result`,
      unit: 'ms',
      samples: data.parts.inline ?? [],
      baseline,
    },
    {
      id: `${id}.panel`,
      label: `${what}: to the results panel`,
      unit: 'ms',
      samples: data.parts.panel ?? [],
      baseline,
    },
  ];
  return rows.filter((row) => row.samples.length > 0);
}

/** One mark of a figure's trace: its median time after the keydown over the samples that had it. */
export interface TraceStep {
  mark: string;
  medianMs: number;
  n: number;
}

/**
 * Per figure, every mark (product trace marks and the DOM times) by its median time after the keydown, in that
 * order; and the same as text lines for the console.
 */
export function renderTraces(data: Record<string, FigureData>): { text: string; figures: Record<string, TraceStep[]> } {
  const figures: Record<string, TraceStep[]> = {};
  const lines: string[] = [];
  for (const [id, figure] of Object.entries(data)) {
    const byMark = new Map<string, number[]>();
    for (const sample of figure.traces) {
      for (const [mark, ms] of Object.entries(sample)) {
        byMark.set(mark, [...(byMark.get(mark) ?? []), ms]);
      }
    }
    const steps = [...byMark]
      .map(([mark, values]) => ({ mark, medianMs: summarize(values).median, n: values.length }))
      .sort((a, b) => a.medianMs - b.medianMs);
    figures[id] = steps;
    const text = steps.map(
      (s) => `${s.mark} ${s.medianMs.toFixed(1)}${s.n < figure.traces.length ? ` (n=${s.n})` : ''}`,
    );
    lines.push(`- ${id.toUpperCase()}: ${text.join(' → ')}`);
  }
  return { text: lines.join('\n'), figures };
}
