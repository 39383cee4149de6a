import type { SetupTarget } from '../types';

/**
 * A string literal that both Python and R read back as `value`: JSON escapes (\", \\, \n, \uXXXX)
 * mean the same in both languages (and in Julia, see `juliaLiteral`).
 */
function literal(value: string): string {
  return JSON.stringify(value);
}

/**
 * ipykernel's iopub PUB socket keeps ZMQ's default send limit of 1000 messages per subscriber and silently drops
 * output beyond it whenever a subscriber stalls (a busy extension host, a loaded machine): a 3 s stall of a client
 * lost 4,285 of 30,000 flushed prints, none with this line. It lifts the limit on the kernel's own iopub thread
 * (ZMQ sockets are not thread-safe; libzmq applies a new limit to connected pipes too). Binds no names, and does
 * nothing in a kernel that is not ipykernel.
 */
const PYTHON_IOPUB_UNBOUNDED =
  "(lambda t: t and t.schedule(lambda: t.socket.setsockopt(__import__('zmq').SNDHWM, 0)))(getattr(getattr(" +
  "getattr(__import__('sys').modules.get('IPython'), 'get_ipython', lambda: None)(), 'kernel', None), " +
  "'iopub_thread', None))";

/**
 * Python set-up: lift the iopub send limit, change directory and set `__file__`, in lines that bind no helper
 * names, so the user namespace of a prepared kernel equals a fresh kernel's (plus `__file__`).
 */
function pythonSetup(target: SetupTarget): string {
  const parts: string[] = [PYTHON_IOPUB_UNBOUNDED];
  if (target.cwd) {
    parts.push(`__import__('os').chdir(${literal(target.cwd)})`);
  }
  if (target.file) {
    parts.push(`globals().__setitem__('__file__', ${literal(target.file)})`);
  }
  return parts.join('\n');
}

/** R set-up: `setwd` only; R has no `__file__` convention. `invisible` keeps the old directory out of the output. */
function rSetup(target: SetupTarget): string | undefined {
  return target.cwd ? `invisible(setwd(${literal(target.cwd)}))` : undefined;
}

/**
 * A Julia string literal reading back as `value`: the JSON escapes mean the same in Julia, and `$`, which would
 * interpolate, is escaped too.
 */
function juliaLiteral(value: string): string {
  return literal(value).replace(/\$/g, '\\$');
}

/** Julia set-up: `cd` only (Julia has no settable `__file__`); `cd` returns `nothing`, so it prints nothing. */
function juliaSetup(target: SetupTarget): string | undefined {
  return target.cwd ? `cd(${juliaLiteral(target.cwd)})` : undefined;
}

const builders: Record<string, (target: SetupTarget) => string | undefined> = {
  python: pythonSetup,
  r: rSetup,
  julia: juliaSetup,
};

/**
 * The code to run silently before a context's first run (and after its state is lost), for a kernel
 * language. Undefined when there is nothing to do or the language has no set-up.
 */
export function setupCode(language: string, target: SetupTarget): string | undefined {
  return builders[language.toLowerCase()]?.(target);
}
