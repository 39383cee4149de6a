import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { generateToken } from '../jupyter/token';

/** Environment variable that sets the HTTP server's bearer token (never a command-line argument: argv is public). */
export const MCP_TOKEN_ENV = 'KERNEL_ISLANDS_MCP_TOKEN';

/** Tokens shorter than this (hex or other text) are refused: 32 characters carry at least 128 bits as hex. */
const MIN_TOKEN_LENGTH = 32;

/** The token from the environment, or a fresh 256-bit one (`generated` says which, so only a new one is printed). */
export function serverToken(env: NodeJS.ProcessEnv): { token: string; generated: boolean } {
  const given = env[MCP_TOKEN_ENV]?.trim();
  if (given) {
    if (given.length < MIN_TOKEN_LENGTH) {
      throw new Error(`${MCP_TOKEN_ENV} is too short: use at least ${MIN_TOKEN_LENGTH} random characters.`);
    }
    return { token: given, generated: false };
  }
  return { token: generateToken(), generated: true };
}

/** True when the request carries `Authorization: Bearer <token>`, compared in constant time. */
export function hasBearer(req: IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!m) {
    return false;
  }
  const given = Buffer.from(m[1]);
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}
