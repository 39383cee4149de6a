/**
 * Kernel inspection (`inspect_request`, messaging spec 5.x), shared by both transports: what the kernel knows of
 * the name at the cursor (IPython: signature, docstring, type). The cursor is a code-point offset on the wire, as
 * for completions (`completion.ts` converts).
 */
import { toCodePoints } from './completion';
import type { InspectResult } from '../types';

/** The `inspect_reply` content we read. */
export interface InspectReplyContent {
  status?: string;
  found?: unknown;
  data?: unknown;
}

/** The request content for code with the cursor at UTF-16 offset `cursor`. */
export function inspectRequestContent(
  code: string,
  cursor: number,
  detailLevel: 0 | 1,
): { code: string; cursor_pos: number; detail_level: 0 | 1 } {
  return { code, cursor_pos: toCodePoints(code, cursor), detail_level: detailLevel };
}

/** A reply as a result: found only with an ok status, `found` true and a mime bundle. */
export function inspectFromReply(reply: InspectReplyContent): InspectResult {
  const data = reply.data;
  if (reply.status !== 'ok' || reply.found !== true || data === null || typeof data !== 'object') {
    return { found: false, data: {} };
  }
  return { found: true, data: data as Record<string, unknown> };
}
