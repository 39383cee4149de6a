import type { SetupTarget } from './types';

/**
 * A string literal that both Python and R read back as `value`: JSON escapes (\", \\, \n, \uXXXX)
 * mean the same in both languages.
 */
function literal(value: string): string {
  return JSON.stringify(value);
}

/**
 * Python set-up: change directory and set `__file__` in one expression-free line that binds no helper
 * names, so the user namespace of a prepared kernel equals a fresh kernel's (plus `__file__`).
 */
function pythonSetup(target: SetupTarget): string | undefined {
  const parts: string[] = [];
  if (target.cwd) {
    parts.push(`__import__('os').chdir(${literal(target.cwd)})`);
  }
  if (target.file) {
    parts.push(`globals().__setitem__('__file__', ${literal(target.file)})`);
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

/** R set-up: `setwd` only; R has no `__file__` convention. `invisible` keeps the old directory out of the output. */
function rSetup(target: SetupTarget): string | undefined {
  return target.cwd ? `invisible(setwd(${literal(target.cwd)}))` : undefined;
}

const builders: Record<string, (target: SetupTarget) => string | undefined> = {
  python: pythonSetup,
  r: rSetup,
};

/**
 * The code to run silently before a context's first run (and after its state is lost), for a kernel
 * language. Undefined when there is nothing to do or the language has no set-up.
 */
export function setupCode(language: string, target: SetupTarget): string | undefined {
  return builders[language.toLowerCase()]?.(target);
}
