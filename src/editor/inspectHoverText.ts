import { joinMultiline } from '../common/multilineText';
import { stripAnsi } from '../kernels/output/streamText';
import type { InspectResult } from '../kernels/types';

/** The hover's markdown for an inspect answer: its plain text without colours, as a code block; '' when empty. */
export function hoverMarkdown(answer: InspectResult): string {
  if (!answer.found) {
    return '';
  }
  const raw = answer.data['text/plain'];
  const text = stripAnsi(joinMultiline(raw)).trim();
  if (!text) {
    return '';
  }
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  return `${fence}text\n${text}\n${fence}`;
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}
