import type { GrammarFiles } from '../../src/workbench/syntaxTrees';

/** The tree-sitter wasm files where npm installed them (the bundle copies the same files to `dist/`). */
export function installedGrammarFiles(): GrammarFiles {
  const grammar = (name: string) => require.resolve(`@cursorless/tree-sitter-wasms/out/tree-sitter-${name}.wasm`);
  return {
    runtime: require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
    grammar: { python: grammar('python'), r: grammar('r') },
  };
}
