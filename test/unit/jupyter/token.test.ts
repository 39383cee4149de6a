import * as assert from 'node:assert/strict';
import { generateToken, maskToken } from '../../../src/jupyter/token';

describe('server tokens (jupyter/token)', () => {
  describe('generateToken', () => {
    it('gives 256 random bits as hex, different each time', () => {
      const a = generateToken();
      assert.match(a, /^[0-9a-f]{64}$/);
      assert.notEqual(a, generateToken());
    });
  });

  describe('maskToken', () => {
    const token = 'a'.repeat(64);
    for (const [input, expected] of [
      [`ready, token is ${token} !`, 'ready, token is <token> !'],
      ['http://127.0.0.1:8888/?token=deadbeef&x=1', 'http://127.0.0.1:8888/?token=<token>&x=1'],
      ['GET /lab?a=1&token=cafe HTTP/1.1', 'GET /lab?a=1&token=<token> HTTP/1.1'],
      ['Authorization: token 1234abcd', 'Authorization: token <token>'],
      ['nothing to hide', 'nothing to hide'],
    ] as const) {
      it(`masks ${JSON.stringify(input)}`, () => assert.equal(maskToken(input, token), expected));
    }
  });
});
