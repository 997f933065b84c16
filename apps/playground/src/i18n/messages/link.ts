import type { LinkError, LinkQuantity } from '../../lib/setup.js';
import { defineMessages, formatMessage, type Language } from '../i18n.js';
import { terms } from '../terms.js';

/** Why a link's setting was ignored (`LinkError` from `lib/setup.ts`), in each language. */
export const linkMessages = defineMessages({
  en: {
    wholeNumber: '{param}: {quantity} must be a whole number from 1 to {max}, got "{value}"',
    number: '{param}: {quantity} must be a number from {min} to {max}, got "{value}"',
    unknownLayer: '{param}: unknown layer "{value}"',
    unknownOptimizer: '{param}: unknown optimizer "{value}"',
    unknownLanguage: '{param}: "{value}" is not one of {allowed}',
    filters: 'the number of filters',
    kernelSize: 'the filter size',
    stride: 'the stride',
    poolSize: 'the pooling size',
    units: 'the number of units',
    epochs: 'the number of epochs',
    seed: 'the seed',
  },
  ko: {
    wholeNumber: '{param}: {quantity} 값은 1부터 {max}까지의 정수여야 합니다(받은 값: "{value}")',
    number: '{param}: {quantity} 값은 {min}부터 {max}까지의 수여야 합니다(받은 값: "{value}")',
    unknownLayer: '{param}: 알 수 없는 계층 "{value}"',
    unknownOptimizer: '{param}: 알 수 없는 옵티마이저 "{value}"',
    unknownLanguage: '{param}: "{value}"은(는) {allowed} 중 하나가 아닙니다',
    filters: '필터 수',
    kernelSize: '필터 크기',
    stride: '스트라이드',
    poolSize: '풀링 크기',
    units: '뉴런 수',
    epochs: '에폭 수',
    seed: '시드',
  },
  ja: {
    wholeNumber: '{param}：{quantity}は1から{max}までの整数にしてください（「{value}」でした）',
    number: '{param}：{quantity}は{min}から{max}までの数にしてください（「{value}」でした）',
    unknownLayer: '{param}：不明なレイヤ「{value}」',
    unknownOptimizer: '{param}：不明な最適化手法「{value}」',
    unknownLanguage: '{param}：「{value}」は{allowed}のいずれでもありません',
    filters: 'フィルター数',
    kernelSize: 'フィルターサイズ',
    stride: 'ストライド',
    poolSize: 'プーリングのサイズ',
    units: 'ニューロン数',
    epochs: 'エポック数',
    seed: 'シード',
  },
});

/**
 * A limit as people write it: `1e-7` stays `1e-7` (toLocaleString would print 0), large numbers
 * get the language's grouping (`10,000`).
 */
export function formatLimit(n: number, lang: Language): string {
  return Math.abs(n) < 1e-3 && n !== 0 ? String(n) : n.toLocaleString(lang);
}

function quantityName(quantity: LinkQuantity, lang: Language): string {
  switch (quantity) {
    case 'learningRate':
      return terms[lang].learningRate;
    case 'batchSize':
      return terms[lang].batchSize;
    case 'weightDecay':
      return terms[lang].weightDecay;
    default:
      return linkMessages[lang][quantity];
  }
}

/** One ignored setting of a link, said in `lang`. */
export function linkErrorText(error: LinkError, lang: Language): string {
  const messages = linkMessages[lang];
  switch (error.kind) {
    case 'wholeNumber':
      return formatMessage(messages.wholeNumber, {
        param: error.param,
        quantity: quantityName(error.quantity, lang),
        max: formatLimit(error.max, lang),
        value: error.value,
      });
    case 'number':
      return formatMessage(messages.number, {
        param: error.param,
        quantity: quantityName(error.quantity, lang),
        min: formatLimit(error.min, lang),
        max: formatLimit(error.max, lang),
        value: error.value,
      });
    default:
      return formatMessage(messages[error.kind], {
        param: error.param,
        value: error.value,
        allowed: error.kind === 'unknownLanguage' ? error.allowed : '',
      });
  }
}
