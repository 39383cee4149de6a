/**
 * A context named by a command argument: a context id string (palette, keybinding args, other extensions) or a
 * Kernels view item holding one in `contextId`.
 */
export type ContextArg = string | { contextId?: unknown } | undefined;

/** The context id a command argument names, or undefined when it names none (then commands use the active one). */
export function contextIdFromArg(arg: unknown): string | undefined {
  if (typeof arg === 'string') {
    return arg;
  }
  const id = (arg as { contextId?: unknown } | undefined)?.contextId;
  return typeof id === 'string' ? id : undefined;
}
