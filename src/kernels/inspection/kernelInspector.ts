import { joinMultiline } from '../../common/multilineText';
import type { KernelSession } from '../types';
import {
  PAGE_ROWS,
  type InspectionAnswers,
  type InspectionEnvelope,
  type InspectionRequest,
  type PathStep,
  type TablePage,
  type TableSort,
  type VariableList,
} from './inspectionProtocol';
import { PYTHON_ANSWER, pythonInspectionExpression } from './pythonInspection';
import { R_ANSWER_MIME, rInspectionCode } from './rInspection';

/** Why an inspection gave no answer, in words for the user. */
class InspectionError extends Error {
  override readonly name = 'InspectionError';
}

/** Whether Kernel Islands can inspect kernels of this language (the kernelspec's `language`). */
export function canInspect(language: string): boolean {
  return inspectionLanguage(language) !== undefined;
}

/** The variables at `path` (top level: the user's namespace), summarized by the kernel. */
export function listVariables(session: KernelSession, path: PathStep[] = []): Promise<VariableList> {
  return inspect(session, { op: 'list', path });
}

/** One page of the table at `path` (a DataFrame, a 2-D array, a data.frame), sorted in the kernel when asked. */
export function tablePage(
  session: KernelSession,
  path: PathStep[],
  start: number,
  count = PAGE_ROWS,
  sort?: TableSort,
): Promise<TablePage> {
  return inspect(session, { op: 'table', path, start, count, ...(sort ? { sort } : {}) });
}

/**
 * Sends one request to the kernel's inspection snippet without changing what the user sees: a silent run that
 * stores no history (no execution count, nothing in `Out`, `_` or `In`) and leaves no name behind. Python answers
 * in a user expression, R in a display only this request receives.
 */
async function inspect<K extends InspectionRequest['op']>(
  session: KernelSession,
  request: InspectionRequest & { op: K },
): Promise<InspectionAnswers[K]> {
  const language = inspectionLanguage(session.language);
  if (language === 'python') {
    const result = await session.execute('', {
      silent: true,
      storeHistory: false,
      userExpressions: { [PYTHON_ANSWER]: pythonInspectionExpression(request) },
    });
    const answer = result.userExpressions?.[PYTHON_ANSWER];
    if (!answer) {
      throw new InspectionError(result.error?.evalue ?? `The kernel gave no answer (${result.status}).`);
    }
    if (answer.status === 'error') {
      throw new InspectionError(`${answer.ename}: ${answer.evalue}`);
    }
    return unwrap<InspectionAnswers[K]>(answer.data['application/json']);
  }
  if (language === 'r') {
    const result = await session.execute(rInspectionCode(request), { silent: true, storeHistory: false });
    for (const output of result.outputs) {
      const data = (output as { data?: Record<string, unknown> }).data;
      const text = data?.[R_ANSWER_MIME];
      if (text !== undefined) {
        return unwrap<InspectionAnswers[K]>(JSON.parse(joinMultiline(text)));
      }
    }
    throw new InspectionError(result.error?.evalue ?? `The kernel gave no answer (${result.status}).`);
  }
  throw new InspectionError(`Variables are not available for ${session.language} kernels.`);
}

function unwrap<T>(envelope: unknown): T {
  const e = envelope as InspectionEnvelope<T> | undefined;
  if (!e || typeof e !== 'object') {
    throw new InspectionError('The kernel answered something that is not an inspection answer.');
  }
  if ('error' in e) {
    throw new InspectionError(e.error);
  }
  return e.ok;
}

function inspectionLanguage(language: string): 'python' | 'r' | undefined {
  const l = language.toLowerCase();
  return l === 'python' ? 'python' : l === 'r' ? 'r' : undefined;
}
