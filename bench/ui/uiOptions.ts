/** Options of `npm run bench:ui`. */
export interface UiBenchConfig {
  quick: boolean;
  /** UI samples per figure (each with its engine sample). */
  samples: number;
  /** Interpreter with jupyter_server and ipykernel (the one the e2e tests use). */
  python: string;
  resultsPath: string;
  /** Figures to measure (`u1`..`u5`); U1 and U2 by default (see DEFAULT_FIGURES). */
  only: ReadonlySet<string>;
}

const FIGURES = ['u1', 'u2', 'u3', 'u4', 'u5'];
/**
 * What runs without --only. U3-U5 (notebook cells, typing during a flood) are written but not yet reliable: in the
 * last try U3's Ctrl+Enter reached the notebook with no cell focused and added a cell instead of running one.
 */
const DEFAULT_FIGURES = ['u1', 'u2'];
const USAGE = 'Usage: npm run bench:ui [-- --quick] [--samples N] [--only u1,u2,...] [--python PATH] [--out FILE]';

/** Parses the command line; throws with the usage text on anything it does not know. */
export function parseUiArgs(argv: readonly string[]): UiBenchConfig {
  const quick = argv.includes('--quick');
  const config: UiBenchConfig = {
    quick,
    samples: quick ? 8 : 30,
    python: '/usr/bin/python3',
    resultsPath: 'bench/ui-results.json',
    only: new Set(DEFAULT_FIGURES),
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
      case '--samples': {
        const n = Number(next());
        if (!Number.isInteger(n) || n < 1) {
          throw new Error(`--samples takes a positive integer.\n${USAGE}`);
        }
        config.samples = n;
        break;
      }
      case '--only': {
        const names = next()
          .toLowerCase()
          .split(',')
          .map((v) => v.trim());
        const unknown = names.filter((n) => !FIGURES.includes(n));
        if (unknown.length > 0) {
          throw new Error(`--only takes ${FIGURES.join(', ')}; unknown: ${unknown.join(', ')}.`);
        }
        config.only = new Set(names);
        break;
      }
      case '--python':
        config.python = next();
        break;
      case '--out':
        config.resultsPath = next();
        break;
      default:
        throw new Error(`Unknown option "${arg}".\n${USAGE}`);
    }
  }
  return config;
}
