import { parseArgs as parseCommandLine, type ParseArgsConfig } from 'node:util';

/** How much work each figure does; `--quick` trades precision for a run under a minute. */
export interface BenchConfig {
  quick: boolean;
  /** Interpreter with jupyter_server and ipykernel; empty means: find it as the extension does. */
  python: string;
  /** Warm kernels kept by the pool (the `kernelIslands.warmKernels` default, 2). */
  poolSize: number;
  p1Rounds: number;
  p1Contexts: number;
  p1SpacingMs: number;
  coldStarts: number;
  roundTrips: number;
  /** `1+1` runs on a stock server (Nagle on); 0 skips that comparison (it costs a second server). */
  noDelayCompareRoundTrips: number;
  scaleContexts: number;
  scaleExecs: number;
  scaleRounds: number;
  floodBytes: number;
  floodRuns: number;
  activationRuns: number;
  skipBuild: boolean;
  resultsPath: string;
  /** Figures to measure (`p1`..`p6`, `statements`, `w1`, `s2`, `d1`); all by default. */
  only: ReadonlySet<Figure>;
  /** Run `npm run bench:ui` after the engine figures when code-server is installed (off with --no-ui or --only). */
  ui: boolean;
}

/**
 * p1–p5: issue 5's figures; p6: issue 13's (a second project's environment); statements and w1: the workbench's
 * (issue 16: statement ranges; Variables view, data viewer); s2: the agents' sandbox's cost (agent sandbox speed);
 * d1: Debug Cell to paused at the breakpoint (issue 25).
 */
export type Figure = 'p1' | 'p2' | 'p3' | 'p4' | 'p5' | 'p6' | 'statements' | 'w1' | 's2' | 'd1';
const FIGURES: readonly Figure[] = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'statements', 'w1', 's2', 'd1'];

const USAGE = `Usage: npm run bench [-- --quick] [--python PATH] [--pool N] [--contexts N] [--skip-build] [--out FILE] [--only p1,p2,...] [--no-ui]`;

/** Parses `npm run bench`'s command line; throws with the usage text on anything it does not know. */
export function parseArgs(argv: readonly string[]): BenchConfig {
  const values = readCommandLine(argv, USAGE, {
    quick: { type: 'boolean' },
    python: { type: 'string' },
    pool: { type: 'string' },
    contexts: { type: 'string' },
    'skip-build': { type: 'boolean' },
    out: { type: 'string' },
    only: { type: 'string' },
    'no-ui': { type: 'boolean' },
  });
  const quick = values.quick === true;
  return {
    quick,
    python: str(values.python) ?? '',
    poolSize: positiveInt('--pool', str(values.pool)) ?? 2,
    p1Rounds: quick ? 1 : 3,
    p1Contexts: 5,
    p1SpacingMs: 1000,
    coldStarts: quick ? 1 : 5,
    roundTrips: quick ? 80 : 400,
    noDelayCompareRoundTrips: quick ? 0 : 60,
    scaleContexts: positiveInt('--contexts', str(values.contexts)) ?? (quick ? 6 : 32),
    scaleExecs: 50,
    scaleRounds: quick ? 1 : 3,
    floodBytes: 10 * 1024 * 1024,
    floodRuns: quick ? 2 : 5,
    activationRuns: quick ? 4 : 15,
    skipBuild: values['skip-build'] === true,
    resultsPath: str(values.out) ?? 'bench/results.json',
    only: figureSet(FIGURES, str(values.only)) ?? new Set(FIGURES),
    ui: values.only === undefined && values['no-ui'] !== true,
  };
}

/** Options of `npm run bench:ui`. */
export interface UiBenchConfig {
  quick: boolean;
  /** UI samples per figure (each with its engine sample). */
  samples: number;
  /** Interpreter with jupyter_server and ipykernel (the one the e2e tests use). */
  python: string;
  resultsPath: string;
  /** Figures to measure (`u1`..`u5`); all of them by default. */
  only: ReadonlySet<UiFigure>;
}

export type UiFigure = 'u1' | 'u2' | 'u3' | 'u4' | 'u5';
const UI_FIGURES: readonly UiFigure[] = ['u1', 'u2', 'u3', 'u4', 'u5'];
/** Samples per UI figure in a full run (the issue asks for at least 30), and with `--quick`. */
export const UI_FULL_SAMPLES = 30;
export const UI_QUICK_SAMPLES = 8;
/** Environment knob for quick development runs of `npm run bench:ui`: samples per figure; `--samples` wins. */
export const UI_SAMPLES_ENV = 'KI_BENCH_UI_SAMPLES';
const UI_USAGE = 'Usage: npm run bench:ui [-- --quick] [--samples N] [--only u1,u2,...] [--python PATH] [--out FILE]';

/**
 * Parses `npm run bench:ui`'s command line; throws with the usage text on anything it does not know. Samples:
 * `--samples N`, else `KI_BENCH_UI_SAMPLES` from `env`, else 8 with `--quick` and 30 without.
 */
export function parseUiArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): UiBenchConfig {
  const values = readCommandLine(argv, UI_USAGE, {
    quick: { type: 'boolean' },
    samples: { type: 'string' },
    only: { type: 'string' },
    python: { type: 'string' },
    out: { type: 'string' },
  });
  const quick = values.quick === true;
  return {
    quick,
    samples:
      positiveInt('--samples', str(values.samples)) ??
      positiveInt(UI_SAMPLES_ENV, env[UI_SAMPLES_ENV] || undefined) ??
      (quick ? UI_QUICK_SAMPLES : UI_FULL_SAMPLES),
    python: str(values.python) ?? '/usr/bin/python3',
    resultsPath: str(values.out) ?? 'bench/ui-results.json',
    only: figureSet(UI_FIGURES, str(values.only)) ?? new Set(UI_FIGURES),
  };
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Node's own parser (strict: unknown options, missing values and stray arguments throw), its errors with the usage. */
function readCommandLine(
  argv: readonly string[],
  usage: string,
  options: Options,
): Record<string, string | boolean | undefined> {
  try {
    return parseCommandLine({ args: [...argv], options, strict: true, allowPositionals: false }).values as Record<
      string,
      string | boolean | undefined
    >;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const unknown = /^Unknown option '([^']+)'/.exec(message);
    throw new Error(`${unknown ? `Unknown option "${unknown[1]}".` : message}\n${usage}`);
  }
}

function str(value: string | boolean | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < 1) {
    throw new Error(`${name} must be a positive integer, got "${value}".`);
  }
  return n;
}

function figureSet<F extends string>(figures: readonly F[], value: string | undefined): Set<F> | undefined {
  if (value === undefined) {
    return undefined;
  }
  const names = value
    .toLowerCase()
    .split(',')
    .map((v) => v.trim());
  const unknown = names.filter((n) => !(figures as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(`--only takes ${figures.join(', ')}; unknown: ${unknown.join(', ')}.`);
  }
  return new Set(names as F[]);
}
