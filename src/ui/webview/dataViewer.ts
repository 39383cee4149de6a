// Runs inside the data viewer webview (browser). Shows a table the kernel holds, asking for ~200 rows at a time as
// the user scrolls; sorting is asked of the kernel. Only the rows near the visible ones are kept.
import type { TableColumn, TableSort } from '../../kernels/inspection/inspectionProtocol';
import { PAGE_ROWS } from '../../kernels/inspection/inspectionProtocol';
import type { ViewerReply, ViewerRequest } from '../variables/dataViewerMessages';

declare function acquireVsCodeApi(): { postMessage(msg: ViewerRequest): void };

const vscodeApi = acquireVsCodeApi();
const ROW_HEIGHT = 22;
/** Browsers cap an element's height; beyond this the scroll position maps to rows proportionally. */
const MAX_SCROLL_PX = 4_000_000;
/** Pages kept in memory (around the visible rows); older ones are dropped. */
const MAX_PAGES = 20;
const RETRY_MS = 500;

const scroller = document.getElementById('scroller') as HTMLElement;
const spacer = document.getElementById('spacer') as HTMLElement;
const body = document.getElementById('rows') as HTMLTableSectionElement;
const head = document.getElementById('head') as HTMLTableRowElement;
const summary = document.getElementById('summary') as HTMLElement;
const status = document.getElementById('status') as HTMLElement;
const goTo = document.getElementById('goto') as HTMLInputElement;

let rowCount = -1;
let columns: TableColumn[] = [];
let sort: TableSort | undefined;
let seq = 0;
const pages = new Map<number, { labels: string[]; rows: string[][] }>();
const asked = new Set<number>();

function fetchPage(page: number): void {
  if (asked.has(page) || pages.has(page)) {
    return;
  }
  asked.add(page);
  vscodeApi.postMessage({ type: 'fetch', seq, start: page * PAGE_ROWS, ...(sort ? { sort } : {}) });
}

function totalHeight(): number {
  return Math.min(Math.max(rowCount, 0) * ROW_HEIGHT, MAX_SCROLL_PX);
}

function visibleRows(): number {
  return Math.ceil(scroller.clientHeight / ROW_HEIGHT) + 1;
}

/** The first row shown for the scroll position (proportional when the table is taller than the spacer). */
function firstRow(): number {
  const max = Math.max(1, totalHeight() - scroller.clientHeight);
  const last = Math.max(0, rowCount - visibleRows() + 1);
  if (rowCount * ROW_HEIGHT <= MAX_SCROLL_PX) {
    return Math.min(last, Math.floor(scroller.scrollTop / ROW_HEIGHT));
  }
  return Math.min(last, Math.round((scroller.scrollTop / max) * last));
}

function scrollToRow(row: number): void {
  const last = Math.max(0, rowCount - visibleRows() + 1);
  const target = Math.max(0, Math.min(row, last));
  if (rowCount * ROW_HEIGHT <= MAX_SCROLL_PX) {
    scroller.scrollTop = target * ROW_HEIGHT;
  } else {
    scroller.scrollTop = (target / Math.max(1, last)) * Math.max(1, totalHeight() - scroller.clientHeight);
  }
  render();
}

function cell(tag: 'td' | 'th' | 'span', text: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  node.textContent = text;
  if (className) {
    node.className = className;
  }
  return node;
}

function renderHeader(): void {
  head.replaceChildren(cell('th', '', 'label'));
  columns.forEach((column, i) => {
    const th = cell('th', '');
    const arrow = sort?.column === i ? (sort.ascending ? ' ▲' : ' ▼') : '';
    th.append(cell('span', column.name + arrow, 'name'), cell('span', column.dtype, 'dtype'));
    th.title = `${column.name} (${column.dtype}): click to sort`;
    th.addEventListener('click', () => sortBy(i));
    head.append(th);
  });
}

function render(): void {
  spacer.style.height = `${totalHeight()}px`;
  const first = firstRow();
  const count = Math.min(visibleRows(), Math.max(0, rowCount - first));
  const rows: HTMLElement[] = [];
  for (let r = first; r < first + count; r++) {
    const pageIndex = Math.floor(r / PAGE_ROWS);
    const page = pages.get(pageIndex);
    const tr = document.createElement('tr');
    if (page) {
      const i = r - pageIndex * PAGE_ROWS;
      tr.append(cell('td', page.labels[i] ?? '', 'label'), ...(page.rows[i] ?? []).map((text) => cell('td', text)));
    } else {
      tr.append(cell('td', '…', 'label'));
      fetchPage(pageIndex);
    }
    rows.push(tr);
  }
  body.replaceChildren(...rows);
  // The table stays in view; the spacer gives the scrollbar its length.
  body.parentElement!.style.transform = `translateY(${scroller.scrollTop}px)`;
  dropFarPages(Math.floor(first / PAGE_ROWS));
}

function dropFarPages(current: number): void {
  if (pages.size <= MAX_PAGES) {
    return;
  }
  const far = [...pages.keys()].sort((a, b) => Math.abs(b - current) - Math.abs(a - current));
  for (const page of far.slice(0, pages.size - MAX_PAGES)) {
    pages.delete(page);
  }
}

function sortBy(column: number): void {
  sort =
    sort?.column !== column ? { column, ascending: true } : sort.ascending ? { column, ascending: false } : undefined;
  seq++;
  pages.clear();
  asked.clear();
  status.textContent = sort ? 'Sorting in the kernel…' : '';
  renderHeader();
  render();
}

window.addEventListener('message', (event: MessageEvent<ViewerReply>) => {
  const msg = event.data;
  if (msg.type === 'init') {
    document.title = msg.title;
    return;
  }
  if (msg.seq !== seq) {
    return; // an answer for a sort the user has left
  }
  if (msg.type === 'error') {
    status.textContent = msg.message;
    asked.clear();
    if (msg.retry) {
      setTimeout(render, RETRY_MS);
    }
    return;
  }
  const { page } = msg;
  const firstAnswer = rowCount < 0;
  rowCount = page.rowCount;
  columns = page.columns;
  pages.set(Math.floor(page.start / PAGE_ROWS), { labels: page.labels, rows: page.rows });
  summary.textContent = `${rowCount.toLocaleString('en-US')} rows × ${columns.length} columns`;
  status.textContent = '';
  goTo.max = String(Math.max(0, rowCount - 1));
  if (firstAnswer) {
    renderHeader();
  }
  render();
});

scroller.addEventListener('scroll', () => render(), { passive: true });
window.addEventListener('resize', () => render());
goTo.addEventListener('keydown', (e) => {
  if (e.key === 'Enter') {
    const row = Number(goTo.value);
    if (Number.isFinite(row)) {
      scrollToRow(Math.floor(row));
    }
  }
});

status.textContent = 'Loading…';
fetchPage(0);
vscodeApi.postMessage({ type: 'ready' });
