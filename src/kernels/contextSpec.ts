// What a context id says about its context, in one place and without VS Code: its kind, whether it names a
// document, its label, and what each kind means for the kernel (working directory, `__file__`).
import * as path from 'node:path';
import { hostPlatform, pathKey, type Platform } from '../common/platform';
import type { ContextKind, ContextSpec } from './types';

const CONTEXT_KINDS: ReadonlySet<unknown> = new Set<ContextKind>(['file', 'untitled', 'notebook', 'named', 'agent']);

/** True for a known kind, for persisted or foreign values. */
export function isContextKind(value: unknown): value is ContextKind {
  return CONTEXT_KINDS.has(value);
}

/**
 * URI schemes of documents and notebooks (local, remote, virtual). A context id in one of these is a document's or
 * notebook's URI; every other id is a name a caller chose.
 */
const DOCUMENT_SCHEMES: ReadonlySet<string> = new Set([
  'file',
  'untitled',
  'vscode-remote',
  'vscode-vfs',
  'vscode-userdata',
  'vscode-notebook',
  'vscode-notebook-cell',
]);

/** Schemes that name a notebook (or one of its cells) whatever the path. */
const NOTEBOOK_SCHEMES: ReadonlySet<string> = new Set(['vscode-notebook', 'vscode-notebook-cell']);

/** Schemes of the text documents whose editors run in a context of their own (a notebook cell's runs in its notebook). */
export const TEXT_DOCUMENT_SCHEMES: readonly string[] = [...DOCUMENT_SCHEMES].filter((s) => !NOTEBOOK_SCHEMES.has(s));

/** Agent contexts live under this prefix (`agent:chat-42`): the LM tool's, the API's and MCP sessions'. */
export const AGENT_CONTEXT_PREFIX = 'agent:';

/**
 * Prefix of every context an MCP session owns: `agent:mcp-<session>:<name>`. A session lives as long as its
 * connection, so these contexts never outlive their server (a window reload does not bring them back).
 */
export const MCP_CONTEXT_PREFIX = 'agent:mcp-';

const URI = /^([a-z][\w+.-]*):(?:\/\/[^/?#]*)?([^?#]*)/i;

/** The scheme of a URI-shaped id, lower case; undefined for ids that are not URIs. */
function schemeOf(id: string): string | undefined {
  return URI.exec(id)?.[1].toLowerCase();
}

/** The path part of a URI-shaped id (`/w/a.py` of `file:///w/a.py`, `Untitled-1` of `untitled:Untitled-1`). */
function pathOf(id: string): string {
  return URI.exec(id)?.[2] ?? '';
}

/**
 * The kind of context an id names, from the id alone: a document's URI is a `file` (saved, local or remote), an
 * `untitled` buffer or a `notebook` (`.ipynb`, or a notebook scheme); `agent:…` is an agent's; anything else is a
 * `named` context. The builders set the kind from what they build from; this is for ids that come without one
 * (snapshots saved before kinds existed, ids from commands and scripts).
 */
export function contextKindOfId(id: string): ContextKind {
  const scheme = schemeOf(id);
  if (scheme === undefined || !DOCUMENT_SCHEMES.has(scheme)) {
    return id.startsWith(AGENT_CONTEXT_PREFIX) ? 'agent' : 'named';
  }
  if (NOTEBOOK_SCHEMES.has(scheme) || /\.ipynb$/i.test(pathOf(id))) {
    return 'notebook';
  }
  return scheme === 'untitled' ? 'untitled' : 'file';
}

/** True for the kinds whose id is a document's or notebook's URI. */
export function isDocumentKind(kind: ContextKind): boolean {
  return kind === 'file' || kind === 'untitled' || kind === 'notebook';
}

/** True when `id` is a document's or notebook's URI, false for names callers chose (`agent:…`, `my-session`). */
export function isDocumentId(id: string): boolean {
  return isDocumentKind(contextKindOfId(id));
}

/**
 * The key every URI of one document shares. On Windows a file's path ignores case and VS Code writes the drive in
 * lower case (`file:///c%3A/…`) where a caller may not, so a file URI's key is its folded path (`common/platform`
 * `pathKey`): `file:///C:/Proj/a.py` from the API finds the open `c:\proj\A.py`. Every other URI is its text.
 */
export function documentKey(
  uri: { scheme: string; fsPath: string; toString(): string },
  platform: Platform = hostPlatform(),
): string {
  return uri.scheme === 'file' && platform.os === 'win32' ? `file:${pathKey(platform, uri.fsPath)}` : uri.toString();
}

/** A short label for an id: a document's file name (`untitled:Untitled-1` → `Untitled-1`); a name stays as it is. */
export function labelForId(id: string): string {
  if (!isDocumentId(id)) {
    return id;
  }
  const tail = pathOf(id).split('/').filter(Boolean).pop();
  if (!tail) {
    return id;
  }
  try {
    return decodeURIComponent(tail);
  } catch {
    return tail;
  }
}

/** What a context spec is made from; `kind` defaults to the id's. */
export interface ContextFacts {
  id: string;
  kind?: ContextKind;
  /** The document's path on this machine, when it is a saved local file or notebook. */
  filePath?: string;
  /** Working directory when the kind has none of its own (untitled buffers, named contexts, remote files). */
  fallbackCwd?: string;
  kernelName?: string;
  server?: string;
}

/**
 * The spec of a context, with what its kind means for the kernel, as in Jupyter: a file runs in its folder with
 * `__file__` set to it; a notebook runs in its folder without `__file__` (Jupyter does not set it in notebooks);
 * untitled buffers and named contexts run in the fallback folder.
 */
export function contextSpec(facts: ContextFacts): ContextSpec {
  const { id, filePath, fallbackCwd, kernelName, server } = facts;
  const kind = facts.kind ?? contextKindOfId(id);
  const spec: ContextSpec = { id, kind, label: labelForId(id) };
  if (filePath && (kind === 'file' || kind === 'notebook')) {
    spec.label = path.basename(filePath);
    spec.cwd = path.dirname(filePath);
    if (kind === 'file') {
      spec.file = filePath;
    }
  } else if (fallbackCwd !== undefined) {
    spec.cwd = fallbackCwd;
  }
  if (kernelName !== undefined) {
    spec.kernelName = kernelName;
  }
  if (server !== undefined) {
    spec.server = server;
  }
  return spec;
}
