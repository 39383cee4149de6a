// Lint rules. The `import/no-restricted-paths` zones enforce the layer direction described in
// docs/architecture.md: common <- python <- jupyter <- kernels <- workbench <- surfaces (editor, notebook, api) <- ui <-
// extension.ts. python/ (finding Python environments) and jupyter/ (running Jupyter servers) are one layer in two.
// Every file under src/ lies in one zone's target (test/unit/build/lintZones.test.ts checks it), except
// extension.ts, the composition root, which may import everything.
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';

const layer = (target, from, message) => ({ target, from, message });
const surfaces = ['./src/editor', './src/notebook', './src/api', './src/mcp'];

export const zones = [
  layer(
    './src/common',
    [
      './src/python',
      './src/jupyter',
      './src/kernels',
      './src/workbench',
      ...surfaces,
      './src/ui',
      './src/extension.ts',
    ],
    'common/ is the bottom layer.',
  ),
  layer(
    './src/python',
    ['./src/kernels', './src/workbench', ...surfaces, './src/ui', './src/extension.ts'],
    'python/ may only use common/ (and jupyter/types.ts).',
  ),
  // A server is started with a Python that python/ found; python/ names only the server types (LOCAL_SERVER).
  {
    target: './src/python',
    from: ['./src/jupyter'],
    except: ['./types.ts'],
    message: 'python/ may only use common/ (and jupyter/types.ts).',
  },
  layer(
    './src/jupyter',
    ['./src/kernels', './src/workbench', ...surfaces, './src/ui', './src/extension.ts'],
    'jupyter/ may only use python/ and common/.',
  ),
  layer(
    './src/kernels',
    ['./src/workbench', ...surfaces, './src/ui', './src/extension.ts'],
    'kernels/ may only use jupyter/, python/ and common/.',
  ),
  // VS Code-side services the surfaces and ui/ share (settings, server catalog, reload state, error reporting).
  layer(
    './src/workbench',
    [...surfaces, './src/ui', './src/extension.ts'],
    'workbench/ may only use kernels/, jupyter/, python/ and common/.',
  ),
  // Surfaces only talk to the registry (kernels/) and workbench/, never to each other or to ui/.
  layer(
    './src/editor',
    ['./src/notebook', './src/api', './src/mcp', './src/ui', './src/extension.ts'],
    'editor/ is a surface: use kernels/ and workbench/ only.',
  ),
  layer(
    './src/notebook',
    ['./src/editor', './src/api', './src/mcp', './src/ui', './src/extension.ts'],
    'notebook/ is a surface: use kernels/ and workbench/ only.',
  ),
  layer(
    './src/api',
    ['./src/editor', './src/notebook', './src/mcp', './src/ui', './src/extension.ts'],
    'api/ is a surface: use kernels/ and workbench/ only.',
  ),
  // The MCP server runs in plain Node too (the kernel-islands-mcp command): no workbench/, which is VS Code-side.
  layer(
    './src/mcp',
    ['./src/workbench', './src/editor', './src/notebook', './src/api', './src/ui', './src/extension.ts'],
    'mcp/ is a surface that runs without VS Code: use kernels/, jupyter/, python/ and common/ only.',
  ),
  layer('./src/ui', ['./src/extension.ts'], 'Only extension.ts wires ui/ to the rest.'),
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'media/**', 'demo/**', '**/*.mjs', '.ki-e2e/**', '.ki-demo/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { import: importPlugin },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js', '.d.ts'] } },
      // Rules that read the imported file (import/no-cycle) parse it only if its extension is listed here.
      'import/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'import/no-restricted-paths': ['error', { zones }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    // The engine runs in plain Node (tests, bench) and must not depend on the VS Code API.
    files: [
      'src/common/**/*.ts',
      'src/kernels/**/*.ts',
      'src/jupyter/**/*.ts',
      'src/python/**/*.ts',
      'src/mcp/**/*.ts',
    ],
    ignores: ['src/python/pythonExtension.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'vscode',
              message: 'common/, python/, jupyter/, kernels/ and mcp/ run without VS Code; pass values in instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // No import circles in src/. The rule follows value imports only (it skips `import type`); keep type circles
    // out too: a type two modules need belongs to the lower of them in the layers above, not to its user.
    files: ['src/**/*.ts'],
    rules: { 'no-console': 'error', 'import/no-cycle': 'error' },
  },
);
