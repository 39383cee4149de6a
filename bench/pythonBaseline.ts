import { execFile } from 'node:child_process';
import * as path from 'node:path';

/** Timings printed by `baseline_jupyter_client.py` (baseline (a)); milliseconds. */
export interface PythonBaseline {
  coldStartMs: number;
  coldFirstResultMs: number;
  roundTripMs: number[];
  flood: Array<{ ms: number; bytes: number }>;
}

export interface PythonBaselineOptions {
  python: string;
  roundTrips: number;
  floodBytes: number;
  floodRuns: number;
}

/** Runs baseline (a): Python jupyter_client straight to ipykernel over ZMQ, in a child process. */
export function runPythonBaseline(options: PythonBaselineOptions): Promise<PythonBaseline> {
  const script = path.join(__dirname, 'baseline_jupyter_client.py');
  const args = [
    script,
    '--round-trips',
    String(options.roundTrips),
    '--flood-bytes',
    String(options.floodBytes),
    '--flood-runs',
    String(options.floodRuns),
  ];
  const env = { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' };
  return new Promise((resolve, reject) => {
    execFile(options.python, args, { env, timeout: 180_000, maxBuffer: 8 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`Baseline (a) failed: ${err.message}\n${stderr}`));
        return;
      }
      try {
        resolve(parsePythonBaseline(stdout));
      } catch (parseErr) {
        reject(parseErr);
      }
    });
  });
}

/** Parses and checks the script's JSON (the last non-empty line of its stdout). */
export function parsePythonBaseline(stdout: string): PythonBaseline {
  const line = stdout.trim().split('\n').pop() ?? '';
  let data: Partial<PythonBaseline>;
  try {
    data = JSON.parse(line) as Partial<PythonBaseline>;
  } catch {
    throw new Error(`Baseline (a) printed no JSON: ${line.slice(0, 200)}`);
  }
  if (
    typeof data.coldStartMs !== 'number' ||
    typeof data.coldFirstResultMs !== 'number' ||
    !Array.isArray(data.roundTripMs) ||
    data.roundTripMs.length === 0 ||
    !Array.isArray(data.flood)
  ) {
    throw new Error(`Baseline (a) JSON lacks timings: ${line.slice(0, 200)}`);
  }
  return data as PythonBaseline;
}
