// bin/ and src/lib/ run under Node's type stripping (no build step): only erasable TypeScript syntax, and
// type-only imports marked as such, since Node removes types without knowing which imports are types.
const nodeRunsTypeScript = [
  'TSEnumDeclaration',
  'TSModuleDeclaration[declare!=true]',
  'TSParameterProperty',
  'TSImportEqualsDeclaration',
  'TSExportAssignment',
].map(selector => ({
  selector,
  message: 'Node runs this file with type stripping, which supports erasable TypeScript syntax only.',
}));

module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      files: ['bin/**/*.ts', 'src/lib/**/*.ts'],
      rules: {
        'no-restricted-syntax': ['error', ...nodeRunsTypeScript],
        '@typescript-eslint/consistent-type-imports': 'error',
      },
    },
  ],
});
