/** Minimal logger interface; the extension backs it with a LogOutputChannel, tests with the console or nothing. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error): void;
}

/** A logger that drops everything. */
export const nullLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
