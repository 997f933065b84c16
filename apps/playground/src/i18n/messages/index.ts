/**
 * Every catalogue of the playground, for the test that checks their placeholders. A new view's
 * catalogue is added here.
 */
import { terms } from '../terms.js';
import { appMessages } from './app.js';

export const ALL_CATALOGUES = { terms, app: appMessages } as const;
