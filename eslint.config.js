// Lint rules for every package. The import-direction blocks below are the architecture's arrows:
// hub-app -> firmware-bridge, cloud-sync, payment-gateways -> shared-types; cloud-service ->
// payment-gateways -> shared-types; ui -> shared-types. The hub and the cloud service never import
// each other; what both need of a payment gateway is in payment-gateways, a leaf beside them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const PACKAGES = [
  'shared-types',
  'logging',
  'payment-gateways',
  'firmware-bridge',
  'cloud-sync',
  'cloud-service',
  'hub-app',
  'ui',
];
const others = (self) => PACKAGES.filter((p) => p !== self);

/**
 * `allowed` names whole packages (`@roomhub/shared-types`) or single entry points of one
 * (`@roomhub/cloud-sync/testing`); every other package of ours is refused, by name or by path.
 */
const restrict = (allowed, folders) => {
  const refused = PACKAGES.map((p) => `@roomhub/${p}`).filter((name) => !allowed.includes(name));
  const message = "this import breaks the architecture's import direction (ARCHITECTURE.md)";
  const group = [
    ...refused.map((name) => `${name}/*`),
    ...allowed.filter((a) => a.split('/').length > 2).map((a) => `!${a}`),
  ];
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: refused.map((name) => ({ name, message })),
        patterns: [
          ...(group.length > 0 ? [{ group, message }] : []),
          {
            // Relative paths into another package's folder; `@roomhub/x/subpath` stays allowed.
            regex: `^\\.{1,2}/(?:.*/)?(?:${folders.join('|')})/`,
            message: 'reach other packages by their package name, never by path',
          },
        ],
      },
    ],
  };
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '.tsbuild/**', 'coverage/**'] },
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
    rules: restrict([], others('shared-types')),
  },
  {
    files: ['logging/**/*.ts'],
    rules: restrict([], others('logging')),
  },
  {
    files: ['payment-gateways/**/*.ts'],
    rules: restrict(['@roomhub/shared-types'], others('payment-gateways')),
  },
  {
    files: ['firmware-bridge/**/*.ts'],
    rules: restrict(['@roomhub/shared-types'], others('firmware-bridge')),
  },
  {
    files: ['cloud-sync/**/*.ts'],
    rules: restrict(['@roomhub/shared-types'], others('cloud-sync')),
  },
  {
    files: ['cloud-service/**/*.ts'],
    rules: restrict(
      ['@roomhub/shared-types', '@roomhub/logging', '@roomhub/payment-gateways'],
      others('cloud-service'),
    ),
  },
  {
    // Its tests and benches run against the embedded CouchDB-compatible server and cut the line
    // with the TCP proxy, both from cloud-sync; its source never reaches cloud-sync.
    files: ['cloud-service/test/**/*.ts', 'cloud-service/bench/**/*.ts'],
    rules: restrict(
      [
        '@roomhub/shared-types',
        '@roomhub/logging',
        '@roomhub/payment-gateways',
        '@roomhub/cloud-sync/embedded-couch',
        '@roomhub/cloud-sync/testing',
      ],
      others('cloud-service'),
    ),
  },
  {
    files: ['hub-app/**/*.ts'],
    rules: restrict(
      [
        '@roomhub/shared-types',
        '@roomhub/logging',
        '@roomhub/payment-gateways',
        '@roomhub/firmware-bridge',
        '@roomhub/cloud-sync',
      ],
      others('hub-app'),
    ),
  },
  {
    files: ['ui/**/*.{ts,tsx}'],
    rules: restrict(['@roomhub/shared-types'], others('ui')),
  },
  {
    // The launcher starts each package's own start script; it imports none of them.
    files: ['scripts/**/*.ts'],
    rules: restrict([], PACKAGES),
  },
  {
    // Cross-package tests use every package, by its name only.
    files: ['e2e/**/*.ts'],
    rules: restrict(
      PACKAGES.map((p) => `@roomhub/${p}`),
      PACKAGES,
    ),
  },
);
