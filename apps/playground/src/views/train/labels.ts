import type { trainMessages } from '../../i18n/messages/train.js';
import type { LayerType } from '../../lib/setup.js';

/** A key of the Train view's message catalogue, as the tables of its fields name their labels. */
export type TrainMessageKey = Extract<keyof (typeof trainMessages)['en'], string>;

/** Each layer type's name in the Train view's catalogue. */
export const LAYER_LABEL_KEYS = {
  conv: 'layerConv',
  pool: 'layerPool',
  relu: 'layerRelu',
  sigmoid: 'layerSigmoid',
  tanh: 'layerTanh',
  linear: 'layerLinear',
  dropout: 'layerDropout',
  batchnorm: 'layerBatchnorm',
} as const satisfies Record<LayerType, TrainMessageKey>;
