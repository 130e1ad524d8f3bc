module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // These tests wire whole backends: plugins, modules and services together.
    '@backstage/no-mixed-plugin-imports': 'off',
  },
});
