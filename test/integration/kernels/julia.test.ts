import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { contextSpec } from '../../../src/kernels/contextSpec';
import { kernelNameForLanguage } from '../../../src/kernels/languageKernels';
import { startTestServer, useTestServer, type TestServer } from '../fixtures/localServer';
import { kernelspecFolder, makeRegistry, tempFolder, textOf } from './helpers';

/**
 * There is no Julia on the test machines: a kernelspec `julia-1.10` of language "julia" runs ipykernel, with a
 * `cd` function defined at start-up so the Julia set-up code (`cd("…")`) runs in it as it would in Julia.
 */
const FAKE_JULIA_ARGV = [
  '/usr/bin/python3',
  '-m',
  'ipykernel_launcher',
  '-f',
  '{connection_file}',
  "--IPKernelApp.exec_lines=cd = __import__('os').chdir",
];

/** A `.jl` file's context as the editor surface builds it (workbench/contextSpecBuilder), with no user mapping. */
function juliaFileSpec(file: string) {
  const kernelName = kernelNameForLanguage('julia', {}, 'python3');
  return contextSpec({ id: `file://${file}`, kind: 'file', filePath: file, kernelName, server: 'local' });
}

describe('Julia files (a fake julia-1.10 kernelspec on a real server)', function () {
  this.timeout(90_000);
  let t: TestServer;

  before(async function () {
    this.timeout(60_000);
    const jupyterPath = kernelspecFolder('julia-1.10', FAKE_JULIA_ARGV, 'julia');
    t = await startTestServer({ env: { ...process.env, JUPYTER_PATH: jupyterPath } });
  });
  after(async function () {
    this.timeout(30_000);
    await t?.server.stop();
  });

  it("a .jl file's context starts the server's julia-* kernelspec and runs in the file's folder", async () => {
    const folder = tempFolder('julia-file');
    const file = path.join(folder, 'a.jl');
    writeFileSync(file, '1 + 1\n');
    const { registry } = makeRegistry(t.server);
    try {
      const result = await registry.execute(juliaFileSpec(file), 'print(__import__("os").getcwd())');
      assert.equal(result.status, 'ok', JSON.stringify(result.error));
      assert.equal(registry.get(`file://${file}`)?.kernelName, 'julia-1.10');
      assert.equal(textOf(result), `${folder}\n`, 'the Julia set-up changed to the file folder');
    } finally {
      await registry.disposeAsync();
    }
  });
});

describe('Julia files on a server without a Julia kernelspec (real server)', function () {
  this.timeout(90_000);
  const t = useTestServer();

  it('fail with what to install, instead of running in Python', async () => {
    const folder = tempFolder('julia-none');
    const { registry } = makeRegistry(t.server);
    try {
      await assert.rejects(
        registry.execute(juliaFileSpec(path.join(folder, 'b.jl')), 'print("ran")'),
        /No kernelspec on the Jupyter server "local" matches "julia-\*"\. Install IJulia in Julia .*Available kernelspecs: .*python3/,
      );
    } finally {
      await registry.disposeAsync();
    }
  });
});
