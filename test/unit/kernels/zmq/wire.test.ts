import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { DELIMITER, makeHeader, MessageSigner, parse, serialize, WireError } from '../../../../src/kernels/zmq/wire';

const KEY = 'a0436f6c-1916-498b-8eb9-e81ab9368e84';

/** Frames the way a kernel sends them on iopub: a topic, the delimiter, the signature and the four JSON parts. */
function kernelFrames(key: string, content: unknown, parentId = 'req-1', extra: Buffer[] = []): Buffer[] {
  const parts = [
    { msg_id: 'k-1', msg_type: 'stream', session: 's', username: 'u', date: '2026-01-01T00:00:00Z', version: '5.3' },
    { msg_id: parentId, msg_type: 'execute_request' },
    {},
    content,
  ].map((p) => Buffer.from(JSON.stringify(p)));
  const mac = createHmac('sha256', key);
  parts.forEach((p) => mac.update(p));
  return [Buffer.from('kernel.abc.stream'), Buffer.from(DELIMITER), Buffer.from(mac.digest('hex')), ...parts, ...extra];
}

describe('Jupyter wire protocol', () => {
  const signer = new MessageSigner(KEY);

  it('serializes delimiter, HMAC-SHA256 of the four JSON frames, then header, parent, metadata, content', () => {
    const header = makeHeader('execute_request', 'session-1');
    const frames = serialize(signer, header, { code: '1+1' }, { msg_id: 'p' }, { m: 1 });
    assert.equal(frames.length, 6);
    assert.equal(frames[0].toString(), DELIMITER);
    const expected = createHmac('sha256', KEY).update(frames[2]).update(frames[3]).update(frames[4]).update(frames[5]);
    assert.equal(frames[1].toString(), expected.digest('hex'));
    assert.deepEqual(
      frames.slice(2).map((f) => JSON.parse(f.toString()) as unknown),
      [header, { msg_id: 'p' }, { m: 1 }, { code: '1+1' }],
    );
  });

  it('makes headers with a fresh msg_id, the session, protocol 5.3 and an ISO date', () => {
    const a = makeHeader('kernel_info_request', 'sess');
    const b = makeHeader('kernel_info_request', 'sess');
    assert.notEqual(a.msg_id, b.msg_id);
    assert.deepEqual([a.msg_type, a.session, a.version], ['kernel_info_request', 'sess', '5.3']);
    assert.ok(!Number.isNaN(Date.parse(a.date)));
  });

  it('parses a signed kernel message after its topic, keeping extra frames as buffers', () => {
    const msg = parse(signer, kernelFrames(KEY, { name: 'stdout', text: 'hi\n' }, 'req-1', [Buffer.from([1, 2])]));
    assert.equal(msg.header.msg_type, 'stream');
    assert.equal(msg.parent_header.msg_id, 'req-1');
    assert.deepEqual(msg.content, { name: 'stdout', text: 'hi\n' });
    assert.deepEqual(msg.buffers, [Buffer.from([1, 2])]);
  });

  it('round-trips its own messages', () => {
    const header = makeHeader('input_reply', 'sess');
    const msg = parse(signer, serialize(signer, header, { status: 'ok', value: 'é' }));
    assert.deepEqual([msg.header, msg.content], [header, { status: 'ok', value: 'é' }]);
  });

  it('rejects a message signed with another key, or altered after signing', () => {
    assert.throws(() => parse(signer, kernelFrames('another-key', { text: 'x' })), WireError);
    const frames = kernelFrames(KEY, { text: 'x' });
    frames[6] = Buffer.from(JSON.stringify({ text: 'tampered' }));
    assert.throws(() => parse(signer, frames), /Bad message signature/);
    const short = kernelFrames(KEY, { text: 'x' });
    short[2] = Buffer.from('abc');
    assert.throws(() => parse(signer, short), /Bad message signature/);
  });

  it('rejects frames without a delimiter, truncated messages and bad JSON, with a reason', () => {
    assert.throws(() => parse(signer, [Buffer.from('x'), Buffer.from('y')]), /no <IDS\|MSG> delimiter/);
    assert.throws(() => parse(signer, kernelFrames(KEY, {}).slice(0, 5)), /Truncated/);
    const unsigned = new MessageSigner('');
    const frames = [Buffer.from(DELIMITER), Buffer.from(''), Buffer.from('{'), Buffer.from('{}'), Buffer.from('{}')];
    assert.throws(() => parse(unsigned, [...frames, Buffer.from('{}')]), /Bad JSON in the header frame/);
    const noType = [Buffer.from(DELIMITER), Buffer.from(''), Buffer.from('{"msg_id":"a"}'), ...frames.slice(3)];
    assert.throws(() => parse(unsigned, [...noType, Buffer.from('{}')]), /msg_id and msg_type are required/);
  });

  it('decodes text that is not valid UTF-8 with U+FFFD, after checking the signature over the raw bytes', () => {
    const frames = kernelFrames(KEY, { text: 'PLACEHOLDER' });
    const raw = Buffer.concat([Buffer.from('{"text":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"}')]);
    frames[6] = raw;
    const mac = createHmac('sha256', KEY);
    frames.slice(3, 7).forEach((p) => mac.update(p));
    frames[2] = Buffer.from(mac.digest('hex'));
    assert.deepEqual(parse(signer, frames).content, { text: 'a\ufffd\ufffdb' });
  });

  it('without a key, sends an empty signature and accepts any; refuses other signature schemes', () => {
    const unsigned = new MessageSigner('');
    const frames = serialize(unsigned, makeHeader('x', 's'), {});
    assert.equal(frames[1].length, 0);
    assert.equal(parse(unsigned, kernelFrames('whatever', { a: 1 })).header.msg_id, 'k-1');
    assert.throws(() => new MessageSigner(KEY, 'hmac-md5'), /Unsupported signature scheme "hmac-md5"/);
  });
});
