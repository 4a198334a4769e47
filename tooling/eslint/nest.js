// NestJS: DI needs runtime imports of injected classes, so type-only import rules must not rewrite them.
import tseslint from 'typescript-eslint';
import base from './base.js';

export default tseslint.config(...base, {
  rules: {
    '@typescript-eslint/consistent-type-imports': 'off',
    '@typescript-eslint/no-extraneous-class': 'off',
  },
});
