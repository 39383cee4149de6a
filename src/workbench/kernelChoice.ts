// Which kernelspec a document's or notebook's context starts. No `vscode` import: the builder passes values in.
import { kernelNameForLanguage } from '../kernels/languageKernels';

/** The settings that decide which kernel a document gets. */
export interface KernelChoiceSettings {
  languageKernels(): Readonly<Record<string, string>>;
  defaultKernel(): string;
  /** Server for contexts whose document has no chosen one; the registry's default when absent. */
  defaultServer?(): string;
}

/** A kernel the user chose for a document (Select Kernel) or a notebook (its controller), and its server if chosen. */
export interface KernelChoice {
  kernelName: string;
  server?: string;
}

/** What is known about a document's kernel, strongest first. */
export interface KernelClues {
  /** The kernel the user chose for this document or notebook. */
  chosen?: string;
  /** The kernelspec the notebook's own metadata names (`kernelspec.name`). */
  declared?: string;
  /** The document's language (`python`, `r`), or the notebook's (`language_info.name`). */
  language?: string;
}

/**
 * The kernelspec of a context: the user's choice, else the one the notebook names, else the language's mapping
 * (`kernelIslands.languageKernels`, then the defaults), else `kernelIslands.defaultKernel`.
 */
export function kernelNameFor(clues: KernelClues, settings: KernelChoiceSettings): string {
  return (
    clues.chosen ??
    clues.declared ??
    kernelNameForLanguage(clues.language, settings.languageKernels(), settings.defaultKernel())
  );
}
