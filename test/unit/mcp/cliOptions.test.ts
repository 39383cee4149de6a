import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DEFAULT_RUN_TIMEOUT_SECONDS, parseArgs, sandboxOptions } from '../../../src/mcp/cliOptions';

describe('kernel-islands-mcp command line: the sandbox flags', () => {
  it('sandboxes by default: no network, 4096 MB, a 600 s run limit, work folders removed', () => {
    const o = parseArgs([]);
    assert.deepEqual(
      [o.sandbox, o.network, o.env, o.memoryMb, o.timeoutSeconds, o.keepFiles],
      [true, false, [], 4096, DEFAULT_RUN_TIMEOUT_SECONDS, false],
    );
    assert.equal(DEFAULT_RUN_TIMEOUT_SECONDS, 600);
  });

  it('reads --no-sandbox, --network, repeated --env, --memory-mb, --timeout-seconds and --keep-files', () => {
    const o = parseArgs([
      '--no-sandbox',
      '--network',
      '--env',
      'HF_HOME',
      '--env',
      'LANGUAGE',
      '--memory-mb',
      '512',
      '--timeout-seconds',
      '30',
      '--keep-files',
    ]);
    assert.deepEqual(
      [o.sandbox, o.network, o.env, o.memoryMb, o.timeoutSeconds, o.keepFiles],
      [false, true, ['HF_HOME', 'LANGUAGE'], 512, 30, true],
    );
  });

  const refused: Array<[string[], RegExp]> = [
    [['--env', 'KERNEL_ISLANDS_MCP_TOKEN'], /never passed into kernels/],
    [['--env', 'GITHUB_TOKEN'], /never passed into kernels/],
    [['--env', 'BAD NAME'], /takes a variable's name/],
    [['--env'], /--env needs a value/],
    [['--memory-mb', '-1'], /whole number/],
    [['--timeout-seconds', '1.5'], /whole number/],
  ];
  for (const [argv, message] of refused) {
    it(`refuses ${argv.join(' ')}`, () => {
      assert.throws(() => parseArgs(argv), message);
    });
  }

  it('builds the sandbox: the root read-only (resolved), named variables with their values, unset ones left out', () => {
    const o = parseArgs(['--env', 'HF_HOME', '--env', 'UNSET_HERE', '--memory-mb', '1024', '--network']);
    const sandbox = sandboxOptions(o, 'proj/../proj', { HF_HOME: '/data/hf', PATH: '/usr/bin' });
    assert.deepEqual(sandbox, {
      enabled: true,
      offSwitch: 'the --no-sandbox flag of kernel-islands-mcp',
      profile: { readOnly: [path.resolve('proj')], network: true, memoryMb: 1024, env: { HF_HOME: '/data/hf' } },
    });
    assert.equal(sandboxOptions(parseArgs(['--no-sandbox']), '/p', {}).enabled, false);
  });
});

describe('kernel-islands-mcp command line: --server and --hub', () => {
  it('reads --server URL, and --hub URL --hub-user NAME --hub-server NAME', () => {
    assert.equal(parseArgs(['--server', 'https://gpu-box:8888/jupyter/']).server, 'https://gpu-box:8888/jupyter/');
    assert.deepEqual(parseArgs(['--hub', 'https://hub.example.org/', '--hub-user', 'alice']).hub, {
      url: 'https://hub.example.org/',
      user: 'alice',
      serverName: '',
    });
    assert.deepEqual(
      parseArgs(['--hub', 'https://hub.example.org/', '--hub-user', 'alice', '--hub-server', 'gpu']).hub?.serverName,
      'gpu',
    );
  });

  const refused: Array<[string[], RegExp]> = [
    [['--server', 'http://h:8888/?token=abc'], /carries a token.*set KERNEL_ISLANDS_SERVER_TOKEN/],
    [['--hub', 'http://h/hub/?token=abc', '--hub-user', 'a'], /carries a token.*set KERNEL_ISLANDS_HUB_TOKEN/],
    [['--server-token', 'abc'], /never a command-line argument.*KERNEL_ISLANDS_SERVER_TOKEN/],
    [['--hub-token', 'abc'], /never a command-line argument.*KERNEL_ISLANDS_HUB_TOKEN/],
    [['--hub', 'http://h/'], /--hub needs --hub-user/],
    [['--hub-user', 'alice'], /go with --hub URL/],
    [['--server', 'http://a/', '--hub', 'http://b/', '--hub-user', 'x'], /--server or --hub, not both/],
    [
      ['--server', 'http://a/', '--no-sandbox', '--python', '/usr/bin/python3'],
      /--no-sandbox, --python shape the local/,
    ],
    [['--hub', 'http://b/', '--hub-user', 'x', '--memory-mb', '10'], /--memory-mb shapes the local.*with --hub/],
  ];
  for (const [argv, message] of refused) {
    it(`refuses ${argv.join(' ')}`, () => {
      assert.throws(() => parseArgs(argv), message);
    });
  }
});
