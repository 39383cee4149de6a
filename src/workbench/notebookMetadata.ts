// What a notebook's own nbformat metadata says about its kernel. No `vscode` import: it reads the plain object
// VS Code's ipynb extension gives as `NotebookDocument.metadata`, so unit tests drive it with recorded metadata.

/** The kernelspec name and language a notebook's metadata names, each when present. */
interface NotebookKernelHint {
  /** `metadata.kernelspec.name`, e.g. `python3`, `ir`. */
  name?: string;
  /** Lower case: `metadata.language_info.name`, else `metadata.kernelspec.language`. */
  language?: string;
}

/** The nbformat notebook metadata (`kernelspec`, `language_info`), wherever this VS Code version keeps it. */
function nbMetadata(documentMetadata: unknown): Record<string, unknown> | undefined {
  const top = documentMetadata as Record<string, unknown> | undefined;
  // Recent ipynb extensions store the notebook's JSON minus cells as the metadata; older ones under `custom`.
  const inner = (top?.metadata ?? (top?.custom as Record<string, unknown> | undefined)?.metadata) as
    Record<string, unknown> | undefined;
  return inner && typeof inner === 'object' ? inner : undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** Reads the kernel hint from a `NotebookDocument.metadata`, as Jupyter does: kernelspec name, language_info. */
export function notebookKernelHint(documentMetadata: unknown): NotebookKernelHint {
  const meta = nbMetadata(documentMetadata);
  const spec = meta?.kernelspec as { name?: unknown; language?: unknown } | undefined;
  const info = meta?.language_info as { name?: unknown } | undefined;
  const language = text(info?.name) ?? text(spec?.language);
  return { name: text(spec?.name), language: language?.toLowerCase() };
}
