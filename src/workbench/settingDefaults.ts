// Defaults of `kernelIslands.*` settings that code outside `settings.ts` needs too, declared once here. This file
// imports nothing (no `vscode`), so plain-Node modules such as `ui/results/resultsModel` can use it; package.json's
// `contributes.configuration` is the documented truth, and test/unit/workbench/settingDefaults.test.ts ties the two.

/** `kernelIslands.results.maxOutputLines` unset: lines of text output a run keeps in its results panel. */
export const DEFAULT_RESULTS_MAX_OUTPUT_LINES = 5000;
