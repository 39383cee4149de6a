import { appendFileSync } from 'node:fs';

/**
 * Prints a measured figure under the test that measured it, and appends it as a JSON line to `KI_FIGURES_FILE`
 * when set, so a run's figures can be collected for the reliability note.
 */
export function figure(name: string, value: string): void {
  console.log(`      figure: ${name} = ${value}`);
  const file = process.env.KI_FIGURES_FILE;
  if (file) {
    appendFileSync(file, `${JSON.stringify({ name, value, at: new Date().toISOString() })}\n`);
  }
}
