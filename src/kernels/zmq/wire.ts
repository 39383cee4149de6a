import { nodeCrypto } from '../../common/lazyNodeModules';

/**
 * The Jupyter wire protocol (messaging spec 5.x): a message travels as ZMQ frames
 * `[...routing ids, "<IDS|MSG>", hmac, header, parent_header, metadata, content, ...buffers]`, where the HMAC
 * is computed over the four JSON frames with the kernel's key.
 */
export const DELIMITER = '<IDS|MSG>';

/** The protocol version we speak; ipykernel 6 answers with 5.3. */
const PROTOCOL_VERSION = '5.3';

export interface MessageHeader {
  msg_id: string;
  msg_type: string;
  session: string;
  username: string;
  date: string;
  version: string;
}

/** One decoded message. `parent_header` is `{}` for messages that answer nothing (e.g. the first status). */
export interface WireMessage {
  header: MessageHeader;
  parent_header: Partial<MessageHeader>;
  metadata: Record<string, unknown>;
  content: unknown;
  buffers: Buffer[];
}

/** Thrown for frames that are not a valid, correctly signed message; the caller drops them. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

/** Signs and checks messages with one kernel's key. An empty key means "unsigned", as the spec allows. */
export class MessageSigner {
  private readonly key: Buffer;

  constructor(key: string, scheme = 'hmac-sha256') {
    if (scheme !== 'hmac-sha256') {
      throw new WireError(`Unsupported signature scheme "${scheme}"; only hmac-sha256 is supported.`);
    }
    this.key = Buffer.from(key, 'utf8');
  }

  /** Hex HMAC-SHA256 of the four JSON frames, or '' without a key. */
  sign(parts: readonly Buffer[]): string {
    if (this.key.length === 0) {
      return '';
    }
    const mac = nodeCrypto().createHmac('sha256', this.key);
    for (const part of parts) {
      mac.update(part);
    }
    return mac.digest('hex');
  }

  /** Constant-time comparison, so a forger learns nothing from how long a check takes. */
  verify(signature: Buffer, parts: readonly Buffer[]): boolean {
    if (this.key.length === 0) {
      return true;
    }
    const expected = Buffer.from(this.sign(parts), 'utf8');
    return signature.length === expected.length && nodeCrypto().timingSafeEqual(signature, expected);
  }
}

/** A new header for a message we send; `session` ties our messages together (and stdin to shell). */
export function makeHeader(msgType: string, session: string, username = 'kernel-islands'): MessageHeader {
  return {
    msg_id: nodeCrypto().randomUUID(),
    msg_type: msgType,
    session,
    username,
    date: new Date().toISOString(),
    version: PROTOCOL_VERSION,
  };
}

/** Frames for a message sent on a DEALER socket (no routing ids: ZMQ adds ours). */
export function serialize(
  signer: MessageSigner,
  header: MessageHeader,
  content: unknown,
  parent: Partial<MessageHeader> = {},
  metadata: Record<string, unknown> = {},
): Buffer[] {
  const parts = [header, parent, metadata, content].map((p) => Buffer.from(JSON.stringify(p), 'utf8'));
  return [Buffer.from(DELIMITER), Buffer.from(signer.sign(parts)), ...parts];
}

/**
 * Decodes received frames: skips routing ids (and the topic of iopub messages) up to the delimiter, checks the
 * signature over the raw bytes, then parses. Text that is not valid UTF-8 (a kernel writing raw bytes) decodes
 * with U+FFFD in place of the bad bytes, exactly as the signature covered them.
 */
export function parse(signer: MessageSigner, frames: readonly Buffer[]): WireMessage {
  const at = frames.findIndex((f) => f.length === DELIMITER.length && f.toString('latin1') === DELIMITER);
  if (at < 0) {
    throw new WireError('Not a Jupyter message: no <IDS|MSG> delimiter.');
  }
  if (frames.length < at + 6) {
    throw new WireError(`Truncated Jupyter message: ${frames.length - at - 1} frames after the delimiter.`);
  }
  const parts = frames.slice(at + 2, at + 6);
  if (!signer.verify(frames[at + 1], parts)) {
    throw new WireError('Bad message signature: dropped (wrong key, or the message was altered).');
  }
  const [header, parent, metadata, content] = parts.map((p, i) => parseJson(p, i));
  if (!isHeader(header)) {
    throw new WireError('Bad message header: msg_id and msg_type are required.');
  }
  return {
    header,
    parent_header: (parent ?? {}) as Partial<MessageHeader>,
    metadata: (metadata ?? {}) as Record<string, unknown>,
    content,
    buffers: frames.slice(at + 6),
  };
}

const frameNames = ['header', 'parent_header', 'metadata', 'content'];

function parseJson(part: Buffer, index: number): unknown {
  try {
    return JSON.parse(part.toString('utf8')) as unknown;
  } catch (err) {
    throw new WireError(`Bad JSON in the ${frameNames[index]} frame: ${String(err)}`);
  }
}

function isHeader(value: unknown): value is MessageHeader {
  const h = value as Partial<MessageHeader> | null;
  return typeof h?.msg_id === 'string' && typeof h.msg_type === 'string';
}
