/**
 * Kernel completions (`complete_request`, messaging spec 5.x), shared by both transports. The protocol counts
 * `cursor_pos`, `cursor_start` and `cursor_end` in Unicode code points (spec 5.2+); JavaScript strings count
 * UTF-16 units, so a surrogate pair (an emoji, some CJK) before the cursor would shift every offset by one.
 */

/** What the kernel offers: each match replaces `code.slice(start, end)` (UTF-16 offsets into the code sent). */
export interface CompletionResult {
  matches: string[];
  start: number;
  end: number;
}

/** The `complete_reply` content we read. */
export interface CompleteReplyContent {
  status?: string;
  matches?: unknown;
  cursor_start?: unknown;
  cursor_end?: unknown;
}

/** Code points in `code` before UTF-16 offset `offset` (the protocol's `cursor_pos`). */
export function toCodePoints(code: string, offset: number): number {
  let points = 0;
  for (let i = 0; i < offset && i < code.length; i++) {
    const unit = code.charCodeAt(i);
    // A high surrogate followed by a low one is one code point: count it once, at its second unit.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < code.length && isLowSurrogate(code.charCodeAt(i + 1))) {
      continue;
    }
    points++;
  }
  return points;
}

/** The UTF-16 offset of code point `points` in `code` (the inverse of {@link toCodePoints}). */
export function fromCodePoints(code: string, points: number): number {
  let offset = 0;
  for (let seen = 0; seen < points && offset < code.length; seen++) {
    const unit = code.charCodeAt(offset);
    offset += unit >= 0xd800 && unit <= 0xdbff && isLowSurrogate(code.charCodeAt(offset + 1)) ? 2 : 1;
  }
  return offset;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** The request content for code with the cursor at UTF-16 offset `cursor`. */
export function completeRequestContent(code: string, cursor: number): { code: string; cursor_pos: number } {
  return { code, cursor_pos: toCodePoints(code, cursor) };
}

/**
 * A reply as a result in UTF-16 offsets. A reply with an error status, or without matches, offers nothing; a
 * reply without a range replaces nothing before the cursor, as the spec says of a missing `cursor_start`.
 */
export function completionFromReply(code: string, cursor: number, reply: CompleteReplyContent): CompletionResult {
  const matches =
    reply.status === 'ok' && Array.isArray(reply.matches)
      ? reply.matches.filter((m): m is string => typeof m === 'string')
      : [];
  const start = typeof reply.cursor_start === 'number' ? fromCodePoints(code, reply.cursor_start) : cursor;
  const end = typeof reply.cursor_end === 'number' ? fromCodePoints(code, reply.cursor_end) : cursor;
  return { matches, start: Math.min(start, end), end };
}
