import * as assert from 'node:assert/strict';
import { hubServerNames, resolveHubServer } from '../../../src/host/hubNames';
import type { ConfiguredHub } from '../../../src/host/settings';

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
