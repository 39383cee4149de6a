import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { nullLogger } from '../../../src/common/log';
import { platformFor } from '../../../src/common/platform';
import { LauncherProcess } from '../../../src/jupyter/launcherProcess';
import {
  isProcessAlive,
  listDescendants,
  processTable,
  psTable,
  type ProcessTable,
} from '../../../src/jupyter/processTree';
import { execFileRunner, type ProcessResult, type ProcessRunner } from '../../../src/python/processRunner';
import { KernelMemory } from '../../../src/ui/kernels/kernelMemory';
import { waitFor } from '../../shared/poll';
import { FakeLaunchers } from './fakeLauncher';

/** A runner that answers each command line from `answers` (by its first matching key) and records what ran. */
function scripted(answers: Array<[RegExp, Partial<ProcessResult>]>) {
  const ran: string[] = [];
  const runner: ProcessRunner = async (command, args) => {
    // PowerShell's script travels encoded; the line shows it decoded.
    const encoded = args.indexOf('-EncodedCommand');
    const shown =
      encoded < 0 ? args : [...args.slice(0, encoded), Buffer.from(args[encoded + 1], 'base64').toString('utf16le')];
    const line = [command, ...shown].join(' ');
    ran.push(line);
    const answer = answers.find(([pattern]) => pattern.test(line))?.[1] ?? { code: 1, stderr: 'unexpected' };
    return { code: 0, stdout: '', stderr: '', ...answer };
  };
  return { runner, ran };
}

describe('the process table on each platform (jupyter/processTree)', () => {
  describe('macOS: ps', () => {
    const PS_ALL = [
      '    1     0 /sbin/launchd',
      '  400     1 /opt/homebrew/bin/python3 /x/dist/launcher.py --port 8888',
      '  401   400 /opt/homebrew/bin/python3 -m ipykernel_launcher -f /Users/ann/Library/Jupyter/runtime/kernel-aaa.json',
      '  402   401 /bin/sh -c sleep 100',
      '  500     1 /Applications/Visual Studio Code.app/Contents/MacOS/Electron',
    ].join('\n');

    it('lists every process with parent and full command line, and finds a tree below a pid', async () => {
      const { runner, ran } = scripted([[/^ps -ax/, { stdout: `${PS_ALL}\n` }]]);
      const table = processTable(platformFor('darwin'), runner);
      const entries = await table.list();
      assert.equal(ran[0], 'ps -ax -ww -o pid=,ppid=,command=');
      assert.deepEqual(entries[4], {
        pid: 500,
        ppid: 1,
        commandLine: '/Applications/Visual Studio Code.app/Contents/MacOS/Electron',
      });
      assert.deepEqual(await listDescendants(400, table), [401, 402]);
    });

    it('kernel memory: the kernel by its connection file, its rss from ps in bytes', async () => {
      const { runner, ran } = scripted([
        [/^ps -ax/, { stdout: PS_ALL }],
        [
          /^ps -p 401 /,
          { stdout: '  401 81920 /opt/homebrew/bin/python3 -m ipykernel_launcher -f /r/kernel-aaa.json\n' },
        ],
        [/^ps -p /, { code: 1 }],
      ]);
      const memory = new KernelMemory(processTable(platformFor('darwin'), runner));
      assert.deepEqual([...(await memory.read(['aaa', 'zzz']))], [['aaa', 81920 * 1024]]);
      assert.deepEqual([...(await memory.read(['aaa']))], [['aaa', 81920 * 1024]]);
      assert.equal(ran.filter((line) => line.startsWith('ps -ax')).length, 1, 'a known kernel is asked by its pid');
      await memory.read(['aaa', 'zzz']);
      assert.equal(ran.filter((line) => line.startsWith('ps -ax')).length, 2, 'listed again for the unknown zzz');
    });

    describe('on real processes (ps is here too)', () => {
      let shell: ChildProcess;
      before(function () {
        if (process.platform === 'win32') {
          this.skip();
        }
        shell = spawn('/bin/sh', ['-c', 'sleep 60 & wait'], { stdio: 'ignore' });
      });
      after(() => shell?.kill('SIGKILL'));

      it('ends a tree: the shell and its sleep', async () => {
        const table = psTable(execFileRunner);
        const pid = shell.pid as number;
        const sleeper = await waitFor(
          'the shell to start its sleep',
          async () => (await listDescendants(pid, table))[0],
        );
        assert.deepEqual(await table.killTree(pid), []);
        await waitFor('the sleep to end', async () => !(await isProcessAlive(sleeper)));
      });
    });
  });

  describe('Windows: Get-CimInstance Win32_Process, taskkill', () => {
    const CIM_ALL = JSON.stringify([
      { ProcessId: 0, ParentProcessId: 0, WorkingSetSize: 8192, CommandLine: null },
      { ProcessId: 4000, ParentProcessId: 3000, WorkingSetSize: 60000000, CommandLine: 'python.exe launcher.py' },
      {
        ProcessId: 4100,
        ParentProcessId: 4000,
        WorkingSetSize: 90000000,
        CommandLine:
          '"C:\\Py\\python.exe" -m ipykernel_launcher -f C:\\Users\\ann\\AppData\\Roaming\\jupyter\\runtime\\kernel-aaa.json',
      },
      { ProcessId: 4200, ParentProcessId: 4100, WorkingSetSize: 1000, CommandLine: 'conhost.exe' },
    ]);

    it('lists through one PowerShell query (no profile, no prompt) and finds a tree, a pid-0 loop aside', async () => {
      const { runner, ran } = scripted([[/^powershell\.exe/, { stdout: CIM_ALL }]]);
      const table = processTable(platformFor('win32'), runner);
      assert.deepEqual(await listDescendants(4000, table), [4100, 4200]);
      assert.deepEqual(await listDescendants(0, table), [], "pid 0 is its own parent; 4000's parent is gone");
      assert.match(
        ran[0],
        /^powershell\.exe -NoProfile -NonInteractive \$ProgressPreference.*Get-CimInstance Win32_Process \|/,
      );
    });

    it('kernel memory is the working set, asked by pid once the kernel is known', async () => {
      const kernel = JSON.parse(CIM_ALL)[2];
      const { runner, ran } = scripted([
        [/-Filter 'ProcessId=4100'/, { stdout: JSON.stringify([kernel]) }],
        [/^powershell\.exe/, { stdout: CIM_ALL }],
      ]);
      const memory = new KernelMemory(processTable(platformFor('win32'), runner));
      assert.deepEqual([...(await memory.read(['aaa']))], [['aaa', 90000000]]);
      assert.deepEqual([...(await memory.read(['aaa']))], [['aaa', 90000000]]);
      assert.equal(ran.filter((line) => !line.includes('-Filter')).length, 1, 'the full list once');
    });

    it('PowerShell failing (policy, timeout) means no process is known, not an error', async () => {
      const { runner } = scripted([[/^powershell\.exe/, { code: 1, stdout: 'Get-CimInstance : Access denied' }]]);
      const table = processTable(platformFor('win32'), runner);
      assert.deepEqual(await table.list(), []);
      assert.equal((await new KernelMemory(table).read(['aaa'])).size, 0);
    });

    it('a tree ends with taskkill /T /F, no signal; a failure says why', async () => {
      const { runner, ran } = scripted([
        [/^taskkill \/PID 4000 /, {}],
        [/^taskkill /, { code: 128, stderr: 'ERROR: The process "77" not found.' }],
      ]);
      const table = processTable(platformFor('win32'), runner);
      assert.deepEqual(await table.killTree(4000), []);
      assert.deepEqual(ran, ['taskkill /PID 4000 /T /F']);
      assert.deepEqual(await table.killTree(77), ['taskkill of process 77: ERROR: The process "77" not found.']);
    });

    it("the launcher on Windows: stdin EOF without SIGTERM, then its tree through the table's taskkill", async () => {
      const fakes = new FakeLaunchers();
      fakes.behaviour = { obeySigterm: false };
      const killed: number[] = [];
      const processes: ProcessTable = {
        list: async () => [],
        lookup: async () => new Map(),
        killTree: async (pid) => {
          killed.push(pid);
          return [];
        },
      };
      const launcher = new LauncherProcess({
        python: 'C:\\Py\\python.exe',
        launcherPath: 'C:\\ext\\dist\\launcher.py',
        port: 1,
        rootDir: 'C:\\proj',
        baseUrl: '/',
        token: 't',
        graceSeconds: 0,
        persistentHistory: false,
        env: {},
        spawn: fakes.spawn,
        logger: nullLogger,
        platform: platformFor('win32'),
        processes,
      });
      const exit = await launcher.stop(50);
      const fake = fakes.launched[0];
      assert.equal(fake.stdinClosed, true);
      assert.deepEqual(fake.signals, ['SIGKILL'], 'no SIGTERM: Node would end the launcher at once, kernels left');
      assert.deepEqual(killed, [fake.pid]);
      assert.equal(exit.signal, 'SIGKILL');
    });
  });
});
