import * as assert from 'node:assert/strict';
import { KernelMessage, ServerConnection } from '@jupyterlab/services';
import { deserializeV1, fastDeserializer } from '../../../src/jupyter/messageSerializer';

const V1 = 'v1.kernel.websocket.jupyter.org';
const library = ServerConnection.makeSettings({ baseUrl: 'http://127.0.0.1:1/' }).serializer;

function message(content: object, extra: Partial<KernelMessage.IMessage> = {}): KernelMessage.IMessage {
  return {
    channel: 'iopub',
    header: {
      msg_id: 'm-1',
      msg_type: 'stream',
      username: 'u',
      session: 's',
      date: '2026-11-25T16:00:00Z',
      version: '5.3',
    },
    parent_header: { msg_id: 'parent-1' },
    metadata: {},
    content,
    buffers: [],
    ...extra,
  } as KernelMessage.IMessage;
}

/** A frame as the server sends it: the library's own v1 serializer writes the same layout. */
function frame(msg: KernelMessage.IMessage): ArrayBuffer {
  const packed = library.serialize(msg, V1) as ArrayBuffer | Uint8Array;
  return packed instanceof ArrayBuffer
    ? packed
    : (packed.buffer.slice(packed.byteOffset, packed.byteOffset + packed.byteLength) as ArrayBuffer);
}

const cases: Array<[string, KernelMessage.IMessage]> = [
  ['an ASCII stream message', message({ name: 'stdout', text: 'hello\nworld\n' })],
  ['multi-byte text (accents, CJK, emoji, escapes)', message({ name: 'stderr', text: 'é 中文 🎉 "q" \\ \t\u0000' })],
  [
    'an empty parent header (a status message at start-up)',
    message({ execution_state: 'idle' }, { parent_header: {} }),
  ],
  [
    'binary buffers (a comm message)',
    message(
      { comm_id: 'c', data: {} },
      { buffers: [new DataView(new Uint8Array([1, 2, 3]).buffer), new DataView(new Uint8Array([255, 0]).buffer)] },
    ),
  ],
  ['a 2 MB stream message', message({ name: 'stdout', text: ('x'.repeat(99) + '\n').repeat(20_000) })],
];

describe('fast v1 message unpacking', () => {
  for (const [what, msg] of cases) {
    it(`gives what the library gives: ${what}`, () => {
      const bytes = frame(msg);
      const ours = deserializeV1(bytes);
      assert.deepEqual(ours, library.deserialize(bytes, V1));
      assert.deepEqual(ours.content, msg.content, 'and that is the message that was sent');
    });
  }

  it('drops a leading byte-order mark of a part, as TextDecoder does', () => {
    const bytes = new Uint8Array(frame(message({ name: 'stdout', text: 'x' })));
    const view = new DataView(bytes.buffer);
    const headerStart = Number(view.getBigUint64(16, true));
    const withBom = new Uint8Array(bytes.length + 3);
    withBom.set(bytes.subarray(0, headerStart));
    withBom.set([0xef, 0xbb, 0xbf], headerStart);
    withBom.set(bytes.subarray(headerStart), headerStart + 3);
    const offsets = new DataView(withBom.buffer);
    const count = Number(offsets.getBigUint64(0, true));
    for (let i = 2; i <= count; i++) {
      offsets.setBigUint64(8 * i, offsets.getBigUint64(8 * i, true) + 3n, true);
    }
    assert.deepEqual(deserializeV1(withBom.buffer), library.deserialize(withBom.buffer, V1));
  });

  it('leaves the JSON text protocol and all serializing to the library', () => {
    const serializer = fastDeserializer(library);
    const msg = message({ name: 'stdout', text: 'plain' });
    const text = library.serialize(msg, '') as string;
    assert.equal(typeof text, 'string');
    assert.deepEqual(
      serializer.deserialize(text as unknown as ArrayBuffer, ''),
      library.deserialize(text as never, ''),
    );
    assert.deepEqual(serializer.serialize(msg, V1), library.serialize(msg, V1));
    assert.equal(serializer.serialize(msg, ''), text);
  });
});
