/**
 * The Debug Adapter Protocol messages, as far as the kernel debugger and VS Code exchange them: the Jupyter debug
 * protocol carries DAP requests in `debug_request`, responses in `debug_reply` and events in `debug_event`.
 * Bodies stay loose (`Record<string, unknown>`): each command's fields are read where they are mapped.
 */
export interface DapRequest {
  seq: number;
  type: 'request';
  command: string;
  arguments?: Record<string, unknown>;
}

export interface DapResponse {
  seq: number;
  type: 'response';
  request_seq: number;
  success: boolean;
  command: string;
  message?: string;
  body?: Record<string, unknown>;
}

export interface DapEvent {
  seq: number;
  type: 'event';
  event: string;
  body?: Record<string, unknown>;
}

export type DapMessage = DapRequest | DapResponse | DapEvent;

/** A DAP `Source`: where a frame or breakpoint is. */
export interface DapSource {
  name?: string;
  path?: string;
  [key: string]: unknown;
}
