import * as vscode from 'vscode';
import type { ErrorReporter } from './reportError';

/** What registers commands: `vscode.commands`, or a unit test's recorder. */
export type CommandRegistry = Pick<typeof vscode.commands, 'registerCommand'>;

/** How a command treats a failure besides reporting it. */
export interface CommandOptions<A extends unknown[]> {
  /**
   * Whether this call is scripted (a test or another extension passed arguments): after the report, it also
   * rejects with the failure, so the caller learns why. Without it, every call resolves once the failure is reported.
   */
  rejectsWhen?: (...args: A) => boolean;
}

/** Registers one command whose failures are reported; see {@link commandRegistrar}. */
export type RegisterCommand = <A extends unknown[]>(
  id: string,
  handler: (...args: A) => unknown,
  options?: CommandOptions<A>,
) => vscode.Disposable;

/** The usual `rejectsWhen`: a call given a first argument is scripted (the palette passes none). */
export const givenAnArgument = (...args: unknown[]): boolean => args[0] !== undefined;

/**
 * The one way to register a command (a unit test checks no other file calls `registerCommand`): the handler is
 * awaited, and whatever it throws or rejects with goes to `report` (`workbench/reportError`, the one error path) with the
 * command's id. A command that shows a problem itself (a hint, an information message) just returns.
 */
export function commandRegistrar(report: ErrorReporter, commands: CommandRegistry = vscode.commands): RegisterCommand {
  return <A extends unknown[]>(id: string, handler: (...args: A) => unknown, options?: CommandOptions<A>) =>
    commands.registerCommand(id, async (...args: A) => {
      try {
        return await handler(...args);
      } catch (err) {
        report(err, id);
        if (options?.rejectsWhen?.(...args)) {
          throw err;
        }
        return undefined;
      }
    });
}
