import * as path from 'node:path';
import * as vscode from 'vscode';
import { KernelDebugBridge, type DebugOutcome } from '../kernels/debug/debugBridge';
import { checkDebugger } from '../kernels/debug/kernelDebugger';
import type { ContextSpec, ExecutionResult, IContextRegistry } from '../kernels/types';
import type { ContextSpecBuilder } from '../workbench/contextSpecBuilder';
import type { EditorRunner, Piece } from './editorRunner';

/** The debugger type this extension contributes (`contributes.debuggers` in package.json). */
export const KERNEL_DEBUG_TYPE = 'kernel-islands';

/** A Debug Cell or Debug File waiting for VS Code to ask for its adapter, then for its end. */
interface PendingDebug {
  doc: vscode.TextDocument;
  piece: Piece;
  spec: ContextSpec;
  /** Settles the command: the run's result, why the debug session could not start, or undefined (stopped first). */
  end(outcome: DebugOutcome): void;
}

/** What Debug Cell and Debug File need. */
interface CellDebuggingDeps {
  registry: IContextRegistry;
  contexts: ContextSpecBuilder;
  runner: EditorRunner;
}

/**
 * Debug Cell and Debug File: the code runs in the document's own context, through its normal run path (inline
 * result, results panel), under the kernel's own debugger, bridged to VS Code's debugger as an inline debug adapter
 * (`kernels/debug/debugBridge`). Breakpoints, frames and stepping are in the user's file and lines.
 */
export class CellDebugging implements vscode.DebugAdapterDescriptorFactory, vscode.Disposable {
  private readonly pending = new Map<string, PendingDebug>();
  private nextId = 0;
  private readonly registration: vscode.Disposable;

  constructor(private readonly deps: CellDebuggingDeps) {
    this.registration = vscode.debug.registerDebugAdapterDescriptorFactory(KERNEL_DEBUG_TYPE, this);
  }

  /**
   * Debugs the cell at `line` (the cursor's when absent; the whole file without markers) or the whole file.
   * Resolves with the run's result when the debug session ended; rejects when it could not start (e.g. a kernel
   * without a debugger, with the fix in the message).
   */
  async debug(editor: vscode.TextEditor, which: 'cell' | 'file', line?: number): Promise<ExecutionResult | undefined> {
    const doc = editor.document;
    if (doc.uri.scheme !== 'file') {
      void vscode.window.showInformationMessage('Kernel Islands: save the file first; the debugger needs its path.');
      return undefined;
    }
    const piece = await this.deps.runner.pieceToDebug(editor, which, line);
    if (piece.code.trim() === '') {
      void vscode.window.showInformationMessage('Kernel Islands: there is no code here to debug.');
      return undefined;
    }
    const spec = this.deps.contexts.forDocument(doc);
    // Refused here, through the command's error report, before VS Code shows a debug session that cannot start.
    await checkDebugger(await this.deps.registry.getOrStart(spec));
    const id = String(++this.nextId);
    let settled = false;
    const ended = new Promise<DebugOutcome>((resolve) => {
      this.pending.set(id, {
        doc,
        piece,
        spec,
        end: (outcome) => {
          settled = true;
          resolve(outcome);
        },
      });
    });
    try {
      const started = await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(doc.uri), {
        type: KERNEL_DEBUG_TYPE,
        request: 'launch',
        name: `${which === 'cell' ? 'Debug Cell' : 'Debug File'}: ${path.basename(doc.uri.fsPath)}`,
        kernelIslandsDebugId: id,
      });
      if (!started && !settled) {
        throw new Error(`VS Code did not start debugging ${path.basename(doc.uri.fsPath)}.`);
      }
      const result = await ended;
      if (result instanceof Error) {
        throw result;
      }
      return result;
    } finally {
      this.pending.delete(id);
    }
  }

  createDebugAdapterDescriptor(session: vscode.DebugSession): vscode.DebugAdapterDescriptor {
    const id = String((session.configuration as { kernelIslandsDebugId?: unknown }).kernelIslandsDebugId);
    const pending = this.pending.get(id);
    if (!pending) {
      throw new Error(
        'Kernel Islands debugs through its Debug Cell and Debug File commands, not a launch configuration.',
      );
    }
    const { registry, runner } = this.deps;
    const { doc, piece, spec } = pending;
    const bridge = new KernelDebugBridge(
      {
        session: () => registry.getOrStart(spec),
        run: async () => {
          const result = await runner.runPiece(doc, piece);
          if (!result) {
            throw new Error('There was no code to run.');
          }
          return result;
        },
        interrupt: () => registry.interrupt(spec.id),
      },
      { path: doc.uri.fsPath, firstLine: piece.firstLine + 1, code: piece.code },
    );
    bridge.onDidEnd((outcome) => pending.end(outcome));
    return new vscode.DebugAdapterInlineImplementation(bridge);
  }

  dispose(): void {
    this.registration.dispose();
  }
}
