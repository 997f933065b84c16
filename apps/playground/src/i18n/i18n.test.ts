import { describe, expect, it } from 'vitest';
import { formatMessage, initialLanguage, LANGUAGES, placeholdersOf } from './i18n.js';
import { ALL_CATALOGUES } from './messages/index.js';

describe('message catalogues', () => {
  for (const [name, catalogue] of Object.entries(ALL_CATALOGUES)) {
    it(`${name}: every language has every key, non-empty, with the same placeholders`, () => {
      const keys = Object.keys(catalogue.en).sort();
      for (const lang of LANGUAGES) {
        const messages = catalogue[lang] as Record<string, string>;
        expect(Object.keys(messages).sort(), `${name}.${lang}`).toEqual(keys);
        for (const key of keys) {
          expect(messages[key]!.trim(), `${name}.${lang}.${key}`).not.toBe('');
          const english = (catalogue.en as Record<string, string>)[key]!;
          expect(placeholdersOf(messages[key]!), `${name}.${lang}.${key}`).toEqual(
            placeholdersOf(english),
          );
        }
      }
    });
  }
});

describe('formatMessage', () => {
  it('fills placeholders, formatting numbers for the language', () => {
    expect(formatMessage('{n} images/s', { n: 16754 }, 'en')).toBe('16,754 images/s');
    expect(formatMessage('{n}장', { n: 1200 }, 'ko')).toBe('1,200장');
    expect(formatMessage('missing {x}', {})).toBe('missing {x}');
  });
});

describe('initialLanguage', () => {
  it('takes ?lang= first, then the browser’s languages, then English', () => {
    expect(initialLanguage('?lang=ja', ['ko-KR'])).toEqual({ lang: 'ja' });
    expect(initialLanguage('', ['fr-FR', 'ko-KR'])).toEqual({ lang: 'ko' });
    expect(initialLanguage('', ['de'])).toEqual({ lang: 'en' });
  });

  it('names a ?lang= it does not know', () => {
    expect(initialLanguage('?lang=fr', ['ja'])).toEqual({
      lang: 'ja',
      error: 'lang=fr: not one of en, ko, ja',
    });
  });
});
