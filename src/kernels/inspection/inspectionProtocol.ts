/**
 * The small JSON protocol between Kernel Islands and its inspection snippets in the kernel (Python:
 * `pythonInspection`, R: `rInspection`). A request goes in as JSON text; the answer comes back as JSON in a user
 * expression (Python) or a display of our own mime type (R), never in the user's outputs or history.
 */

/** Rows per page the data viewer asks for. */
export const PAGE_ROWS = 200;

/**
 * One step from a value to one of its children: `a` a name (a top-level variable, an attribute), `i` a position
 * (a list item, the i-th key of a dict, a data frame's i-th column). Positions are 0-based in every language.
 */
export type PathStep = { a: string } | { i: number };

/** What the data viewer can show of a value: a table of rows and columns. */
type TableKind = 'dataframe' | 'series' | 'ndarray' | 'data.frame' | 'matrix';

/** One variable (or child of one) as the Variables view lists it. */
export interface VariableEntry {
  name: string;
  /** The value's type name (`DataFrame`, `int`, `data.frame`). */
  type: string;
  /** Shape (`(10000000, 3)`) or length (`12`), or empty. */
  size: string;
  /** A short value, cut by the kernel to at most 200 characters. */
  value: string;
  /** Whether it has children to list (dict items, list items, columns, attributes). */
  expandable: boolean;
  /** The step from its parent to it. */
  step: PathStep;
  /** Set when the data viewer can open it. */
  table?: TableKind;
}

/** The answer to `list`: the entries at a path (top level: the user's namespace). */
export interface VariableList {
  entries: VariableEntry[];
  /** How many there were before the kernel's cut at 500 entries. */
  total: number;
}

/** A column of a table, with its type as the kernel names it (`int64`, `numeric`). */
export interface TableColumn {
  name: string;
  dtype: string;
}

/** The answer to `table`: the shape, the header and one page of rows, formatted by the kernel. */
export interface TablePage {
  rowCount: number;
  columns: TableColumn[];
  /** Index of the first row of `rows` in the (sorted) table. */
  start: number;
  /** Row labels (the index), one per row. */
  labels: string[];
  /** Cell texts, row by row, each cut by the kernel to at most 200 characters. */
  rows: string[][];
}

/** A sort of a table by one column, done in the kernel. */
export interface TableSort {
  column: number;
  ascending: boolean;
}

/** A request to an inspection snippet. */
export type InspectionRequest =
  { op: 'list'; path: PathStep[] } | { op: 'table'; path: PathStep[]; start: number; count: number; sort?: TableSort };

/** What each request answers. */
export interface InspectionAnswers {
  list: VariableList;
  table: TablePage;
}

/** An answer envelope: the snippet reports its own failures (a path that no longer resolves) as `error`. */
export type InspectionEnvelope<T> = { ok: T } | { error: string };
