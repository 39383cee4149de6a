import * as assert from 'node:assert/strict';
import type { JupyterServerConnection } from '../../../../src/jupyter/types';
import { TransportChooser } from '../../../../src/kernels/session/transportChooser';
import { tryLoadZeromq } from '../../../../src/kernels/zmq/loadZeromq';
import type { ZeromqModule } from '../../../../src/kernels/zmq/zmqChannels';
import { ZmqExecuteChannel } from '../../../../src/kernels/zmq/zmqExecuteChannel';
import type { ZmqChannels } from '../../../../src/kernels/zmq/zmqChannels';
import type { MessageHeader, WireMessage } from '../../../../src/kernels/zmq/wire';

const local = { kind: 'local', name: 'local' } as JupyterServerConnection;
const remote = { kind: 'remote', name: 'gpu' } as JupyterServerConnection;
const fakeZmq = { Dealer: class {}, Subscriber: class {} } as unknown as ZeromqModule;

function recordingLogger() {
  const warnings: string[] = [];
  return { warnings, logger: { info: () => undefined, warn: (m: string) => warnings.push(m), error: () => undefined } };
}

describe('TransportChooser', () => {
  it('uses ZMQ for the local server when zeromq loads and the setting is auto', () => {
    const chooser = new TransportChooser(
      recordingLogger().logger,
      () => 'auto',
      () => ({ ok: true, zeromq: fakeZmq }),
    );
    assert.equal(chooser.choose(local).kind, 'zmq');
  });

  it('keeps the websocket for remote servers and when the setting says server', () => {
    let setting: 'auto' | 'server' = 'auto';
    const chooser = new TransportChooser(
      recordingLogger().logger,
      () => setting,
      () => ({ ok: true, zeromq: fakeZmq }),
    );
    assert.deepEqual(chooser.choose(remote), { kind: 'server', why: 'remote server' });
    setting = 'server';
    assert.equal(chooser.choose(local).kind, 'server');
  });

  it('falls back to the websocket when zeromq does not load, and says why once in the log', () => {
    const { logger, warnings } = recordingLogger();
    const chooser = new TransportChooser(
      logger,
      () => 'auto',
      () => ({ ok: false, reason: 'no prebuilt addon' }),
    );
    assert.equal(chooser.choose(local).kind, 'server');
    assert.equal(chooser.choose(local).kind, 'server');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /no prebuilt addon/);
  });

  it('tryLoadZeromq turns a throwing or incomplete module into a reason', () => {
    const thrown = tryLoadZeromq(() => {
      throw new Error('Cannot find module zeromq\nRequire stack: ...');
    });
    assert.deepEqual(thrown, { ok: false, reason: 'Cannot find module zeromq' });
    assert.equal(tryLoadZeromq(() => ({})).ok, false);
    assert.equal(tryLoadZeromq(() => fakeZmq).ok, true);
  });
});

/** Channels that record requests and let the test answer them. */
function fakeChannels() {
  const sent: Array<{ header: MessageHeader; answer: (m: WireMessage) => void }> = [];
  const inputs: Array<{ value: string; parent: Partial<MessageHeader> }> = [];
  const channels = {
    session: 'sess',
    request: (header: MessageHeader) => new Promise<WireMessage>((resolve) => sent.push({ header, answer: resolve })),
    sendInputReply: (value: string, parent: Partial<MessageHeader>) => inputs.push({ value, parent }),
  } as unknown as ZmqChannels;
  return { channels, sent, inputs };
}

function message(type: string, parent: string, content: unknown): WireMessage {
  return {
    header: { msg_id: `m-${Math.random()}`, msg_type: type, session: 'k', username: 'k', date: '', version: '5.3' },
    parent_header: { msg_id: parent },
    metadata: {},
    content,
    buffers: [],
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('ZmqExecuteChannel', () => {
  it('a future is done only after both its reply and its idle status, whichever comes last', async () => {
    const { channels, sent } = fakeChannels();
    const exec = new ZmqExecuteChannel(channels, () => Promise.resolve());
    const future = exec.requestExecute({ code: '1' });
    let done = false;
    void future.done.then(() => (done = true));
    await tick();
    sent[0].answer(message('execute_reply', future.msg.header.msg_id, { status: 'ok', execution_count: 1 }));
    await tick();
    assert.equal(done, false);
    exec.routeIopub(message('status', future.msg.header.msg_id, { execution_state: 'idle' }));
    assert.deepEqual((await future.done).content, { status: 'ok', execution_count: 1 });
  });

  it('routes iopub and stdin by parent msg_id among concurrent requests; others are not ours', async () => {
    const { channels } = fakeChannels();
    const exec = new ZmqExecuteChannel(channels, () => Promise.resolve());
    const a = exec.requestExecute({ code: 'a' });
    const b = exec.requestExecute({ code: 'b' });
    const seen: string[] = [];
    a.onIOPub = (m) => seen.push(`a:${(m.content as { text: string }).text}`);
    b.onIOPub = (m) => seen.push(`b:${(m.content as { text: string }).text}`);
    b.onStdin = (m) => seen.push(`b-stdin:${m.header.msg_type}`);
    exec.routeIopub(message('stream', b.msg.header.msg_id, { text: '2' }));
    exec.routeIopub(message('stream', a.msg.header.msg_id, { text: '1' }));
    assert.equal(exec.routeIopub(message('stream', 'someone-else', { text: '3' })), false);
    exec.routeStdin(message('input_request', b.msg.header.msg_id, { prompt: '?' }));
    assert.deepEqual(seen, ['b:2', 'a:1', 'b-stdin:input_request']);
  });

  it('waits for the ready gate before sending, and cancelAll rejects every request in flight', async () => {
    const { channels, sent } = fakeChannels();
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const exec = new ZmqExecuteChannel(channels, () => gate);
    const first = exec.requestExecute({ code: '1' });
    await tick();
    assert.equal(sent.length, 0);
    open();
    await tick();
    assert.equal(sent.length, 1);
    assert.equal(sent[0].header.msg_id, first.msg.header.msg_id);
    const second = exec.requestExecute({ code: '2' });
    exec.cancelAll({ kind: 'kernel-restarted' });
    await assert.rejects(first.done, /kernel restarted/);
    await assert.rejects(second.done, /kernel restarted/);
  });
});
