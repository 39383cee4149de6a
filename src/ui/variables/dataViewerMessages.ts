import type { TablePage, TableSort } from '../../kernels/inspection/inspectionProtocol';

/** What the data viewer's webview asks the extension: a page of rows, in the (kernel-side) sort it shows. */
export type ViewerRequest = { type: 'ready' } | { type: 'fetch'; seq: number; start: number; sort?: TableSort };

/** What the extension answers; `retry` means the kernel is busy now and the webview should ask again later. */
export type ViewerReply =
  | { type: 'init'; title: string }
  | { type: 'page'; seq: number; page: TablePage }
  | { type: 'error'; seq: number; message: string; retry: boolean };
