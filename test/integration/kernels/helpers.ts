import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { JupyterServerConnection, JupyterServerProvider } from '../../../src/jupyter/types';
import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { KernelPool } from '../../../src/kernels/kernelPool';
import { JupyterSessionFactory } from '../../../src/kernels/session/sessionFactory';
import type { ContextSpec, ExecutionResult } from '../../../src/kernels/types';
import { restCall } from '../jupyter/rest';

/** Kernel ids the server lists under `/api/kernels` (the server's own count, not ours). */
export async function serverKernelIds(connection: JupyterServerConnection): Promise<string[]> {
  const { status, body } = await restCall(connection, 'api/kernels');
  if (status !== 200) {
    throw new Error(`GET /api/kernels answered ${status}`);
  }
  return (body as Array<{ id: string }>).map((k) => k.id);
}

/** A fresh folder for a context's working directory (real path, as Python's os.getcwd() reports it). */
export function tempFolder(prefix: string): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), `ki-${prefix}-`)));
}

/** A JUPYTER_PATH folder holding one kernelspec `name` that runs `argv`, of `language` (python by default). */
export function kernelspecFolder(name: string, argv: string[], language = 'python'): string {
  const jupyterPath = tempFolder(`${name}-spec`);
  const specDir = path.join(jupyterPath, 'kernels', name);
  mkdirSync(specDir, { recursive: true });
  writeFileSync(path.join(specDir, 'kernel.json'), JSON.stringify({ argv, display_name: name, language }));
  return jupyterPath;
}

/** A context spec for a named caller with its own working directory. */
export function agentSpec(id: string, cwd?: string): ContextSpec {
  return { id, kind: 'named' as const, label: id, cwd };
}

/** The text of all stream outputs of a result, joined. */
export function textOf(result: ExecutionResult): string {
  return result.outputs
    .map((o) => {
      if (o.output_type === 'stream') {
        return String(o.text);
      }
      const data = o.data as Record<string, unknown> | undefined;
      return data ? String(data['text/plain'] ?? '') : '';
    })
    .join('');
}

/** A registry (and optionally a pool) on a provider, the way the extension wires them. */
export function makeRegistry(provider: JupyterServerProvider, poolSize = 0) {
  const factory = new JupyterSessionFactory(provider);
  const pool = poolSize > 0 ? new KernelPool({ factory, kernelName: 'python3', size: poolSize }) : undefined;
  const registry = new ContextRegistry({ factory, pool });
  return { factory, pool, registry };
}
