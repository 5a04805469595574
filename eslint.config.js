import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

// The layers, held here so they stay true (a test file may cross them to check a layer from outside):
// - src/web is what every page shares: it imports no feature;
// - src/domain holds rules as plain functions: no database, no web, no feature;
// - a feature's services, queries and jobs import nothing from src/web (the mail queue makes links);
// - SQL lives in each feature's queries files: elsewhere in a feature, no `db('table')` or `tx.raw(…)`.
const noFeature = { group: ['**/features/**'], message: 'src/web and src/domain import no feature.' };
const noWeb = {
  group: ['**/web/**', '!**/web/fields'],
  message: 'Services, queries and the domain import nothing from src/web (routes, guards and schemas may).',
};
const noDatabase = {
  group: ['**/db/**', 'knex', 'pg'],
  message: 'src/domain runs no SQL: a feature\u2019s queries file does.',
};
const sqlOutsideQueries = [
  {
    selector: "CallExpression[callee.name=/^(db|tx|trx|knex|conn)$/][arguments.0.type='Literal']",
    message: 'SQL lives in the feature\u2019s queries file.',
  },
  {
    selector: "CallExpression[callee.object.name=/^(db|tx|trx|knex|conn)$/][callee.property.name='raw']",
    message: 'SQL lives in the feature\u2019s queries file.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', 'coverage/', 'dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/web/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noFeature] }] },
  },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noFeature, noWeb, noDatabase] }] },
  },
  {
    files: ['src/features/**/*.ts'],
    ignores: [
      '**/*.test.ts',
      '**/routes.ts',
      '**/routes-*.ts',
      '**/*-routes.ts',
      '**/routes/**',
      '**/index.ts',
      '**/guard.ts',
      '**/home-tab.ts',
      '**/acting.ts',
      // The accounts feature's glue with the session and Passport.
      '**/session-user.ts',
      '**/passport.ts',
      '**/schemas.ts',
      '**/address.ts',
      '**/cli.ts',
    ],
    rules: { 'no-restricted-imports': ['error', { patterns: [noWeb] }] },
  },
  {
    files: ['src/features/**/*.ts'],
    ignores: ['**/*.test.ts', '**/queries.ts', '**/*-queries.ts'],
    rules: { 'no-restricted-syntax': ['error', ...sqlOutsideQueries] },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
