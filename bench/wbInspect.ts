import { listVariables, tablePage } from '../src/kernels/inspection/kernelInspector';
import type { KernelSession } from '../src/kernels/types';
import { benchContext, plainResult, type Engine } from './engine';
import type { BenchConfig } from './options';
import type { RowInput } from './report';
import { timeIt } from './stats';

/** Raw figures of the workbench inspection (issue 16), in ms; the baseline is a `1+1` on the same kernel. */
export interface InspectData {
  /** `1+1` through the same session, interleaved with the samples below: the floor of any kernel query. */
  onePlusOne: number[];
  /** Listing a namespace of 100 variables (ints, strings, lists, dicts, arrays, small frames) and a 10M-row frame. */
  list100: number[];
  /** The data viewer opening a 10M-row DataFrame: its first page of 200 rows, with the row count and dtypes. */
  open10M: number[];
  /** A page of 200 rows at a random offset of the same frame (scrolling). */
  page10M: number[];
  /** The size of the listing's answer, in characters: the frame is summarized, never sent. */
  listChars: number;
}

const SETUP = [
  'import numpy as np, pandas as pd',
  'for _i in range(100):',
  '    _k = _i % 5',
  '    globals()[f"v{_i:03d}"] = [_i, f"text {_i}" * 3, list(range(_i)), {"k": _i, "l": [1, 2]},',
  '        pd.DataFrame({"a": np.arange(100)})][_k] if _k != 4 or _i % 10 else np.zeros((10, 10))',
  'big = pd.DataFrame({"a": np.arange(10_000_000), "b": np.random.rand(10_000_000), "c": "x"})',
  'del _i, _k',
].join('\n');

/** Measures the Variables view's listing and the data viewer's paging on a real kernel. */
export async function measureInspect(engine: Engine, config: BenchConfig): Promise<InspectData> {
  const spec = benchContext('inspect');
  const session = await engine.registry.getOrStart(spec);
  const data: InspectData = { onePlusOne: [], list100: [], open10M: [], page10M: [], listChars: 0 };
  try {
    const made = await engine.registry.execute(spec, SETUP);
    if (made.status !== 'ok') {
      throw new Error(`the bench namespace could not be made: ${made.error?.evalue ?? made.status}`);
    }
    const first = await listVariables(session);
    if (first.total !== 101 || !first.entries.some((e) => e.name === 'big' && e.size === '(10000000, 3)')) {
      throw new Error(`the listing should hold 100 variables and big: ${first.total}`);
    }
    data.listChars = JSON.stringify(first).length;
    const rounds = config.quick ? 10 : 40;
    for (let i = 0; i < rounds; i++) {
      data.onePlusOne.push((await timeIt(() => onePlusOne(session))).ms);
      data.list100.push((await timeIt(() => listVariables(session))).ms);
      data.open10M.push((await timeIt(() => openFrame(session))).ms);
      const offset = Math.floor(Math.random() * (10_000_000 - 200));
      data.page10M.push((await timeIt(() => page(session, offset))).ms);
    }
  } finally {
    await engine.registry.shutdown(spec.id);
  }
  return data;
}

async function onePlusOne(session: KernelSession): Promise<void> {
  if (plainResult(await session.execute('1+1'), '1+1') !== '2') {
    throw new Error('1+1 did not give 2');
  }
}

async function openFrame(session: KernelSession): Promise<void> {
  const first = await tablePage(session, [{ a: 'big' }], 0);
  if (first.rowCount !== 10_000_000 || first.rows.length !== 200 || first.columns.length !== 3) {
    throw new Error('the first page of big is wrong');
  }
}

async function page(session: KernelSession, offset: number): Promise<void> {
  const p = await tablePage(session, [{ a: 'big' }], offset);
  if (p.labels[0] !== String(offset) || p.rows.length !== 200) {
    throw new Error(`page at ${offset} started at ${p.labels[0]}`);
  }
}

/** The rows of the table: absolute goals from issue 16, each against the `1+1` floor of the same kernel. */
export function inspectRows(data: InspectData): RowInput[] {
  const floor = { label: '1+1 on the same kernel', samples: data.onePlusOne };
  return [
    {
      id: 'W1',
      label: 'Variables view: list 100 variables and a 10M-row frame',
      unit: 'ms',
      samples: data.list100,
      baseline: floor,
      goal: { metric: 'median', op: '<=', target: 100 },
      note: `the answer is ${data.listChars} characters: the 10M-row frame is listed from its shape`,
    },
    {
      id: 'W2',
      label: 'Data viewer: open a 10M-row DataFrame (first 200 rows, count, dtypes)',
      unit: 'ms',
      samples: data.open10M,
      baseline: floor,
      goal: { metric: 'max', op: '<=', target: 1000 },
    },
    {
      id: 'W2.page',
      label: 'Data viewer: a page of 200 rows at a random offset of 10M',
      unit: 'ms',
      samples: data.page10M,
      baseline: floor,
      goal: { metric: 'max', op: '<=', target: 1000 },
    },
  ];
}
