/** Default language → kernelspec mapping. Values may end in `*` to match a prefix (julia-1.10, julia-1.11, ...). */
const defaultLanguageKernels: Readonly<Record<string, string>> = {
  python: 'python3',
  r: 'ir',
  julia: 'julia-*',
};

/** How to get a kernelspec that a language's default pattern matches. */
const installHints: Readonly<Record<string, string>> = {
  'julia-*': 'Install IJulia in Julia (`using Pkg; Pkg.add("IJulia")`), which adds a julia-1.x kernelspec',
};

/**
 * Picks the kernelspec for a language: the user's mapping first, then the defaults, then `fallback`. The answer
 * may be a pattern ending in `*` (Julia's default `julia-*`): the kernel's server resolves it when the kernel
 * starts (`resolveKernelName`), since only that server knows which kernelspecs it has.
 */
export function kernelNameForLanguage(
  languageId: string | undefined,
  mapping: Readonly<Record<string, string>>,
  fallback: string,
): string {
  const key = (languageId ?? '').toLowerCase();
  return mapping[key] ?? defaultLanguageKernels[key] ?? fallback;
}

/** A kernelspec pattern (`julia-*`) matched no kernelspec on the server. */
export class NoMatchingKernelError extends Error {
  constructor(pattern: string, server: string, available: readonly string[]) {
    const hint = installHints[pattern] ?? 'Install a kernelspec whose name starts with that';
    super(
      `No kernelspec on the Jupyter server "${server}" matches "${pattern}". ${hint}, or map the language to an ` +
        `installed kernelspec in the setting kernelIslands.languageKernels. Available kernelspecs: ` +
        `${available.length > 0 ? [...available].sort().join(', ') : 'none'}.`,
    );
    this.name = 'NoMatchingKernelError';
  }
}

/**
 * The kernelspec to start for `wanted` on a server that has `available`: a plain name as it is; a pattern ending
 * in `*` as the highest matching name (julia-1.11 over julia-1.9). Throws `NoMatchingKernelError` when a pattern
 * matches nothing: a silent fallback would run a `.jl` file in Python.
 */
export function resolveKernelName(wanted: string, available: readonly string[], server: string): string {
  if (!wanted.endsWith('*')) {
    return wanted;
  }
  const prefix = wanted.slice(0, -1);
  const matches = available
    .filter((name) => name.startsWith(prefix))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (matches.length === 0) {
    throw new NoMatchingKernelError(wanted, server, available);
  }
  return matches[matches.length - 1];
}
