import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContextSummary, ExecuteResult, KernelIslandsApi, NbOutput } from '../../types/kernel-islands';
import { environmentKernelName } from '../python/pythonEnvironment';
import { LOCAL_SERVER } from '../jupyter/types';
import type { AgentLifecycle } from '../kernels/agentLifecycle';
import type { ContextSpec, IContextRegistry } from '../kernels/types';

/** Turns an API target (URI or free string) into the context it names. */
export type TargetResolver = (target: vscode.Uri | string) => ContextSpec;

/**
 * The API returned from `activate`. A thin layer over the registry: each target is one context, so each caller
 * that names its own context gets its own interpreter. Runs go through `agents`, so an `agent:` context shut down
 * by its lifecycle (idle, cap) says so in the next result's `notice`.
 */
export function createExportedApi(
  registry: IContextRegistry,
  agents: Pick<AgentLifecycle, 'execute'>,
  resolve: TargetResolver,
): KernelIslandsApi {
  const idOf = (target: vscode.Uri | string): string => resolve(target).id;
  return {
    apiVersion: 1,
    async execute(target, code, options = {}): Promise<ExecuteResult> {
      if (typeof code !== 'string') {
        throw new TypeError('Kernel Islands: execute(target, code) needs code as a string.');
      }
      const spec = { ...resolve(target) };
      if (options.kernelName) {
        spec.kernelName = options.kernelName;
      }
      if (options.server) {
        spec.server = options.server;
      }
      if (options.python !== undefined) {
        if (typeof options.python !== 'string' || !path.isAbsolute(options.python)) {
          throw new TypeError(
            'Kernel Islands: execute(…, { python }) needs the absolute path of a Python interpreter.',
          );
        }
        spec.kernelName = environmentKernelName(options.python);
        spec.server = LOCAL_SERVER;
      }
      const { result, notice } = await agents.execute(spec, code, { source: 'api' });
      return {
        status: result.status,
        executionCount: result.executionCount,
        outputs: result.outputs as NbOutput[],
        ...(notice ? { notice } : {}),
      };
    },
    contexts(): ContextSummary[] {
      return registry.list().map((c) => ({
        id: c.id,
        kind: c.kind,
        kernelName: c.kernelName,
        kernelId: c.kernelId,
        state: c.state,
        server: c.server,
        sandboxed: c.sandboxed === true,
        ...(c.environment
          ? {
              environment: {
                python: c.environment.python,
                root: c.environment.root,
                label: c.environment.label,
                ...(c.environment.version ? { version: c.environment.version } : {}),
              },
            }
          : {}),
      }));
    },
    interrupt: (target) => registry.interrupt(idOf(target)),
    restart: (target) => registry.restart(idOf(target)),
    shutdown: (target) => registry.shutdown(idOf(target)),
  };
}
