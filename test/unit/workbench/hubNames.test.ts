import * as assert from 'node:assert/strict';
import { hubServerNames, resolveHubServer, serverNameProblem } from '../../../src/workbench/hubNames';
import type { ConfiguredHub, ConfiguredServer } from '../../../src/workbench/settings';

const hubs: ConfiguredHub[] = [
  { name: 'uni', url: 'https://hub.uni.example/', user: 'alice', servers: ['gpu', 'cpu'] },
  { name: 'lab', url: 'https://lab.example/', user: 'bob' },
];

describe('JupyterHub server names', () => {
  it('a hub gives its own name for the default server and <hub>/<server> for named ones', () => {
    assert.deepEqual(hubServerNames(hubs[0] as ConfiguredHub), ['uni', 'uni/gpu', 'uni/cpu']);
    assert.deepEqual(hubServerNames(hubs[1] as ConfiguredHub), ['lab']);
  });

  const cases: Array<[string, string | undefined, string | undefined]> = [
    ['uni', 'uni', ''],
    ['uni/gpu', 'uni/gpu', 'gpu'],
    ['hub:alice', 'uni', ''],
    ['hub:alice/gpu', 'uni/gpu', 'gpu'],
    ['hub:bob', 'lab', ''],
    // Not yet in the list: the hub creates a named server on its first start.
    ['uni/new', 'uni/new', 'new'],
    ['hub:carol', undefined, undefined],
    ['local', undefined, undefined],
    ['uni/a/b', undefined, undefined],
  ];
  for (const [name, canonical, serverName] of cases) {
    it(`"${name}" is ${canonical ? `the hub server ${canonical}` : 'no hub server'}`, () => {
      const resolved = resolveHubServer(hubs, name);
      assert.equal(resolved?.canonical, canonical);
      assert.equal(resolved?.serverName, serverName);
    });
  }
});

describe('server names: one rule for a new remote server and a new hub (serverNameProblem)', () => {
  const servers: ConfiguredServer[] = [{ name: 'gpu-box', url: 'https://gpu-box:8888/' }];
  const configured = { servers, hubs };

  it('a remote server can no longer take a hub’s name, nor a hub’s named server’s', () => {
    assert.equal(
      serverNameProblem('uni', configured),
      'The JupyterHub "uni" has that name; remove it first or choose another name',
    );
    assert.equal(
      serverNameProblem('lab', configured),
      'The JupyterHub "lab" has that name; remove it first or choose another name',
    );
    // `uni/gpu` is a hub's named server; "/" is kept for those, so no remote server may use it.
    assert.equal(serverNameProblem('uni/gpu', configured), 'A name is needed, without ":" or "/"');
  });

  it('a hub cannot take a remote server’s name', () => {
    assert.equal(
      serverNameProblem('gpu-box', configured),
      'The remote Jupyter server "gpu-box" has that name; remove it first or choose another name',
    );
  });

  const cases: Array<[string, string | undefined]> = [
    ['new-box', undefined],
    ['  new-box  ', undefined],
    ['', 'A name is needed, without ":" or "/"'],
    ['   ', 'A name is needed, without ":" or "/"'],
    ['a:b', 'A name is needed, without ":" or "/"'],
    ['a/b', 'A name is needed, without ":" or "/"'],
    ['local', '"local" is the server Kernel Islands starts itself'],
    [' gpu-box ', 'The remote Jupyter server "gpu-box" has that name; remove it first or choose another name'],
  ];
  for (const [name, problem] of cases) {
    it(`"${name}": ${problem ?? 'free'}`, () => {
      assert.equal(serverNameProblem(name, configured), problem);
    });
  }
});
