import * as vscode from 'vscode';

/** Extensions that also bind Shift+Enter in Python editors. */
const RIVALS: ReadonlyArray<{ id: string; name: string }> = [
  { id: 'ms-python.python', name: 'Python' },
  { id: 'ms-toolsai.jupyter', name: 'Jupyter' },
];

const SHOWN_KEY = 'kernelIslands.keybindingNoticeShown';

/**
 * VS Code gives a key bound by two extensions to whichever registered last, which the user cannot see. When the
 * Python or Jupyter extension is installed we say so once, and offer the two deterministic fixes: pin the key in
 * the user's keybindings (which always win), or leave Python to the other extension.
 */
export async function noticeKeybindingConflicts(
  state: vscode.Memento,
  languages: () => readonly string[],
  setLanguages: (languages: string[]) => Thenable<void>,
): Promise<void> {
  const rivals = RIVALS.filter((r) => vscode.extensions.getExtension(r.id) !== undefined);
  if (rivals.length === 0 || !languages().includes('python') || state.get<boolean>(SHOWN_KEY)) {
    return;
  }
  await state.update(SHOWN_KEY, true);
  const names = rivals.map((r) => r.name).join(' and ');
  const pin = 'Open Keyboard Shortcuts';
  const leave = `Leave Python to ${names}`;
  const answer = await vscode.window.showInformationMessage(
    `Kernel Islands: the ${names} extension also binds Shift+Enter in Python files; VS Code gives it to whichever ` +
      'extension loaded last. Pin it in your keyboard shortcuts, or leave Python files to the other extension.',
    pin,
    leave,
  );
  if (answer === pin) {
    await vscode.commands.executeCommand('workbench.action.openGlobalKeybindings', 'shift+enter');
  } else if (answer === leave) {
    await setLanguages(languages().filter((l) => l !== 'python'));
  }
}
