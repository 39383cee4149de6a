import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ServerConnection } from '@jupyterlab/services';
import {
  SandboxUnavailableError,
  sandboxOfKernelName,
  sandboxProfileId,
  type SandboxProfile,
} from '../../../src/jupyter/sandboxProfile';
import { AgentSandbox, type AgentSandboxOptions } from '../../../src/kernels/agentSandbox';

const PROFILE: SandboxProfile = { readOnly: ['/w/project'], network: false, memoryMb: 4096, env: { A: '1' } };
const OFF_SWITCH = 'the --no-sandbox flag';

const options = (overrides: Partial<AgentSandboxOptions> = {}): AgentSandboxOptions => ({
  enabled: true,
  profile: PROFILE,
  offSwitch: OFF_SWITCH,
  ...overrides,
});

interface SeenRequest {
  method: string;
  /** Without the query (the library adds a cache buster). */
  url: string;
  body: string;
}

/** Server settings whose requests never leave the process: `answer` gives each response, `requests` records them. */
function fakeServer(answer: (request: SeenRequest) => Response = () => Response.json({ islands: '/tmp/islands' })) {
  const requests: SeenRequest[] = [];
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const request = input as Request;
    const url = new URL(request.url);
    const seen = { method: request.method, url: url.origin + url.pathname, body: await request.text() };
    requests.push(seen);
    return answer(seen);
  };
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://127.0.0.1:1/base/',
    token: 't',
    fetch: fetch as typeof globalThis.fetch,
  });
  return { settings, requests };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof Error, `expected an Error, got ${String(err)}`);
  return err;
}

describe('AgentSandbox', () => {
  describe('kernelNameFor', () => {
    it('enabled: the base kernel under the profile’s sandbox', () => {
      const sandbox = new AgentSandbox(options());
      const name = sandbox.kernelNameFor('python3');
      assert.match(name, /^ki-sbx-[0-9a-f]{12}-python3$/);
      assert.equal(name, `ki-sbx-${sandboxProfileId(PROFILE)}-python3`);
    });

    it('disabled: the base kernel name, also for a name that was sandboxed before', () => {
      const sandbox = new AgentSandbox(options({ enabled: false }));
      assert.equal(sandbox.kernelNameFor('python3'), 'python3');
      const sandboxed = new AgentSandbox(options()).kernelNameFor('conda-env-x-py');
      assert.notEqual(sandboxed, 'conda-env-x-py');
      assert.equal(sandbox.kernelNameFor(sandboxed), 'conda-env-x-py');
    });

    it('is idempotent on an already sandboxed name', () => {
      const sandbox = new AgentSandbox(options());
      const once = sandbox.kernelNameFor('python3');
      const twice = sandbox.kernelNameFor(once);
      assert.equal(twice, once);
      assert.deepEqual(sandboxOfKernelName(twice), { profileId: sandboxProfileId(PROFILE), baseKernelName: 'python3' });
    });

    it('after configure with another profile: a new id, and names of the old profile move to it', () => {
      const sandbox = new AgentSandbox(options());
      const before = sandbox.kernelNameFor('python3');
      const networked = { ...PROFILE, network: true };
      sandbox.configure(options({ profile: networked }));
      assert.equal(sandbox.profile, networked);
      const after = sandbox.kernelNameFor('python3');
      assert.match(after, /^ki-sbx-[0-9a-f]{12}-python3$/);
      assert.notEqual(after, before);
      assert.equal(sandboxOfKernelName(after)?.profileId, sandboxProfileId(networked));
      assert.equal(sandbox.kernelNameFor(before), after);
    });

    it('configure can switch the sandbox off and on again', () => {
      const sandbox = new AgentSandbox(options());
      sandbox.configure(options({ enabled: false }));
      assert.equal(sandbox.enabled, false);
      assert.equal(sandbox.kernelNameFor('python3'), 'python3');
      sandbox.configure(options());
      assert.equal(sandbox.enabled, true);
      assert.equal(sandbox.kernelNameFor('python3'), `ki-sbx-${sandboxProfileId(PROFILE)}-python3`);
    });
  });

  describe('workFolder', () => {
    it('is undefined before any profile was registered', () => {
      const sandbox = new AgentSandbox(options());
      sandbox.kernelNameFor('python3');
      assert.equal(sandbox.workFolder('kernel-1'), undefined);
    });

    it('is the kernel’s home under the islands folder the server named', async () => {
      const { settings } = fakeServer(() => Response.json({ islands: '/tmp/ki-islands-x' }));
      const sandbox = new AgentSandbox(options());
      await sandbox.prepare(settings, sandbox.kernelNameFor('python3'));
      assert.equal(sandbox.workFolder('kernel-1'), path.join('/tmp/ki-islands-x', 'kernel-1', 'home'));
      assert.equal(sandbox.workFolder(''), undefined, 'no kernel id, no folder');
    });
  });

  describe('prepare', () => {
    it('resolves for a name that is not sandboxed without any request', async () => {
      const { settings, requests } = fakeServer();
      const sandbox = new AgentSandbox(options());
      await sandbox.prepare(settings, 'python3');
      await sandbox.prepare(settings, 'ki-sbx-0123456789AB-python3');
      assert.deepEqual(requests, []);
    });

    it('rejects a sandboxed name of a profile it never handed out, without any request', async () => {
      const { settings, requests } = fakeServer();
      const sandbox = new AgentSandbox(options());
      sandbox.kernelNameFor('python3');
      const err = await rejection(sandbox.prepare(settings, 'ki-sbx-000000000000-python3'));
      assert.match(err.message, /^Unknown sandbox profile 000000000000 for kernel ki-sbx-000000000000-python3\.$/);
      assert.deepEqual(requests, []);
    });

    it('registers the profile with a PUT of ki/sandboxes/<id>, once per server and profile', async () => {
      const first = fakeServer();
      const sandbox = new AgentSandbox(options());
      const name = sandbox.kernelNameFor('python3');
      const id = sandboxProfileId(PROFILE);
      await sandbox.prepare(first.settings, name);
      await sandbox.prepare(first.settings, name);
      await sandbox.prepare(first.settings, sandbox.kernelNameFor('other-kernel'));
      assert.equal(first.requests.length, 1, 'one request for the same server and profile');
      assert.equal(first.requests[0].method, 'PUT');
      assert.equal(first.requests[0].url, `http://127.0.0.1:1/base/ki/sandboxes/${id}`);
      assert.deepEqual(JSON.parse(first.requests[0].body), {
        read_only: ['/w/project'],
        network: false,
        memory_mb: 4096,
        env: { A: '1' },
      });

      const second = fakeServer();
      await sandbox.prepare(second.settings, name);
      assert.equal(second.requests.length, 1, 'a new server (new settings) is told again');

      const third = fakeServer();
      await Promise.all([sandbox.prepare(third.settings, name), sandbox.prepare(third.settings, name)]);
      assert.equal(third.requests.length, 1, 'two starts at once share one request');
    });

    it('a profile handed out before configure can still be prepared', async () => {
      const { settings, requests } = fakeServer();
      const sandbox = new AgentSandbox(options());
      const old = sandbox.kernelNameFor('python3');
      sandbox.configure(options({ profile: { ...PROFILE, memoryMb: 0 } }));
      await sandbox.prepare(settings, old);
      assert.equal(requests.length, 1);
      assert.equal(requests[0].url, `http://127.0.0.1:1/base/ki/sandboxes/${sandboxProfileId(PROFILE)}`);
      assert.equal(JSON.parse(requests[0].body).memory_mb, 4096);
    });

    it('409: a SandboxUnavailableError with the reason and the off switch; the next start asks again', async () => {
      let status = 409;
      const { settings, requests } = fakeServer(() =>
        status === 409
          ? Response.json({ reason: 'bubblewrap is not installed' }, { status })
          : Response.json({ islands: '/tmp/islands-after' }),
      );
      const sandbox = new AgentSandbox(options());
      const name = sandbox.kernelNameFor('python3');
      const err = await rejection(sandbox.prepare(settings, name));
      assert.ok(err instanceof SandboxUnavailableError, `got ${err.name}`);
      assert.match(err.message, /none can be made here: bubblewrap is not installed\./);
      assert.ok(err.message.includes(OFF_SWITCH), err.message);
      assert.equal(sandbox.workFolder('k'), undefined);

      status = 200;
      await sandbox.prepare(settings, name);
      assert.equal(requests.length, 2, 'the refusal was not cached');
      assert.equal(sandbox.workFolder('k'), path.join('/tmp/islands-after', 'k', 'home'));
    });

    it('404: a server without the ki/sandboxes route', async () => {
      const { settings } = fakeServer(() => new Response('not found', { status: 404 }));
      const sandbox = new AgentSandbox(options());
      const err = await rejection(sandbox.prepare(settings, sandbox.kernelNameFor('python3')));
      assert.ok(err instanceof SandboxUnavailableError, `got ${err.name}`);
      assert.match(err.message, /no ki\/sandboxes route/);
      assert.ok(err.message.includes(OFF_SWITCH), err.message);
    });
  });
});
