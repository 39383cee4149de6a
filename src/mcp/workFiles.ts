// File access for the MCP file tools (list_files, read_file, write_file): an agent moves files in and out of
// its context's work folder, the only folder its sandboxed kernel may write. This server runs on the host,
// outside the sandbox, so every path the agent gives is checked to stay inside that folder. The kernel can
// create symbolic links there, so links are resolved before the check, and files are opened without following
// a final link and checked again once open: a link swapped in after the check still cannot reach host files.
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { hostPlatform } from '../common/platform';

/** The largest file read_file returns and write_file writes, in bytes (after base64 decoding). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** A refused file request. The message names the path as the agent gave it and says what to do instead. */
export class WorkFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkFileError';
  }
}

/** One file or folder of a listing. `size` is in bytes for files and 0 for anything else. */
interface WorkFileEntry {
  /** Relative to the work folder, with '/' separators. */
  path: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number;
}

// Undefined on Windows, where the flag does not exist: 0 leaves the open flags as they are.
const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = constants.O_NONBLOCK ?? 0;
// A plain character-class run: a grouped pattern like (?:x{4})* overflows V8's stack on megabytes of input.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The path for messages: JSON quoting shows a NUL or a backslash as the agent typed it. */
const quote = (given: string): string => JSON.stringify(given);

/** True when `candidate` is `root` or below it (both absolute, both already free of links). */
function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * The agent's path as a clean relative '/' path ('' for the work folder itself), or a refusal. Backslashes count
 * as separators on every platform, so `..\x` and `C:\x` mean the same whatever the host is.
 */
function normalizeRelative(given: string): string {
  if (given.includes('\0')) {
    throw new WorkFileError(`Path ${quote(given)} contains a NUL byte; give a plain relative path.`);
  }
  const slashed = given.replace(/\\/g, '/');
  if (path.posix.isAbsolute(slashed) || /^[A-Za-z]:/.test(slashed)) {
    throw new WorkFileError(
      `Path ${quote(given)} is absolute; give a path relative to the work folder (for example "data/input.csv").`,
    );
  }
  const normalized = path.posix.normalize(slashed === '' ? '.' : slashed).replace(/\/+$/, '');
  if (normalized === '..' || normalized.startsWith('../')) {
    throw new WorkFileError(`Path ${quote(given)} leads outside the work folder; only paths inside it are allowed.`);
  }
  return normalized === '.' ? '' : normalized;
}

/** The work folder without links; a missing one is the server's state, not the agent's mistake, but still named. */
async function realRoot(root: string): Promise<string> {
  try {
    return await fs.realpath(root);
  } catch (err) {
    throw new WorkFileError(`The work folder ${root} is not available (${(err as Error).message}).`);
  }
}

/** The link-free absolute path of a clean relative path: its existing part through realpath, the rest appended. */
async function resolveNormalized(rootReal: string, normalized: string, given: string): Promise<string> {
  let existing = path.resolve(rootReal, normalized);
  const missing: string[] = [];
  for (;;) {
    const real = await realpathOrUndefined(existing, given);
    if (real !== undefined) {
      if (!isInside(rootReal, real)) {
        throw new WorkFileError(
          `Path ${quote(given)} goes through a symbolic link that leads outside the work folder; ` +
            'only paths inside it are allowed.',
        );
      }
      return path.join(real, ...missing);
    }
    // A link that realpath could not follow points nowhere: where it would lead cannot be checked.
    if ((await lstatOrUndefined(existing))?.isSymbolicLink()) {
      throw new WorkFileError(
        `Path ${quote(given)} goes through a symbolic link whose target does not exist; remove the link or ` +
          'give another path.',
      );
    }
    if (existing === rootReal) {
      throw new WorkFileError(`The work folder ${rootReal} is no longer available.`);
    }
    missing.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
}

/** realpath, or undefined when the path (or a parent, as a file) does not exist yet. */
async function realpathOrUndefined(file: string, given: string): Promise<string | undefined> {
  try {
    return await fs.realpath(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return undefined;
    }
    if (code === 'ELOOP') {
      throw new WorkFileError(`Path ${quote(given)} goes through symbolic links that loop; remove one of them.`);
    }
    throw err;
  }
}

async function lstatOrUndefined(file: string): Promise<Stats | undefined> {
  try {
    return await fs.lstat(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      return undefined;
    }
    throw err;
  }
}

/**
 * The real absolute path of `relative` inside the work folder `root` ('' or '.' is the folder itself). Refuses,
 * with a {@link WorkFileError}, absolute paths, paths that climb out of the folder, NUL bytes, and paths through
 * a symbolic link that leads outside it (links that stay inside are followed). A path that does not exist yet
 * is checked through its longest existing parent.
 */
export async function resolveInWorkFolder(root: string, relative: string): Promise<string> {
  const normalized = normalizeRelative(relative);
  return resolveNormalized(await realRoot(root), normalized, relative);
}

/** A WorkFileError for the usual ways a checked path can still fail; other errors pass through unchanged. */
function fsRefusal(err: unknown, given: string): unknown {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return new WorkFileError(`${quote(given)} does not exist in the work folder; list_files shows what does.`);
    case 'ENOTDIR':
    case 'EEXIST':
      return new WorkFileError(`A parent of ${quote(given)} is a file, not a folder; choose another path.`);
    case 'EISDIR':
      return new WorkFileError(`${quote(given)} is a folder; give a file path (list_files shows what it holds).`);
    case 'EACCES':
    case 'EPERM':
      return new WorkFileError(`Permission denied for ${quote(given)} in the work folder.`);
    case 'ELOOP':
      return new WorkFileError(`${quote(given)} is a symbolic link; give the path of the file it points to.`);
    default:
      return err;
  }
}

/**
 * On Linux, where the open file really is: a folder or link swapped in between the check and the open would show
 * here. Elsewhere there is no portable way to ask, and the earlier checks stand alone.
 */
async function checkOpened(handle: fs.FileHandle, rootReal: string, given: string): Promise<void> {
  if (hostPlatform().os !== 'linux') {
    return;
  }
  const opened = await fs.readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
  if (opened !== undefined && !isInside(rootReal, opened)) {
    throw new WorkFileError(`${quote(given)} changed while it was being opened and now leads outside the work folder.`);
  }
}

/**
 * Every file, folder and link under `relative` (default: the whole work folder), depth first, each folder's
 * names in code-unit order so a folder's contents follow it. Links are listed as 'symlink' and not followed.
 * At most `maxEntries` (default 1000) entries; `truncated` says some were left out.
 */
export async function listWorkFiles(
  root: string,
  relative = '',
  options?: { maxEntries?: number },
): Promise<{ entries: WorkFileEntry[]; truncated: boolean }> {
  const maxEntries = options?.maxEntries ?? 1000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new WorkFileError(`maxEntries must be a whole number of at least 1, not ${maxEntries}.`);
  }
  const normalized = normalizeRelative(relative);
  const folder = await resolveNormalized(await realRoot(root), normalized, relative);
  const stats = await fs.stat(folder).catch((err) => {
    throw fsRefusal(err, relative);
  });
  if (!stats.isDirectory()) {
    throw new WorkFileError(`${quote(relative)} is a file, not a folder; use read_file to read it.`);
  }
  // One more than the cap, so a full listing and a cut one can be told apart.
  const entries: WorkFileEntry[] = [];
  await walk(folder, normalized, entries, maxEntries + 1);
  const truncated = entries.length > maxEntries;
  return { entries: truncated ? entries.slice(0, maxEntries) : entries, truncated };
}

function entryType(stats: Stats): WorkFileEntry['type'] {
  if (stats.isSymbolicLink()) {
    return 'symlink';
  }
  return stats.isDirectory() ? 'directory' : stats.isFile() ? 'file' : 'other';
}

/** Depth-first, names sorted, stopping once `into` holds `limit` entries: a huge tree is not read to the end. */
async function walk(folder: string, prefix: string, into: WorkFileEntry[], limit: number): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    // Unreadable, or removed by the kernel meanwhile: the folder itself is listed, its contents cannot be.
    return;
  }
  names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const name of names) {
    if (into.length >= limit) {
      return;
    }
    const stats = await lstatOrUndefined(path.join(folder, name));
    if (!stats) {
      continue; // removed since readdir
    }
    const entryPath = prefix ? `${prefix}/${name}` : name;
    const type = entryType(stats);
    into.push({ path: entryPath, type, size: type === 'file' ? stats.size : 0 });
    if (type === 'directory') {
      await walk(path.join(folder, name), entryPath, into, limit);
    }
  }
}

/**
 * The content of the file at `relative`: UTF-8 text, or base64 for any bytes. Refuses folders, anything that
 * is not a regular file, files over {@link MAX_FILE_BYTES}, and as 'text' a file that is not valid UTF-8.
 */
export async function readWorkFile(
  root: string,
  relative: string,
  encoding: 'text' | 'base64' = 'text',
): Promise<{ content: string; encoding: 'text' | 'base64'; size: number }> {
  const rootReal = await realRoot(root);
  const file = await resolveNormalized(rootReal, normalizeRelative(relative), relative);
  const bytes = await readCapped(file, rootReal, relative);
  if (encoding === 'base64') {
    return { content: bytes.toString('base64'), encoding, size: bytes.length };
  }
  try {
    // ignoreBOM keeps a leading byte-order mark in the text, so what is read is exactly what the file holds.
    const content = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return { content, encoding, size: bytes.length };
  } catch {
    throw new WorkFileError(`${quote(relative)} is not valid UTF-8 text; read it with encoding "base64".`);
  }
}

/**
 * The bytes of a regular file, checked once open to lie inside the work folder, refused over the cap. O_NONBLOCK
 * keeps a FIFO the kernel made from hanging the open; fstat then refuses it like any other non-file.
 */
async function readCapped(file: string, rootReal: string, given: string): Promise<Buffer> {
  const handle = await fs.open(file, constants.O_RDONLY | O_NOFOLLOW | O_NONBLOCK).catch((err) => {
    throw fsRefusal(err, given);
  });
  try {
    await checkOpened(handle, rootReal, given);
    const stats = await handle.stat();
    if (stats.isDirectory()) {
      throw new WorkFileError(`${quote(given)} is a folder; use list_files to see what it holds.`);
    }
    if (!stats.isFile()) {
      throw new WorkFileError(`${quote(given)} is not a regular file (a pipe, socket or device); it cannot be read.`);
    }
    if (stats.size > MAX_FILE_BYTES) {
      throw new WorkFileError(
        `${quote(given)} is ${stats.size} bytes, over the ${MAX_FILE_BYTES}-byte limit of read_file; ` +
          'split or compress it in the kernel first.',
      );
    }
    // Read the size fstat gave, no more: a file the kernel keeps growing cannot push the read past the cap.
    const bytes = Buffer.alloc(stats.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) {
        break;
      }
      filled += bytesRead;
    }
    return bytes.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** The bytes to write, refused before any large allocation when they would go over the cap. */
function decodeContent(content: string, encoding: 'text' | 'base64', given: string): Buffer {
  let size: number;
  let compact = content;
  if (encoding === 'base64') {
    // Line breaks and spaces, as base64 tools wrap their output, are dropped; anything else must be base64.
    compact = content.replace(/\s+/g, '');
    const data = compact.replace(/=+$/, '').length;
    // Padding only completes a group of 4, and a lone last character cannot hold a byte.
    if (!BASE64.test(compact) || data % 4 === 1 || (compact.length > data && compact.length % 4 !== 0)) {
      throw new WorkFileError(
        `The content for ${quote(given)} is not valid base64 (standard alphabet A-Z a-z 0-9 + /, "=" padding only ` +
          'at the end); fix it or send it with encoding "text".',
      );
    }
    size = Math.floor((data * 3) / 4);
  } else {
    size = Buffer.byteLength(content, 'utf8');
  }
  if (size > MAX_FILE_BYTES) {
    throw new WorkFileError(
      `The content for ${quote(given)} is ${size} bytes, over the ${MAX_FILE_BYTES}-byte limit of write_file; ` +
        'send it in smaller files.',
    );
  }
  return encoding === 'base64' ? Buffer.from(compact, 'base64') : Buffer.from(content, 'utf8');
}

/**
 * Writes `content` (UTF-8 text, or base64 for any bytes) to the file at `relative`, creating its parent folders
 * inside the work folder and replacing an existing file. Refuses content over {@link MAX_FILE_BYTES}, invalid
 * base64, a folder, and a symbolic link as the file itself even when it points inside the work folder.
 * Returns the path as written (relative, '/' separators) and the size in bytes.
 */
export async function writeWorkFile(
  root: string,
  relative: string,
  content: string,
  encoding: 'text' | 'base64' = 'text',
): Promise<{ path: string; size: number }> {
  const normalized = normalizeRelative(relative);
  if (normalized === '' || /[/\\]$/.test(relative)) {
    throw new WorkFileError(`${quote(relative)} names a folder; give a file path such as "results/out.txt".`);
  }
  const bytes = decodeContent(content, encoding, relative);
  const rootReal = await realRoot(root);
  // The parent is resolved (links inside are fine); the file itself is not, so a link there is seen and refused.
  const parent = await resolveNormalized(rootReal, path.posix.dirname(normalized), relative);
  const target = path.join(parent, path.posix.basename(normalized));
  const existing = await lstatOrUndefined(target);
  if (existing?.isSymbolicLink()) {
    throw new WorkFileError(`${quote(relative)} is a symbolic link; write_file does not write through links.`);
  }
  if (existing?.isDirectory()) {
    throw new WorkFileError(`${quote(relative)} is a folder; give a file path inside it instead.`);
  }
  if (existing && !existing.isFile()) {
    throw new WorkFileError(
      `${quote(relative)} is not a regular file (a pipe, socket or device); it cannot be written.`,
    );
  }
  await fs.mkdir(parent, { recursive: true }).catch((err) => {
    throw fsRefusal(err, relative);
  });
  await writeThroughTemp(target, bytes, existing?.mode, rootReal, relative);
  return { path: normalized, size: bytes.length };
}

/**
 * Writes a fresh temporary file next to `target` and renames it over: the temporary name is created exclusively
 * (no link can be there), checked once open, and a rename replaces a link that appeared meanwhile rather than
 * writing through it. A reader never sees a half-written file.
 */
async function writeThroughTemp(
  target: string,
  bytes: Buffer,
  mode: number | undefined,
  rootReal: string,
  given: string,
): Promise<void> {
  // Not derived from the file's name, which may already be as long as a name can be.
  const temp = path.join(path.dirname(target), `.ki-write-${randomBytes(8).toString('hex')}.tmp`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | O_NOFOLLOW;
  const handle = await fs.open(temp, flags, 0o666).catch((err) => {
    throw fsRefusal(err, given);
  });
  try {
    try {
      await checkOpened(handle, rootReal, given);
      if (mode !== undefined) {
        // A replaced file keeps its permissions (an executable stays one), set before any content is in it.
        await handle.chmod(mode & 0o7777);
      }
      await handle.writeFile(bytes);
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true });
    throw fsRefusal(err, given);
  }
}
