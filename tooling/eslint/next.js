// Next.js + React: hooks rules and Next's core-web-vitals checks on top of the base.
import nextPlugin from '@next/eslint-plugin-next';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import base from './base.js';

export default tseslint.config(...base, {
  languageOptions: { globals: { ...globals.browser } },
  plugins: { 'react-hooks': reactHooks, '@next/next': nextPlugin },
  rules: {
    ...reactHooks.configs.recommended.rules,
    ...nextPlugin.configs.recommended.rules,
    ...nextPlugin.configs['core-web-vitals'].rules,
  },
});
