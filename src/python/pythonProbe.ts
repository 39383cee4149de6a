import type { ProcessResult, ProcessRunner } from './processRunner';

/** Versions a Python reported about itself and the two packages the server needs. */
export interface PythonVersions {
  python: string;
  executable: string;
  jupyterServer: string;
  ipykernel: string;
}

/** Why a candidate interpreter was rejected. */
export type ProbeFailure =
  'not-found' | 'timeout' | 'probe-failed' | 'missing-jupyter-server' | 'missing-ipykernel' | 'too-old';

type ProbeOutcome = { ok: true; versions: PythonVersions } | { ok: false; failure: ProbeFailure; detail: string };

/** Oldest versions the launcher has been written against (ServerApp.root_dir, ipykernel 6 message handling). */
export const MIN_VERSIONS = { python: '3.8', jupyterServer: '1.8', ipykernel: '6.0' } as const;

/**
 * How deep the probe looks: `versions` imports jupyter_server and ipykernel for their versions (the server finder);
 * `presence` only looks the modules up, without importing (importing ipykernel takes about half a second; the
 * environment check before each kernel start needs only to know it is there).
 */
export type ProbeDepth = 'versions' | 'presence';

// The one probe both chains run. Each package is asked separately so one broken package does not hide the other's
// state; a module that is missing or fails to import reports `<name>_error` instead of `<name>`.
// find_spec looks a module up without importing it.
export const PROBE_SCRIPT = [
  'import json, sys',
  'out = {"python": sys.version.split()[0], "executable": sys.executable}',
  'versions = "--versions" in sys.argv[1:]',
  'for name in ("jupyter_server", "ipykernel", "ipykernel_launcher"):',
  '    try:',
  '        if versions and name != "ipykernel_launcher":',
  '            out[name] = getattr(__import__(name), "__version__", "0")',
  '        else:',
  '            import importlib.util',
  '            if importlib.util.find_spec(name) is None:',
  '                raise ImportError("No module named %r" % name)',
  '            out[name] = "present"',
  '    except Exception as e:',
  '        out[name + "_error"] = "%s: %s" % (type(e).__name__, e)',
  'print(json.dumps(out))',
].join('\n');

/** The probe's answer: the last stdout line as JSON (`report`), or undefined when it did not answer. */
export interface ProbeRun {
  result: ProcessResult;
  report: ProbeReport | undefined;
}

/** Runs {@link PROBE_SCRIPT} with `python`. Never throws. */
export async function runProbe(
  runner: ProcessRunner,
  python: string,
  timeoutMs: number,
  depth: ProbeDepth,
): Promise<ProbeRun> {
  const args = depth === 'versions' ? ['-c', PROBE_SCRIPT, '--versions'] : ['-c', PROBE_SCRIPT];
  const result = await runner(python, args, { timeoutMs });
  return { result, report: parseProbeOutput(result.stdout) };
}

/** Whether a `presence` report found what a kernel needs (ipykernel and its launcher module). */
export function reportHasIpykernel(report: ProbeReport): boolean {
  return report.ipykernel !== undefined && report.ipykernel_launcher !== undefined;
}

/** Runs the probe with `python` for the server finder and classifies the result. Never throws. */
export async function probePython(runner: ProcessRunner, python: string, timeoutMs: number): Promise<ProbeOutcome> {
  const { result, report } = await runProbe(runner, python, timeoutMs, 'versions');
  if (result.errorCode === 'ENOENT' || result.errorCode === 'EACCES') {
    return { ok: false, failure: 'not-found', detail: `cannot run it (${result.errorCode})` };
  }
  if (result.errorCode === 'TIMEOUT') {
    return { ok: false, failure: 'timeout', detail: `no answer within ${timeoutMs} ms` };
  }
  if (result.code !== 0 || !report) {
    const why = lastLine(result.stderr) || `exit code ${result.code ?? result.errorCode ?? 'unknown'}`;
    return { ok: false, failure: 'probe-failed', detail: `the version check failed: ${why}` };
  }
  return classify(report);
}

/** What the probe printed: `python`, `executable`, and per package its version (or `present`) or `<name>_error`. */
export type ProbeReport = Record<string, string | undefined>;

function parseProbeOutput(stdout: string): ProbeReport | undefined {
  // Site hooks may print before us; the report is the last line.
  const line = lastLine(stdout);
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed && typeof parsed === 'object' ? (parsed as ProbeReport) : undefined;
  } catch {
    // Not JSON: something else wrote to stdout last; the caller reports it as a failed probe.
    return undefined;
  }
}

function classify(report: ProbeReport): ProbeOutcome {
  const python = report.python ?? '0';
  const jupyterServer = report.jupyter_server;
  const ipykernel = report.ipykernel;
  if (jupyterServer === undefined) {
    return {
      ok: false,
      failure: 'missing-jupyter-server',
      detail: `jupyter_server is not installed (${report.jupyter_server_error ?? 'import failed'})`,
    };
  }
  if (ipykernel === undefined) {
    return {
      ok: false,
      failure: 'missing-ipykernel',
      detail: `ipykernel is not installed (${report.ipykernel_error ?? 'import failed'})`,
    };
  }
  const tooOld = [
    ['Python', python, MIN_VERSIONS.python],
    ['jupyter_server', jupyterServer, MIN_VERSIONS.jupyterServer],
    ['ipykernel', ipykernel, MIN_VERSIONS.ipykernel],
  ].filter(([, have, need]) => compareVersions(have, need) < 0);
  if (tooOld.length > 0) {
    const detail = tooOld.map(([name, have, need]) => `${name} ${have} is older than ${need}`).join(', ');
    return { ok: false, failure: 'too-old', detail };
  }
  return { ok: true, versions: { python, executable: report.executable ?? '', jupyterServer, ipykernel } };
}

/** Compares dotted numeric prefixes ("6.17.0", "2.0.0rc1"); non-numeric tails are ignored. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split('.').map((p) => parseInt(p, 10) || 0);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) {
      return diff;
    }
  }
  return 0;
}

function lastLine(text: string): string {
  const lines = text.trim().split(/\r?\n/);
  return lines[lines.length - 1]?.trim() ?? '';
}
