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
  /** Figures to measure (`p1`..`p5`, `statements`); all by default. */
  only: ReadonlySet<Figure>;
  /** Run `npm run bench:ui` after the engine figures when code-server is installed (off with --no-ui or --only). */
  ui: boolean;
}

/** p1–p5: issue 5's figures; p6: issue 13's (a second project's environment); statements and w1: the workbench's (issue 16: statement ranges; Variables view, data viewer). */
export type Figure = 'p1' | 'p2' | 'p3' | 'p4' | 'p5' | 'p6' | 'statements' | 'w1';
const FIGURES: readonly Figure[] = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'statements', 'w1'];

const USAGE = `Usage: npm run bench [-- --quick] [--python PATH] [--pool N] [--contexts N] [--skip-build] [--out FILE] [--only p1,p2,...] [--no-ui]`;

/** Parses the command line; throws with the usage text on anything it does not know. */
export function parseArgs(argv: readonly string[]): BenchConfig {
  const quick = argv.includes('--quick');
  const config: BenchConfig = {
    quick,
    python: '',
    poolSize: 2,
    p1Rounds: quick ? 1 : 3,
    p1Contexts: 5,
    p1SpacingMs: 1000,
    coldStarts: quick ? 1 : 5,
    roundTrips: quick ? 80 : 400,
    noDelayCompareRoundTrips: quick ? 0 : 60,
    scaleContexts: quick ? 6 : 32,
    scaleExecs: 50,
    scaleRounds: quick ? 1 : 3,
    floodBytes: 10 * 1024 * 1024,
    floodRuns: quick ? 2 : 5,
    activationRuns: quick ? 4 : 15,
    skipBuild: false,
    resultsPath: 'bench/results.json',
    only: new Set(FIGURES),
    ui: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = (): string => {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) {
        throw new Error(`${arg} needs a value.\n${USAGE}`);
      }
      return value;
    };
    switch (arg) {
      case '--quick':
        break;
      case '--python':
        config.python = next();
        break;
      case '--pool':
        config.poolSize = positiveInt(arg, next());
        break;
      case '--contexts':
        config.scaleContexts = positiveInt(arg, next());
        break;
      case '--skip-build':
        config.skipBuild = true;
        break;
      case '--out':
        config.resultsPath = next();
        break;
      case '--only':
        config.only = parseFigures(next());
        config.ui = false;
        break;
      case '--no-ui':
        config.ui = false;
        break;
      default:
        throw new Error(`Unknown option "${arg}".\n${USAGE}`);
    }
  }
  return config;
}

function positiveInt(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${name} must be a positive integer, got "${value}".`);
  }
  return n;
}

function parseFigures(value: string): Set<Figure> {
  const names = value
    .toLowerCase()
    .split(',')
    .map((v) => v.trim());
  const unknown = names.filter((n) => !(FIGURES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new Error(`--only takes ${FIGURES.join(', ')}; unknown: ${unknown.join(', ')}.`);
  }
  return new Set(names as Figure[]);
}
