/**
 * A fresh server token: 32 random bytes (256 bits) as hex. Web Crypto (the global `crypto`) rather than an import
 * of `node:crypto`: that module costs a few ms to load, which activation would pay before any server is needed.
 */
export function generateToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('hex');
}

const TOKEN_QUERY = /([?&]token=)[^&\s"']+/gi;
const AUTH_HEADER = /(Authorization:\s*token\s+)\S+/gi;

/** Removes `token` (and anything that looks like a token in a URL or header) from text meant for logs. */
export function maskToken(text: string, token: string | undefined): string {
  const masked = token ? text.split(token).join('<token>') : text;
  return masked.replace(TOKEN_QUERY, '$1<token>').replace(AUTH_HEADER, '$1<token>');
}
