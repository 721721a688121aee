// Lint rules: async mistakes, strict equality, braces, exhaustive switches, process boundaries.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'build/**',
      'scratch/**',
      '.tools/**',
      'test-results/**',
      '**/*.mjs',
    ],
  },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      curly: ['error', 'all'],
      'no-console': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  // A folder is a process boundary: each imports only what its row of the architecture names.
  boundary('engine/**', ['debug-adapter', 'server', 'client']),
  boundary('debug-adapter/**', ['server', 'client']),
  boundary('server/**', ['debug-adapter', 'client']),
  boundary('client/**', ['debug-adapter', 'server', 'engine']),
  {
    files: ['engine/src/cli/**', 'scripts/**', 'bench/**', '**/*.test.ts', 'test/**'],
    rules: { 'no-console': 'off' },
  },
);

/** Forbids files matching `files` to import from the listed top-level folders. */
function boundary(files, folders) {
  return {
    files: [files],
    rules: {
      'no-restricted-imports': ['error', { patterns: folders.map((folder) => `**/${folder}/**`) }],
    },
  };
}
