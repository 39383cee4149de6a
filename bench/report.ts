import { summarize, type Summary } from './stats';

/**
 * Which number of a row a goal is judged on; `difference` is the row's median minus its baseline's median (the UI
 * bench's "at most engine + 25 ms").
 */
export type GoalMetric = 'median' | 'p95' | 'max' | 'ratio' | 'difference';

/** A target from issue 5, e.g. "median <= 50 ms" or "ratio >= 0.8". */
export interface Goal {
  metric: GoalMetric;
  op: '<=' | '>=';
  target: number;
}

/**
 * One line of the table. `samples` are in `unit`; for rates (`higherIsBetter`) the worst tail is the
 * low end, so the "p95" column then shows the 5th percentile (the value 95 % of runs beat).
 */
export interface RowInput {
  id: string;
  label: string;
  unit: string;
  samples: readonly number[];
  higherIsBetter?: boolean;
  baseline?: { label: string; samples: readonly number[] };
  goal?: Goal;
  note?: string;
}

/** A row with its statistics worked out, as printed and written to results.json. */
export interface Row {
  id: string;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  value: Summary & { worst: number };
  baseline?: { label: string; value: Summary & { worst: number } };
  /** This row's median divided by the baseline's median. */
  ratio?: number;
  /** This row's median minus the baseline's median, in `unit`. */
  difference?: number;
  goal?: Goal;
  /** Undefined when the row has no goal. */
  met?: boolean;
  note?: string;
}

/** Works out statistics, ratio and goal verdict of a row. */
export function makeRow(input: RowInput): Row {
  const higherIsBetter = input.higherIsBetter ?? false;
  const value = withWorst(summarize(input.samples), input.samples, higherIsBetter);
  const baseline = input.baseline && {
    label: input.baseline.label,
    value: withWorst(summarize(input.baseline.samples), input.baseline.samples, higherIsBetter),
  };
  const ratio = baseline && baseline.value.median > 0 ? value.median / baseline.value.median : undefined;
  const row: Row = { id: input.id, label: input.label, unit: input.unit, higherIsBetter, value, baseline, ratio };
  if (baseline) {
    row.difference = value.median - baseline.value.median;
  }
  if (input.goal) {
    row.goal = input.goal;
    row.met = judge(input.goal, row);
  }
  if (input.note) {
    row.note = input.note;
  }
  return row;
}

/** True when the row meets its goal; a ratio or difference goal without a baseline is never met. */
export function judge(goal: Goal, row: { value: Summary; ratio?: number; difference?: number }): boolean {
  const actual = {
    ratio: row.ratio,
    difference: row.difference,
    max: row.value.max,
    p95: row.value.p95,
    median: row.value.median,
  }[goal.metric];
  if (actual === undefined) {
    return false;
  }
  return goal.op === '<=' ? actual <= goal.target : actual >= goal.target;
}

/** Describes a goal for people: "median <= 50 ms", "<= 1.15x baseline". */
export function describeGoal(goal: Goal, unit: string): string {
  if (goal.metric === 'ratio') {
    return `${goal.op} ${goal.target}x base`;
  }
  if (goal.metric === 'difference') {
    return `median ${goal.op} base + ${goal.target} ${unit}`;
  }
  return `${goal.metric} ${goal.op} ${goal.target} ${unit}`;
}

function withWorst(summary: Summary, samples: readonly number[], higherIsBetter: boolean): Summary & { worst: number } {
  if (!higherIsBetter) {
    return { ...summary, worst: summary.p95 };
  }
  const sorted = [...samples].sort((a, b) => b - a);
  const rank = Math.max(1, Math.ceil(0.95 * sorted.length));
  return { ...summary, worst: sorted[rank - 1] };
}
