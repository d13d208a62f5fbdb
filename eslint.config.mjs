import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['scratch/**', 'dist/**', 'out/**', 'node_modules/**', 'test-output/**', 'examples/**', 'bench/.cache/**'],
  },
  ...tseslint.configs.recommended,
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts', 'src/shared/**/*.ts', 'src/worker/**/*.ts'],
    rules: {
      // Pure domain code and the protocol must run outside VS Code (CLI, worker, webview).
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'only src/extension/ may import vscode' }] },
      ],
    },
  },
  {
    // The core knows no message format: the protocol imports the core's types, never the other way round.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'only src/extension/ may import vscode' }],
          patterns: [
            {
              group: ['**/shared/protocol', '**/shared/protocol/*'],
              message:
                'src/core must not know the message format: move the code to src/worker/ or put the type in src/core',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
);
