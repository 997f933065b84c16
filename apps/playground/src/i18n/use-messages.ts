import { useCallback } from 'react';
import { useApp } from '../store.js';
import { type Catalogue, formatMessage } from './i18n.js';

/**
 * The current language's messages of `catalogue` as a function: `t('key', { n: 3 })`. Re-renders
 * when the language changes.
 */
export function useMessages<Keys extends string>(catalogue: Catalogue<Keys>) {
  const lang = useApp((s) => s.lang);
  return useCallback(
    (key: Keys, params?: Record<string, string | number>) =>
      formatMessage(catalogue[lang][key], params, lang),
    [catalogue, lang],
  );
}
