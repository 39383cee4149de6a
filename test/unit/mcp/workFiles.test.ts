import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MAX_FILE_BYTES,
  WorkFileError,
  listWorkFiles,
  readWorkFile,
  resolveInWorkFolder,
  writeWorkFile,
} from '../../../src/mcp/workFiles';

/** Rejects with a WorkFileError whose message matches every pattern. */
async function refused(promise: Promise<unknown>, ...patterns: RegExp[]): Promise<string> {
  const err = await promise.then(
    () => assert.fail('expected a refusal'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof WorkFileError, `expected a WorkFileError, got ${String(err)}`);
  assert.equal(err.name, 'WorkFileError');
  for (const pattern of patterns) {
    assert.match(err.message, pattern);
  }
  return err.message;
}

const exists = (p: string): Promise<boolean> =>
  fs.lstat(p).then(
    () => true,
    () => false,
  );

describe('work folder files', () => {
  let base: string; // holds the work folder and a folder outside it
  let root: string;
  let outside: string;
  let rootReal: string;

  beforeEach(async () => {
    base = await fs.mkdtemp(join(tmpdir(), 'ki-workfiles-'));
    root = join(base, 'home');
    outside = join(base, 'outside');
    await fs.mkdir(root);
    await fs.mkdir(outside);
    await fs.writeFile(join(outside, 'secret.txt'), 'host secret');
    rootReal = await fs.realpath(root);
  });
  afterEach(() => fs.rm(base, { recursive: true, force: true }));

  describe('paths that leave the work folder are refused', () => {
    const rows: [string, RegExp][] = [
      ['../x', /^Path "[^"]*" leads outside the work folder/],
      ['a/../../x', /^Path "[^"]*" leads outside the work folder/],
      ['..', /^Path "[^"]*" leads outside the work folder/],
      ['..\\x', /^Path "[^"]*" leads outside the work folder/],
      ['/etc/passwd', /is absolute/],
      ['C:\\x', /is absolute/],
      ['c:/x', /is absolute/],
      ['\\\\server\\share', /is absolute/],
      ['a\0b', /NUL byte/],
    ];
    for (const [given, reason] of rows) {
      it(`${JSON.stringify(given)}: resolve, read, write and list refuse it, naming the path`, async () => {
        const named = new RegExp(JSON.stringify(given).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'));
        await refused(resolveInWorkFolder(root, given), reason, named);
        await refused(readWorkFile(root, given), reason, named);
        await refused(writeWorkFile(root, given, 'x'), reason, named);
        await refused(listWorkFiles(root, given), reason, named);
        assert.equal(await exists(join(base, 'x')), false, 'nothing was written beside the work folder');
      });
    }
  });

  it('resolves the folder itself, paths that climb back inside, and paths not created yet', async () => {
    assert.equal(await resolveInWorkFolder(root, ''), rootReal);
    assert.equal(await resolveInWorkFolder(root, '.'), rootReal);
    assert.equal(await resolveInWorkFolder(root, 'a/../b'), join(rootReal, 'b'));
    assert.equal(await resolveInWorkFolder(root, 'new\\deep/f.txt'), join(rootReal, 'new', 'deep', 'f.txt'));
  });

  describe('symbolic links', () => {
    beforeEach(async () => {
      await fs.mkdir(join(root, 'sub'));
      await fs.writeFile(join(root, 'sub', 'a.txt'), 'inside text');
      await fs.symlink(outside, join(root, 'out'));
      await fs.symlink(join(root, 'sub'), join(root, 'in'));
      await fs.symlink(join(root, 'sub', 'a.txt'), join(root, 'alias.txt'));
      await fs.symlink(join(outside, 'not-there'), join(root, 'dangling'));
    });

    it('a link to a folder outside is refused for resolve, read, write and list', async () => {
      const outsideLink = /symbolic link that leads outside the work folder/;
      await refused(resolveInWorkFolder(root, 'out'), outsideLink, /"out"/);
      await refused(readWorkFile(root, 'out/secret.txt'), outsideLink, /"out\/secret.txt"/);
      await refused(writeWorkFile(root, 'out/new.txt', 'x'), outsideLink);
      await refused(writeWorkFile(root, 'out/deeper/new.txt', 'x'), outsideLink);
      await refused(listWorkFiles(root, 'out'), outsideLink);
      assert.deepEqual((await fs.readdir(outside)).sort(), ['secret.txt']);
    });

    it('a link whose target does not exist is refused, and nothing appears where it points', async () => {
      await refused(writeWorkFile(root, 'dangling/x.txt', 'x'), /target does not exist/);
      await refused(writeWorkFile(root, 'dangling', 'x'), /"dangling" is a symbolic link/);
      await refused(readWorkFile(root, 'dangling'), /target does not exist/);
      assert.deepEqual((await fs.readdir(outside)).sort(), ['secret.txt']);
    });

    it('links that stay inside can be read through, resolving to the real path', async () => {
      assert.equal(await resolveInWorkFolder(root, 'in/a.txt'), join(rootReal, 'sub', 'a.txt'));
      assert.equal((await readWorkFile(root, 'in/a.txt')).content, 'inside text');
      assert.equal((await readWorkFile(root, 'alias.txt')).content, 'inside text');
      const listed = await listWorkFiles(root, 'in');
      assert.deepEqual(listed.entries, [{ path: 'in/a.txt', type: 'file', size: 11 }]);
    });

    it('a write onto a link is refused even when it points inside; a write into a linked folder is not', async () => {
      await refused(writeWorkFile(root, 'alias.txt', 'changed'), /"alias.txt" is a symbolic link/);
      await refused(writeWorkFile(root, 'in', 'changed'), /"in" is a symbolic link/);
      assert.equal(await fs.readFile(join(root, 'sub', 'a.txt'), 'utf8'), 'inside text');
      assert.equal((await fs.lstat(join(root, 'alias.txt'))).isSymbolicLink(), true);

      await writeWorkFile(root, 'in/b.txt', 'via link');
      assert.equal(await fs.readFile(join(root, 'sub', 'b.txt'), 'utf8'), 'via link');
    });

    it('listing shows links as links and does not follow them', async () => {
      const { entries } = await listWorkFiles(root);
      assert.deepEqual(
        entries.map((e) => [e.path, e.type]),
        [
          ['alias.txt', 'symlink'],
          ['dangling', 'symlink'],
          ['in', 'symlink'],
          ['out', 'symlink'],
          ['sub', 'directory'],
          ['sub/a.txt', 'file'],
        ],
      );
    });
  });

  it('text round-trips exactly, byte-order mark and non-ASCII included', async () => {
    const text = '\ufeffhéllo ✓ 🏝️\r\nline two\n';
    const written = await writeWorkFile(root, 'notes.txt', text);
    assert.deepEqual(written, { path: 'notes.txt', size: Buffer.byteLength(text) });
    assert.deepEqual(await fs.readFile(join(root, 'notes.txt')), Buffer.from(text, 'utf8'));
    assert.deepEqual(await readWorkFile(root, 'notes.txt'), { content: text, encoding: 'text', size: written.size });
  });

  it('base64 round-trips every byte value', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
    const written = await writeWorkFile(root, 'bin/all.bytes', bytes.toString('base64'), 'base64');
    assert.deepEqual(written, { path: 'bin/all.bytes', size: 256 });
    assert.deepEqual(await fs.readFile(join(root, 'bin', 'all.bytes')), bytes);
    const read = await readWorkFile(root, 'bin/all.bytes', 'base64');
    assert.deepEqual(read, { content: bytes.toString('base64'), encoding: 'base64', size: 256 });
  });

  it('base64 wrapped over lines and without padding is accepted', async () => {
    await writeWorkFile(root, 'wrapped', 'aGVs\nbG8g\r\nd29y bGQ', 'base64');
    assert.equal(await fs.readFile(join(root, 'wrapped'), 'utf8'), 'hello world');
  });

  it('invalid base64 is refused and nothing is written', async () => {
    for (const bad of ['abc$', 'a', 'abcde', 'ab=c', '-_-_', 'YQ===', 'YQ=', 'abcd=', 'YWJj==']) {
      await refused(writeWorkFile(root, 'bad.bin', bad, 'base64'), /not valid base64/, /"bad.bin"/);
    }
    assert.equal(await exists(join(root, 'bad.bin')), false);
  });

  it('a file that is not UTF-8 is refused as text with a pointer to base64, and reads as base64', async () => {
    const bytes = Buffer.from([0x61, 0xff, 0xfe, 0x62]);
    await fs.writeFile(join(root, 'blob'), bytes);
    await refused(readWorkFile(root, 'blob'), /"blob" is not valid UTF-8/, /encoding "base64"/);
    assert.equal((await readWorkFile(root, 'blob', 'base64')).content, bytes.toString('base64'));
  });

  it('content over the cap is refused with its size and the cap, and nothing is written', async () => {
    const over = MAX_FILE_BYTES + 1;
    await refused(writeWorkFile(root, 'big.txt', 'x'.repeat(over)), new RegExp(`is ${over} bytes`), /10485760-byte/);
    // 4 base64 characters carry 3 bytes: this decodes to MAX_FILE_BYTES + 2 bytes.
    const b64 = 'AAAA'.repeat(Math.ceil(over / 3));
    await refused(writeWorkFile(root, 'big.bin', b64, 'base64'), new RegExp(`is ${over + 1} bytes`));
    assert.deepEqual(await fs.readdir(root), []);
  });

  it('content of exactly the cap is written', async () => {
    const written = await writeWorkFile(root, 'full.txt', 'y'.repeat(MAX_FILE_BYTES));
    assert.equal(written.size, MAX_FILE_BYTES);
    assert.equal((await fs.stat(join(root, 'full.txt'))).size, MAX_FILE_BYTES);
  });

  it('a file over the cap is refused for reading with its size and the cap', async () => {
    const handle = await fs.open(join(root, 'huge.log'), 'w');
    await handle.truncate(MAX_FILE_BYTES + 5); // sparse: cheap to make
    await handle.close();
    await refused(readWorkFile(root, 'huge.log'), /"huge.log" is 10485765 bytes/, /10485760-byte limit/);
  });

  it('folders, missing files and paths through a file are refused with what to do', async () => {
    await fs.mkdir(join(root, 'dir'));
    await fs.writeFile(join(root, 'f.txt'), 'f');
    await refused(readWorkFile(root, 'dir'), /"dir" is a folder/, /list_files/);
    await refused(readWorkFile(root, ''), /"" is a folder/);
    await refused(readWorkFile(root, 'nope.txt'), /"nope.txt" does not exist/);
    await refused(readWorkFile(root, 'f.txt/x'), /parent of "f.txt\/x" is a file/);
    await refused(writeWorkFile(root, 'dir', 'x'), /"dir" is a folder/);
    await refused(writeWorkFile(root, 'f.txt/x', 'x'), /parent of "f.txt\/x" is a file/);
    await refused(writeWorkFile(root, 'out/', 'x'), /names a folder/);
    await refused(writeWorkFile(root, '.', 'x'), /names a folder/);
    await refused(listWorkFiles(root, 'f.txt'), /"f.txt" is a file/, /read_file/);
    assert.equal((await fs.stat(join(root, 'dir'))).isDirectory(), true);
    assert.equal(await fs.readFile(join(root, 'f.txt'), 'utf8'), 'f');
  });

  it('a pipe is refused for reading without hanging', async function () {
    if (process.platform === 'win32') {
      this.skip();
    }
    execFileSync('mkfifo', [join(root, 'pipe')]);
    await refused(readWorkFile(root, 'pipe'), /"pipe" is not a regular file/);
    await refused(writeWorkFile(root, 'pipe', 'x'), /"pipe" is not a regular file/);
  });

  it('a write creates its parent folders, and replaces a file keeping its permissions', async () => {
    const written = await writeWorkFile(root, 'n1\\n2/./n3/out.csv', 'a,b\n');
    assert.deepEqual(written, { path: 'n1/n2/n3/out.csv', size: 4 });
    assert.equal(await fs.readFile(join(root, 'n1', 'n2', 'n3', 'out.csv'), 'utf8'), 'a,b\n');

    await fs.chmod(join(root, 'n1', 'n2', 'n3', 'out.csv'), 0o750);
    await writeWorkFile(root, 'n1/n2/n3/out.csv', 'c');
    assert.equal(await fs.readFile(join(root, 'n1', 'n2', 'n3', 'out.csv'), 'utf8'), 'c');
    if (process.platform !== 'win32') {
      assert.equal((await fs.stat(join(root, 'n1', 'n2', 'n3', 'out.csv'))).mode & 0o777, 0o750);
    }
    assert.deepEqual(await fs.readdir(join(root, 'n1', 'n2', 'n3')), ['out.csv'], 'no temporary file is left');
  });

  describe('listing', () => {
    beforeEach(async () => {
      await fs.mkdir(join(root, 'b', 'c'), { recursive: true });
      await fs.mkdir(join(root, 'a'));
      await fs.writeFile(join(root, 'b', 'c', 'deep.txt'), '12345');
      await fs.writeFile(join(root, 'b', 'x.py'), 'print(1)');
      await fs.writeFile(join(root, 'a', 'z'), '');
      await fs.writeFile(join(root, 'top.md'), '# t');
    });
    const all = [
      { path: 'a', type: 'directory', size: 0 },
      { path: 'a/z', type: 'file', size: 0 },
      { path: 'b', type: 'directory', size: 0 },
      { path: 'b/c', type: 'directory', size: 0 },
      { path: 'b/c/deep.txt', type: 'file', size: 5 },
      { path: 'b/x.py', type: 'file', size: 8 },
      { path: 'top.md', type: 'file', size: 3 },
    ];

    it('lists nested folders depth first, sorted, with sizes', async () => {
      assert.deepEqual(await listWorkFiles(root), { entries: all, truncated: false });
      assert.deepEqual(await listWorkFiles(root, '.', { maxEntries: all.length }), { entries: all, truncated: false });
    });

    it('stops at maxEntries and says it was truncated', async () => {
      assert.deepEqual(await listWorkFiles(root, '', { maxEntries: 4 }), { entries: all.slice(0, 4), truncated: true });
      assert.deepEqual(await listWorkFiles(root, '', { maxEntries: all.length - 1 }), {
        entries: all.slice(0, -1),
        truncated: true,
      });
      await refused(listWorkFiles(root, '', { maxEntries: 0 }), /maxEntries/);
    });

    it('lists a subfolder with paths relative to the work folder', async () => {
      assert.deepEqual(await listWorkFiles(root, 'b/'), { entries: all.slice(3, 6), truncated: false });
      await refused(listWorkFiles(root, 'missing'), /"missing" does not exist/);
    });
  });
});
