/**
 * Every catalogue of the playground, for the test that checks their placeholders. A new view's
 * catalogue is added here.
 */
import { terms } from '../terms.js';
import { appMessages } from './app.js';
import { chapter4Messages } from './chapter4.js';
import { chapter6Messages } from './chapter6.js';
import { drawMessages, modelMessages } from './draw.js';
import { fieldMessages } from './fields.js';
import { insideMessages } from './inside.js';
import { linkMessages } from './link.js';
import { trainMessages } from './train.js';

export const ALL_CATALOGUES = {
  terms,
  app: appMessages,
  chapter4: chapter4Messages,
  chapter6: chapter6Messages,
  draw: drawMessages,
  model: modelMessages,
  fields: fieldMessages,
  link: linkMessages,
  train: trainMessages,
  inside: insideMessages,
} as const;
