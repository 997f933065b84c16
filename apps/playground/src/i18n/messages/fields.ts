import type { NumberInputError } from '../../lib/number-input.js';
import { defineMessages, formatMessage, type Language } from '../i18n.js';
import { formatLimit } from './link.js';

/** What a number field says about text it refuses (`NumberInputError`), in each language. */
export const fieldMessages = defineMessages({
  en: {
    numberNeeded: 'a number is needed',
    notANumber: '"{text}" is not a number',
    wholeNumberNeeded: 'a whole number is needed',
    outOfRange: 'between {min} and {max}',
  },
  ko: {
    numberNeeded: '숫자를 입력하세요',
    notANumber: '"{text}"은(는) 숫자가 아닙니다',
    wholeNumberNeeded: '정수를 입력하세요',
    outOfRange: '{min}에서 {max} 사이의 값이어야 합니다',
  },
  ja: {
    numberNeeded: '数値を入力してください',
    notANumber: '「{text}」は数値ではありません',
    wholeNumberNeeded: '整数を入力してください',
    outOfRange: '{min}から{max}までの値にしてください',
  },
});

/** The refusal of a number field, said in `lang`. */
export function numberInputText(error: NumberInputError, lang: Language): string {
  const messages = fieldMessages[lang];
  switch (error.key) {
    case 'notANumber':
      return formatMessage(messages.notANumber, { text: error.text });
    case 'outOfRange':
      return formatMessage(messages.outOfRange, {
        min: formatLimit(error.min, lang),
        max: formatLimit(error.max, lang),
      });
    default:
      return messages[error.key];
  }
}
