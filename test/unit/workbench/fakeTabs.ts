/** The tab model of `vscode.window.tabGroups` as `workbench/openTabs` reads it, for stubs of `vscode`. */

/** A URI that prints as its text, like `vscode.Uri.toString()`. */
export class FakeUri {
  constructor(private readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** The tab input classes `openTabs` tells apart. */
export class TabInputText {
  constructor(readonly uri: FakeUri) {}
}
export class TabInputNotebook {
  constructor(
    readonly uri: FakeUri,
    readonly notebookType = 'jupyter-notebook',
  ) {}
}
export class TabInputTextDiff {
  constructor(
    readonly original: FakeUri,
    readonly modified: FakeUri,
  ) {}
}
export class TabInputWebview {
  constructor(readonly viewType: string) {}
}

export type TabGroups = Array<{ tabs: Array<{ input: unknown }> }>;

/** What a `vscode` stub needs for tabs; `tabGroups` holds the groups a test fills (a getter may compute them). */
export function tabsStub<G extends { all: TabGroups }>(tabGroups: G) {
  return { TabInputText, TabInputNotebook, TabInputTextDiff, window: { tabGroups } };
}
