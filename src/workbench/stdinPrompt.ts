import * as vscode from 'vscode';
import type { StdinRequest } from '../kernels/types';

/** Answers `input()` / `getpass()` from the kernel; undefined means the user cancelled. */
export type StdinPrompt = (request: StdinRequest) => Promise<string | undefined>;

/** Asks the user through an input box; password prompts are masked. */
export const inputBoxStdin: StdinPrompt = async (request) =>
  vscode.window.showInputBox({
    title: 'Kernel Islands: the kernel asks for input',
    prompt: request.prompt || 'Input',
    password: request.password,
    ignoreFocusOut: true,
  });
