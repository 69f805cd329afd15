// Lint rules for every package. The import-direction block below is the architecture's arrows:
// shared-types imports no package of ours; hub-app may import shared-types only.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ours = (allowed) => {
  const all = [
    '@roomhub/shared-types',
    '@roomhub/hub-app',
    '@roomhub/firmware-bridge',
    '@roomhub/cloud-sync',
    '@roomhub/ui',
  ];
  return all
    .filter((name) => !allowed.includes(name))
    .map((name) => ({
      name,
      message: `this package may not import ${name} (the architecture's import direction)`,
    }));
};

const restrict = (allowed, folders) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: ours(allowed),
      patterns: [
        {
          group: ours(allowed).map((p) => `${p.name}/*`),
          message: "this import breaks the architecture's import direction",
        },
        {
          // Relative paths into another package's folder; `@roomhub/x/subpath` stays allowed.
          regex: `^\\.{1,2}/(?:.*/)?(?:${folders.join('|')})/`,
          message: 'reach other packages by their package name, never by path',
        },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'data/**', '.tsbuild/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared-types/**/*.ts'],
    rules: restrict([], ['hub-app', 'firmware-bridge', 'cloud-sync', 'ui']),
  },
  {
    files: ['firmware-bridge/**/*.ts'],
    rules: restrict(['@roomhub/shared-types'], ['shared-types', 'hub-app', 'cloud-sync', 'ui']),
  },
  {
    files: ['cloud-sync/**/*.ts'],
    rules: restrict(
      ['@roomhub/shared-types'],
      ['shared-types', 'hub-app', 'firmware-bridge', 'ui'],
    ),
  },
  {
    files: ['hub-app/**/*.ts'],
    rules: restrict(
      ['@roomhub/shared-types', '@roomhub/firmware-bridge', '@roomhub/cloud-sync'],
      ['shared-types', 'firmware-bridge', 'cloud-sync', 'ui'],
    ),
  },
);
