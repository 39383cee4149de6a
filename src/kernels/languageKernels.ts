/** Default language → kernelspec mapping. Values may end in `*` to match a prefix (julia-1.10, julia-1.11, ...). */
export const defaultLanguageKernels: Readonly<Record<string, string>> = {
  python: 'python3',
  r: 'ir',
  julia: 'julia-*',
};

/**
 * Picks the kernelspec for a language: the user's mapping first, then the defaults, then `fallback`.
 * A pattern ending in `*` resolves against `available` (highest name wins) when the list is known.
 */
export function kernelNameForLanguage(
  languageId: string | undefined,
  mapping: Readonly<Record<string, string>>,
  fallback: string,
  available?: readonly string[],
): string {
  const key = (languageId ?? '').toLowerCase();
  const wanted = mapping[key] ?? defaultLanguageKernels[key];
  if (!wanted) {
    return fallback;
  }
  if (!wanted.endsWith('*')) {
    return wanted;
  }
  const prefix = wanted.slice(0, -1);
  const matches = (available ?? [])
    .filter((name) => name.startsWith(prefix))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  return matches.length > 0 ? matches[matches.length - 1] : fallback;
}
