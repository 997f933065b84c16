/**
 * The playground's languages and message catalogues. Each view keeps its own catalogue beside
 * the others in `messages/` (`defineMessages({ en, ko, ja })`): the Korean and Japanese tables
 * must have exactly the English keys, so a missing translation fails to compile, and every
 * `{placeholder}` of the English text must appear in the others (checked by `i18n.test.ts`).
 * The book's terms are as the Korean and Japanese editions print them: see `terms.ts`.
 */
export const LANGUAGES = ['en', 'ko', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The language's own name, for the language switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  ko: '한국어',
  ja: '日本語',
};

export type Messages<Keys extends string> = Record<Keys, string>;

export interface Catalogue<Keys extends string> {
  en: Messages<Keys>;
  ko: Messages<Keys>;
  ja: Messages<Keys>;
}

/** A view's catalogue; `ko` and `ja` must have exactly `en`'s keys. */
export function defineMessages<const English extends Record<string, string>>(catalogue: {
  en: English;
  ko: { [K in keyof English]: string };
  ja: { [K in keyof English]: string };
}): Catalogue<Extract<keyof English, string>> {
  return catalogue as Catalogue<Extract<keyof English, string>>;
}

/** `{name}` in `template` replaced by `params.name` (numbers formatted for `lang`). */
export function formatMessage(
  template: string,
  params: Record<string, string | number> = {},
  lang: Language = 'en',
): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? value.toLocaleString(lang) : value;
  });
}

/** The `{placeholders}` of a message, for the catalogue test. */
export const placeholdersOf = (template: string) =>
  [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

/**
 * The language to start in: `?lang=ko|ja|en` when given, else the browser's first preferred
 * language that is one of ours, else English.
 */
export function initialLanguage(
  search: string,
  preferred: readonly string[] = [],
): { lang: Language; error?: string } {
  const asked = new URLSearchParams(search).get('lang');
  if (asked !== null) {
    if ((LANGUAGES as readonly string[]).includes(asked)) return { lang: asked as Language };
    const fallback = initialLanguage('', preferred).lang;
    return { lang: fallback, error: `lang=${asked}: not one of ${LANGUAGES.join(', ')}` };
  }
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if ((LANGUAGES as readonly string[]).includes(base ?? '')) return { lang: base as Language };
  }
  return { lang: 'en' };
}
