import * as vscode from 'vscode';

/** The document or notebook a tab shows by URI; a diff editor shows its modified side. */
export function uriOfTab(tab: vscode.Tab): vscode.Uri | undefined {
  const input = tab.input;
  if (input instanceof vscode.TabInputText || input instanceof vscode.TabInputNotebook) {
    return input.uri;
  }
  if (input instanceof vscode.TabInputTextDiff) {
    return input.modified;
  }
  return undefined;
}

/** URIs (as strings, which are context ids) of every document and notebook open in a tab of any group. */
export function openTabUris(): Set<string> {
  const uris = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const uri = uriOfTab(tab);
      if (uri) {
        uris.add(uri.toString());
      }
    }
  }
  return uris;
}
