import * as vscode from 'vscode';
import type { ContextSpecBuilder } from '../workbench/contextSpecBuilder';
import type { IContextRegistry } from '../kernels/types';
import { hoverMarkdown } from './inspectHoverText';

/** How long a hover waits for the kernel's answer before showing nothing. */
const HOVER_WAIT_MS = 300;
/** How long editor completions wait for the kernel. */
const COMPLETE_WAIT_MS = 1000;
/** A name with its dotted prefix (`df.head`): the kernel inspects the whole attribute chain. */
const DOTTED_NAME = /[A-Za-z_][\w.]*/;

/** The settings the kernel's hovers and completions read (live). */
export interface KernelInspectionSettings {
  languages(): readonly string[];
  editorKernelHover(): boolean;
  editorKernelCompletions(): boolean;
  onDidChange(listener: () => void): vscode.Disposable;
}

/**
 * Hovers (on by default) and completions (opt-in) from the live kernel of the document's context. Only a running,
 * idle kernel with no run queued is asked (never one started for it, never one busy), and a slow answer is
 * dropped after a short wait.
 */
export function registerKernelInspection(
  registry: IContextRegistry,
  contexts: ContextSpecBuilder,
  settings: KernelInspectionSettings,
): vscode.Disposable {
  const selector = (): vscode.DocumentSelector =>
    settings.languages().flatMap((language) => [
      { language, scheme: 'file' },
      { language, scheme: 'untitled' },
    ]);
  const sessionOf = (doc: vscode.TextDocument) => registry.idleSession(contexts.forDocument(doc).id);
  const hover: vscode.HoverProvider = {
    async provideHover(doc, position) {
      const range = doc.getWordRangeAtPosition(position, DOTTED_NAME);
      const session = settings.editorKernelHover() && range ? sessionOf(doc) : undefined;
      if (!session || !range) {
        return undefined;
      }
      const line = doc.lineAt(position.line).text;
      // Up to the end of the hovered part of a dotted name: `df.he|ad` on `df` asks about `df`.
      const end = line.indexOf('.', position.character);
      const cursor = end >= 0 && end < range.end.character ? end : range.end.character;
      const answer = await within(session.inspect(line, cursor, 0), HOVER_WAIT_MS);
      const text = answer && hoverMarkdown(answer);
      return text ? new vscode.Hover(new vscode.MarkdownString(text), range) : undefined;
    },
  };
  const completions: vscode.CompletionItemProvider = {
    async provideCompletionItems(doc, position) {
      const session = settings.editorKernelCompletions() ? sessionOf(doc) : undefined;
      if (!session) {
        return undefined;
      }
      const line = doc.lineAt(position.line).text.slice(0, position.character);
      const answer = await within(session.complete(line, position.character), COMPLETE_WAIT_MS);
      if (!answer || answer.matches.length === 0) {
        return undefined;
      }
      const range = new vscode.Range(position.line, answer.start, position.line, answer.end);
      return answer.matches.map((m) => {
        const item = new vscode.CompletionItem(m, vscode.CompletionItemKind.Variable);
        item.range = range;
        item.detail = 'kernel';
        return item;
      });
    },
  };
  let registrations: vscode.Disposable | undefined;
  const register = (): void => {
    registrations?.dispose();
    registrations = vscode.Disposable.from(
      vscode.languages.registerHoverProvider(selector(), hover),
      vscode.languages.registerCompletionItemProvider(selector(), completions, '.'),
    );
  };
  register();
  // The languages may change; the providers follow without a reload.
  const changes = settings.onDidChange(register);
  return {
    dispose: () => {
      changes.dispose();
      registrations?.dispose();
    },
  };
}

/** The promise's value, or undefined when it takes longer than `ms` or fails (a hover shows nothing then). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
    );
  });
}
