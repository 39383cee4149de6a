import * as assert from 'node:assert/strict';
import { withoutSecrets } from '../../../src/jupyter/launcherProcess';

describe('withoutSecrets', () => {
  const removed = [
    'KERNEL_ISLANDS_MCP_TOKEN',
    'KERNEL_ISLANDS_HUB_TOKEN',
    'KERNEL_ISLANDS_ANYTHING_ELSE',
    'KERNEL_ISLANDS_',
    'JUPYTER_TOKEN',
    'JPY_API_TOKEN',
    'JUPYTERHUB_API_TOKEN',
    'kernel_islands_mcp_token',
    'Jupyter_Token',
    'jpy_api_token',
    'JupyterHub_Api_Token',
  ];
  // Only the listed names and the KERNEL_ISLANDS_ prefix go: other token-like names stay (the launcher's own
  // environment is the user's; the agents' `env` setting has its own, wider filter).
  const kept = [
    'PATH',
    'HOME',
    'LANG',
    'MY_TOKEN_FILE',
    'GITHUB_TOKEN',
    'HF_TOKEN',
    'JUPYTER_TOKEN_FILE',
    'MY_JUPYTER_TOKEN',
    'XJPY_API_TOKEN',
    'JUPYTERHUB_API_TOKEN_2',
    'KERNEL_ISLANDS',
    'X_KERNEL_ISLANDS_MCP_TOKEN',
    'JUPYTERHUB_API_URL',
    'JUPYTER_CONFIG_DIR',
  ];

  for (const name of removed) {
    it(`removes ${name}`, () => {
      const env = withoutSecrets({ [name]: 'secret', PATH: '/usr/bin' });
      assert.deepEqual(env, { PATH: '/usr/bin' });
    });
  }

  it('keeps every other variable with its value', () => {
    const input = Object.fromEntries(kept.map((name, i) => [name, `value ${i}`]));
    assert.deepEqual(withoutSecrets(input), input);
  });

  it('filters a mixed environment down to exactly the others, and leaves its argument alone', () => {
    const input: NodeJS.ProcessEnv = {
      PATH: '/usr/bin:/bin',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      KERNEL_ISLANDS_MCP_TOKEN: 'a',
      JUPYTER_TOKEN: 'b',
      MY_TOKEN_FILE: '/home/u/.token',
      JUPYTERHUB_API_TOKEN: 'c',
      EMPTY: '',
    };
    const copy = { ...input };
    const env = withoutSecrets(input);
    assert.deepEqual(env, {
      PATH: '/usr/bin:/bin',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      MY_TOKEN_FILE: '/home/u/.token',
      EMPTY: '',
    });
    assert.notEqual(env, input, 'a new object');
    assert.deepEqual(input, copy, 'the argument is unchanged');
  });

  it('an empty environment stays empty', () => {
    assert.deepEqual(withoutSecrets({}), {});
  });
});
