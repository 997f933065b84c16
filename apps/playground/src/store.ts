import type { Network } from '@scratchnet/layers';
import { create } from 'zustand';
import { initialLanguage, LANGUAGES, type Language } from './i18n/i18n.js';
import type { ModelNotice } from './i18n/messages/draw.js';
import type { InsideLayer } from './lib/network.js';
import {
  DEFAULT_SETUP,
  type LinkError,
  setupFromParams,
  setupToParams,
  type TrainSetup,
} from './lib/setup.js';
import type { FromWorker, RunState } from './worker/protocol.js';

export const VIEWS = ['draw', 'inside', 'train', 'chapter4', 'chapter6'] as const;
export type View = (typeof VIEWS)[number];

export interface CurrentModel {
  network: Network;
  /** Where it came from: "shipped", a file name, "trained here", a stored name. */
  name: string;
}

/** Series the training charts draw; the client appends in place and bumps `version`. */
export interface TrainingSeries {
  batchStep: number[];
  batchLoss: number[];
  batchAccuracy: number[];
  evalStep: number[];
  evalTest: number[];
  epochStep: number[];
  epochTrain: number[];
  epochTest: number[];
  epochTrainLoss: number[];
  epochTestLoss: number[];
  /** Test images of each evaluation (quick and epoch), for the final and best accuracy. */
  evalCount: number[];
  epochCount: number[];
}

export function emptySeries(): TrainingSeries {
  return {
    batchStep: [],
    batchLoss: [],
    batchAccuracy: [],
    evalStep: [],
    evalTest: [],
    epochStep: [],
    epochTrain: [],
    epochTest: [],
    epochTrainLoss: [],
    epochTestLoss: [],
    evalCount: [],
    epochCount: [],
  };
}

export interface TrainingState {
  state: RunState;
  step: number;
  epoch: number;
  stepsPerEpoch: number;
  loadProgress: { loaded: number; total: number } | null;
  backend: { name: string; threads: number; error?: string } | null;
  networkError: string | null;
  params: number;
  /** Over a window of real steps of one run; null until there is one (a single Step). */
  imagesPerSecond: number | null;
  lastLoss: number | null;
  /** The losses show the run has gone wrong: named with a hint in the Train view. */
  divergence: Omit<Extract<FromWorker, { type: 'divergence' }>, 'type'> | null;
  /** The network being trained, as the worker last posted it for the inside view. */
  inside: {
    step: number;
    source: 'drawing' | 'test';
    label?: number;
    layers: InsideLayer[];
  } | null;
  /** Times an `inside` snapshot arrived (the inside view's refresh counter). */
  insideVersion: number;
  series: TrainingSeries;
  version: number;
  samples: { pixels: Uint8Array; labels: number[] } | null;
  predictions: number[] | null;
  confusion: { counts: number[]; testCount: number; kind: 'quick' | 'epoch' } | null;
  error: string | null;
}

export interface AppState {
  view: View;
  /** The language of every text (`?lang=`, else the browser's, else English). */
  lang: Language;
  setup: TrainSetup;
  /** The link's settings that were ignored, and why (said in `lang` by the page). */
  urlErrors: LinkError[];
  model: CurrentModel | null;
  /** What the model panel says (as a message key and values, so it follows the language). */
  modelError: ModelNotice | null;
  modelMessage: ModelNotice | null;
  /** The current 28×28 input (drawn or loaded), values in [0, 1]. */
  input: Float32Array | null;
  training: TrainingState;
  setView(view: View): void;
  setLang(lang: Language): void;
  setSetup(setup: TrainSetup): void;
  setModel(model: CurrentModel): void;
  setModelError(message: ModelNotice | null): void;
  setModelMessage(message: ModelNotice | null): void;
  setInput(input: Float32Array | null): void;
  patchTraining(patch: Partial<TrainingState>): void;
}

function initialFromUrl(): {
  view: View;
  lang: Language;
  setup: TrainSetup;
  errors: LinkError[];
} {
  if (typeof location === 'undefined') {
    return { view: 'draw', lang: 'en', setup: DEFAULT_SETUP, errors: [] };
  }
  const params = new URLSearchParams(location.search);
  const { setup, errors } = setupFromParams(params);
  const language = initialLanguage(location.search, globalThis.navigator?.languages ?? []);
  if (language.error) {
    errors.push({
      param: 'lang',
      kind: 'unknownLanguage',
      value: params.get('lang') ?? '',
      allowed: LANGUAGES.join(', '),
    });
  }
  const viewParam = params.get('view');
  const view = (VIEWS as readonly string[]).includes(viewParam ?? '')
    ? (viewParam as View)
    : 'draw';
  return { view, lang: language.lang, setup, errors };
}

/** Writes the view, language and set-up into the address bar (replacing, so Back is not flooded). */
export function syncUrl(view: View, setup: TrainSetup, lang: Language): void {
  const params = setupToParams(setup);
  params.set('view', view);
  params.set('lang', lang);
  // A machine setting, not part of the set-up: kept as given.
  const threads = new URLSearchParams(location.search).get('threads');
  if (threads !== null) params.set('threads', threads);
  const url = `${location.pathname}?${params}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) {
    history.replaceState(null, '', url);
  }
}

const initial = initialFromUrl();

export const useApp = create<AppState>((set) => ({
  view: initial.view,
  lang: initial.lang,
  setup: initial.setup,
  urlErrors: initial.errors,
  model: null,
  modelError: null,
  modelMessage: null,
  input: null,
  training: {
    state: 'loading',
    step: 0,
    epoch: 0,
    stepsPerEpoch: 0,
    loadProgress: null,
    backend: null,
    networkError: null,
    params: 0,
    imagesPerSecond: null,
    lastLoss: null,
    divergence: null,
    inside: null,
    insideVersion: 0,
    series: emptySeries(),
    version: 0,
    samples: null,
    predictions: null,
    confusion: null,
    error: null,
  },
  setView: (view) => set({ view }),
  setLang: (lang) => set({ lang }),
  setSetup: (setup) => set({ setup }),
  setModel: (model) => set({ model, modelError: null }),
  setModelError: (modelError) => set({ modelError, modelMessage: null }),
  setModelMessage: (modelMessage) => set({ modelMessage, modelError: null }),
  setInput: (input) => set({ input }),
  patchTraining: (patch) => set((s) => ({ training: { ...s.training, ...patch } })),
}));
