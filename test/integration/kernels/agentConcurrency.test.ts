import { ContextRegistry } from '../../../src/kernels/registry/contextRegistry';
import { JupyterSessionFactory } from '../../../src/kernels/session/sessionFactory';
import type { ExecutionResult } from '../../../src/kernels/types';
import { useTestServer } from '../fixtures/localServer';
import { isolatedCallers, sharedContext, type AgentRun } from '../../shared/agentScenarios';

function stdoutOf(result: ExecutionResult): AgentRun {
  const stdout = result.outputs
    .filter((o) => o.output_type === 'stream' && o.name === 'stdout')
    .map((o) => String(o.text))
    .join('');
  return { status: result.status, stdout };
}

describe('agents on the registry: 10 callers in parallel, each in its own context (real kernels)', function () {
  this.timeout(180_000);
  const server = useTestServer();
  let registry: ContextRegistry;

  before(() => {
    registry = new ContextRegistry({ factory: new JupyterSessionFactory(server.server, server.logger) });
  });
  after(async function () {
    this.timeout(60_000);
    await registry?.disposeAsync();
  });

  const run = async (context: string, code: string) =>
    stdoutOf(await registry.execute({ id: context, kind: 'named', label: context }, code, { source: 'api' }));

  it('no caller sees another caller’s variables and no output reaches the wrong caller', async () => {
    await isolatedCallers(run, 'agent:isolated', 10, 5);
  });

  it('callers that name the same context share its namespace, and their runs are serialized in order', async () => {
    await sharedContext(run, 'agent:shared', 5, 4);
  });
});
