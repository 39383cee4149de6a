// The escape suite: code in one MCP session's sandboxed context tries, as an agent steered by a prompt injection
// would, to reach another session's kernel, our tokens, the user's home folder, files outside its folder, local
// services, unbounded memory and unbounded time. Each attempt has its expected refusal, and after each one the
// other session still reads back its own value.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { environmentKernelName } from '../../../src/python/pythonEnvironment';
import { DEFAULT_AGENT_LIMITS } from '../../../src/kernels/agentLifecycle';
import { waitFor } from '../../shared/poll';
import { serverKernelIds } from '../kernels/helpers';
import { TEST_PYTHON } from '../fixtures/localServer';
import { call, defaultSandbox, endHttpSession, httpSession, run, textOf, useMcpHttp, valueOf } from './mcpClients';

type Session = Awaited<ReturnType<typeof httpSession>>;

/** A project folder for the sandboxed contexts: readable by them, never writable. */
const project = fs.mkdtempSync(path.join(os.tmpdir(), 'ki-escape-project-'));
fs.writeFileSync(path.join(project, 'data.csv'), 'a,b\n1,2\n3,4\n');
/** A file of the user's, readable by the user only: no sandbox may read it. */
const planted = path.join(os.homedir(), `.ki-escape-${process.pid}`);
const SECRET = `planted-${process.pid}-${Date.now()}`;
const TOKEN_ENV = 'KERNEL_ISLANDS_MCP_TOKEN';

/** Python that prints one JSON line with what it found; the test reads it from the run's text. */
async function probe(s: Session, code: string): Promise<Record<string, unknown>> {
  const text = await run(s.client, `import json as _j\n${code}`, 'main');
  const line = text.split('\n').find((l) => l.startsWith('{'));
  assert.ok(line, `the probe printed no JSON line:\n${text}`);
  return JSON.parse(line) as Record<string, unknown>;
}

describe('agent sandbox: code in one MCP session cannot escape its island (bubblewrap, no network)', function () {
  this.timeout(180_000);
  const mcp = useMcpHttp(
    { ...DEFAULT_AGENT_LIMITS, runTimeoutSeconds: 8 },
    defaultSandbox(project, { memoryMb: 2048 }),
    project,
  );
  let a: Session;
  let b: Session;
  const savedToken = process.env[TOKEN_ENV];

  before(async function () {
    fs.writeFileSync(planted, SECRET, { mode: 0o600 });
    // The token an MCP server runs with is in its own environment: the kernels it starts must never see it.
    process.env[TOKEN_ENV] = mcp.token;
    a = await httpSession(mcp.http.url, mcp.token);
    b = await httpSession(mcp.http.url, mcp.token);
    await run(a.client, "x = 'secret-A'", 'main');
  });

  after(async () => {
    fs.rmSync(planted, { force: true });
    fs.rmSync(project, { recursive: true, force: true });
    if (savedToken === undefined) {
      delete process.env[TOKEN_ENV];
    } else {
      process.env[TOKEN_ENV] = savedToken;
    }
    await Promise.allSettled([a && endHttpSession(a), b && endHttpSession(b)]);
  });

  afterEach(async function () {
    if (a) {
      assert.equal(valueOf(await run(a.client, 'x', 'main')), "'secret-A'", "session A's state is unharmed");
    }
  });

  it('lists its context as sandboxed, with a work folder of its own', async () => {
    await run(b.client, '1', 'main');
    const listed = textOf(await call(b.client, 'list_contexts'));
    assert.match(listed, /main: kernel python3 .*sandboxed, work folder \/\S+\/home/);
  });

  it("cannot find another kernel's connection file, nor reach session A's kernel knowing its file, key and sockets", async () => {
    const kernelIdA = /\(id ([0-9a-f-]{36})\)/.exec(textOf(await call(a.client, 'list_contexts')))?.[1];
    assert.ok(kernelIdA);
    const folderA = mcp.engine.sandbox.workFolder(kernelIdA);
    assert.ok(folderA);
    const connectionFile = path.join(path.dirname(folderA), `kernel-${kernelIdA}.json`);
    // The attacker is handed everything: the connection info as the host has it (ipc path and HMAC key).
    const info = fs.readFileSync(connectionFile, 'utf8');
    const found = await probe(
      b,
      [
        'import glob, os',
        "roots = ['/tmp', '/root', '/home', '/run', os.path.dirname(os.getcwd()) + '/..']",
        "files = [f for r in roots for f in glob.glob(r + '/**/kernel-*.json', recursive=True)]",
        `mine = ${JSON.stringify(kernelIdA)}`,
        'from jupyter_client import BlockingKernelClient',
        'kc = BlockingKernelClient()',
        `kc.load_connection_info(_j.loads(${JSON.stringify(info)}))`,
        'kc.start_channels()',
        "answer = None\ntry:\n  kc.wait_for_ready(timeout=2)\n  answer = kc.execute_interactive('x', timeout=2)['content']\nexcept Exception as e:\n  answer = type(e).__name__",
        `print(_j.dumps({'files': files, 'others': [f for f in files if mine in f], 'exists': os.path.exists(${JSON.stringify(connectionFile)}), 'answer': str(answer)}))`,
      ].join('\n'),
    );
    assert.deepEqual(found.others, [], "no connection file of session A's kernel is visible");
    assert.equal(found.exists, false);
    assert.doesNotMatch(String(found.answer), /secret-A/);
    assert.equal(found.answer, 'RuntimeError', 'the kernel never answered (wait_for_ready timed out)');
  });

  it('finds no token in its environment or in any process it can see, and sees only its own processes', async () => {
    const found = await probe(
      b,
      [
        'import os',
        "pids = [p for p in os.listdir('/proc') if p.isdigit()]",
        'environs = []',
        "for p in pids:\n  try:\n    environs.append(open('/proc/%s/environ' % p, 'rb').read().decode('utf-8', 'replace'))\n  except Exception:\n    pass",
        "cmdlines = [open('/proc/%s/cmdline' % p, 'rb').read().decode('utf-8', 'replace') for p in pids]",
        `token = ${JSON.stringify(mcp.token)}`,
        "print(_j.dumps({'names': sorted(os.environ), 'inEnv': any(token in v for v in os.environ.values()), 'inProcs': any(token in e for e in environs), 'pids': len(pids), 'server': any('launcher.py' in c or c.split(chr(0))[0].endswith('node') for c in cmdlines)}))",
      ].join('\n'),
    );
    assert.equal(found.inEnv, false);
    assert.equal(found.inProcs, false);
    const names = found.names as string[];
    assert.ok(!names.some((n) => /KERNEL_ISLANDS|TOKEN/i.test(n)), `no token variable: ${names.join(' ')}`);
    assert.ok((found.pids as number) <= 3, `only the sandbox's own processes (init, kernel): ${String(found.pids)}`);
    assert.equal(found.server, false, 'no Jupyter Server (launcher.py) or Node process is visible');
  });

  it("cannot read the user's home folder (a planted 0600 file) nor write outside its work folder", async () => {
    const found = await probe(
      b,
      [
        'import os',
        'def attempt(f):\n  try:\n    return str(f())\n  except Exception as e:\n    return type(e).__name__',
        `home = ${JSON.stringify(os.homedir())}`,
        `planted = ${JSON.stringify(planted)}`,
        `project = ${JSON.stringify(project)}`,
        "print(_j.dumps({'read': attempt(lambda: open(planted).read()), 'list': attempt(lambda: os.listdir(home)),",
        "  'writeHome': attempt(lambda: open(os.path.join(home, 'ki-escaped'), 'w').write('x')),",
        "  'writeProject': attempt(lambda: open(os.path.join(project, 'escaped.txt'), 'w').write('x')),",
        "  'writeUsr': attempt(lambda: open('/usr/ki-escaped', 'w').write('x')),",
        "  'readProject': attempt(lambda: open(os.path.join(project, 'data.csv')).read()),",
        "  'writeOwn': attempt(lambda: open('own.txt', 'w').write('mine')), 'cwd': os.getcwd(), 'home': os.environ['HOME']}))",
      ].join('\n'),
    );
    assert.notEqual(found.read, SECRET);
    assert.match(String(found.read), /FileNotFoundError|PermissionError/);
    assert.match(String(found.list), /FileNotFoundError|PermissionError/);
    assert.match(String(found.writeHome), /Error/);
    assert.match(String(found.writeProject), /OSError|PermissionError/, 'the project is read-only');
    assert.match(String(found.writeUsr), /OSError|PermissionError/);
    assert.equal(found.readProject, 'a,b\n1,2\n3,4\n', 'the project root is readable at its own path');
    assert.equal(found.writeOwn, '4', 'the work folder is writable');
    assert.equal(found.cwd, found.home);
    assert.ok(!fs.existsSync(path.join(project, 'escaped.txt')));
    assert.ok(!fs.existsSync(path.join(os.homedir(), 'ki-escaped')));
  });

  it("cannot connect to 127.0.0.1: neither the Jupyter Server's port nor the MCP server's", async () => {
    const jupyterPort = Number(new URL((await mcp.engine.jupyter.getServer()).settings.baseUrl).port);
    const mcpPort = Number(new URL(mcp.http.url).port);
    const found = await probe(
      b,
      [
        'import socket',
        'def connect(port):\n  try:\n    socket.create_connection(("127.0.0.1", port), 2).close()\n    return "connected"\n  except Exception as e:\n    return type(e).__name__',
        `print(_j.dumps({'jupyter': connect(${jupyterPort}), 'mcp': connect(${mcpPort})}))`,
      ].join('\n'),
    );
    assert.match(String(found.jupyter), /OSError|ConnectionRefusedError/);
    assert.match(String(found.mcp), /OSError|ConnectionRefusedError/);
    // The same connections from outside the sandbox succeed: the refusals above are the sandbox's.
    const outside = execFileSync(TEST_PYTHON, [
      '-c',
      `import socket; socket.create_connection(("127.0.0.1", ${mcpPort}), 2).close(); print("ok")`,
    ]).toString();
    assert.equal(outside.trim(), 'ok');
  });

  it('a large allocation fails with MemoryError at its memory limit, and the context goes on', async () => {
    const text = await run(b.client, 'y = bytearray(8 * 1024**3)', 'main');
    assert.match(text, /MemoryError/);
    assert.equal(valueOf(await run(b.client, '21 * 2', 'main')), '42');
  });

  it('a run past the time limit is interrupted (and a run that ignores the interrupt gets a restarted kernel)', async () => {
    await run(b.client, 'kept = 7', 'main');
    const interrupted = await run(b.client, 'while True: pass', 'main');
    assert.match(interrupted, /KeyboardInterrupt/);
    assert.match(interrupted, /stopped at the run time limit of 8 s: it was interrupted/);
    assert.equal(valueOf(await run(b.client, 'kept', 'main')), '7', 'an interrupt keeps the variables');
    // Code that swallows the interrupt, run in the kernel: the behaviour under test, not a wait of the test's.
    const stubborn = await run(
      b.client,
      'import time\nwhile True:\n  try:\n    time.sleep(60)\n  except KeyboardInterrupt:\n    pass',
      'main',
    );
    assert.match(stubborn, /ignored the interrupt for 5 s, so its kernel was restarted and its variables are gone/);
    assert.match(await run(b.client, 'kept', 'main'), /NameError/);
  });

  it('still does real work inside: pandas on the project data, a matplotlib plot as an image, interrupt, restart', async () => {
    const text = await run(
      b.client,
      `import pandas as pd\nprint(int(pd.read_csv(${JSON.stringify(path.join(project, 'data.csv'))})['b'].sum()))`,
      'main',
    );
    assert.match(text, /\b6\b/);
    const plot = await call(b.client, 'run_code', {
      code: 'import matplotlib\nmatplotlib.use("agg")\nimport matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()\nfrom IPython.display import display, Image\nimport io\nbuf = io.BytesIO()\nplt.savefig(buf, format="png")\ndisplay(Image(buf.getvalue()))',
      context: 'main',
    });
    assert.ok(
      plot.content.some((c) => c.type === 'image'),
      `an image came back: ${textOf(plot)}`,
    );
    assert.equal(textOf(await call(b.client, 'restart', { context: 'main' })).includes('Restarted'), true);
    assert.match(await run(b.client, 'import numpy as np\nprint(np.arange(4).sum())', 'main'), /\b6\b/);
  });

  it('moves files in and out through the file tools, confined to the work folder (no ../, no absolute path, no link out)', async () => {
    const wrote = await call(b.client, 'write_file', { context: 'main', path: 'in/data.txt', content: 'hello' });
    assert.ok(!wrote.isError, textOf(wrote));
    await run(b.client, "open('out.bin', 'wb').write(bytes([0, 255]) + open('in/data.txt', 'rb').read())", 'main');
    const read = await call(b.client, 'read_file', { context: 'main', path: 'out.bin', encoding: 'base64' });
    assert.equal(Buffer.from(textOf(read), 'base64').toString('latin1'), '\u0000\u00ffhello');
    assert.match(textOf(await call(b.client, 'list_files', { context: 'main' })), /in\/data\.txt \(5 bytes\)/);
    // The kernel plants links that lead out; the tools (which run outside the sandbox) must not follow them.
    await run(
      b.client,
      `import os\nos.symlink('/etc', 'etc')\nos.symlink(${JSON.stringify(planted)}, 'planted')`,
      'main',
    );
    for (const args of [
      { path: '../../x' },
      { path: '/etc/hostname' },
      { path: 'etc/hostname' },
      { path: 'planted' },
    ]) {
      const refused = await call(b.client, 'read_file', { context: 'main', ...args });
      assert.equal(refused.isError, true, `read_file ${args.path} was refused`);
      assert.ok(!textOf(refused).includes(SECRET));
    }
    const escaped = await call(b.client, 'write_file', { context: 'main', path: '../escaped.txt', content: 'x' });
    assert.equal(escaped.isError, true);
  });

  it("removes a session's work folders when the session ends", async () => {
    const c = await httpSession(mcp.http.url, mcp.token);
    await run(c.client, "open('note.txt', 'w').write('temporary')", 'main');
    const listed = textOf(await call(c.client, 'list_contexts'));
    const folder = /work folder (\S+)/.exec(listed)?.[1];
    assert.ok(folder && fs.existsSync(path.join(folder, 'note.txt')), listed);
    await endHttpSession(c);
    // The session's end shuts its kernels down in the background (the DELETE has already been answered).
    await waitFor(`${folder} removed`, () => !fs.existsSync(folder), 30_000);
  });

  it("runs in the project's venv read-only when the agent names it", async () => {
    const venv = path.join(project, '.venv');
    execFileSync(TEST_PYTHON, ['-m', 'venv', '--system-site-packages', '--without-pip', venv]);
    const python = path.join(venv, 'bin', 'python');
    const result = await call(b.client, 'run_code', {
      code: `import sys\nprint(sys.prefix)\ntry:\n  open(sys.prefix + '/escaped', 'w')\nexcept OSError as e:\n  print(type(e).__name__)`,
      context: 'venv',
      kernel: environmentKernelName(python),
    });
    const text = textOf(result);
    assert.ok(!result.isError, text);
    assert.ok(text.includes(venv), text);
    assert.match(text, /OSError|PermissionError/);
  });
});

describe('agent sandbox: where none can be made, agent contexts fail closed', function () {
  this.timeout(120_000);
  // Registered before the engine's own hook, so its server (started on first use) inherits it.
  before(() => (process.env.KI_BWRAP = '/nonexistent/bwrap'));
  after(() => delete process.env.KI_BWRAP);
  const mcp = useMcpHttp(DEFAULT_AGENT_LIMITS, defaultSandbox(os.tmpdir()));

  it('refuses to start a context, says why and names the switch that runs agents unsandboxed', async () => {
    const s = await httpSession(mcp.http.url, mcp.token);
    try {
      const refused = await call(s.client, 'run_code', { code: '1 + 1', context: 'main' });
      assert.equal(refused.isError, true);
      const text = textOf(refused);
      assert.match(text, /none can be made here: bubblewrap \(\/nonexistent\/bwrap\) is not installed/);
      assert.match(text, /--no-sandbox/);
      assert.match(text, /Nothing was started/);
      const server = await mcp.engine.jupyter.getServer();
      assert.deepEqual(await serverKernelIds(server), [], 'no kernel runs on the server');
    } finally {
      await endHttpSession(s);
    }
  });
});
