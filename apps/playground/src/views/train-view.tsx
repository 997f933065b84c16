import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { GrayCanvas } from '../components/gray-canvas.js';
import { type ChartSeries, LineChart } from '../components/line-chart.js';
import { NumberField } from '../components/number-field.js';
import type { Language } from '../i18n/i18n.js';
import { trainMessages } from '../i18n/messages/train.js';
import { useMessages } from '../i18n/use-messages.js';
import { download, stepsCsv } from '../lib/download.js';
import { previewNetwork } from '../lib/network.js';
import {
  defaultLayer,
  LAYER_TYPES,
  type LayerSpec,
  type LayerType,
  OPTIMIZERS,
  type OptimizerName,
  type TrainSetup,
} from '../lib/setup.js';
import { accuracyRange, accuracySummary } from '../lib/train-stats.js';
import { ensureWorker, trainer } from '../lib/trainer-client.js';
import { type TrainingSeries, type TrainingState, useApp } from '../store.js';
import './train-view.css';

const LAYER_LABEL_KEYS = {
  conv: 'layerConv',
  pool: 'layerPool',
  relu: 'layerRelu',
  sigmoid: 'layerSigmoid',
  tanh: 'layerTanh',
  linear: 'layerLinear',
  dropout: 'layerDropout',
  batchnorm: 'layerBatchnorm',
} as const satisfies Record<LayerType, string>;

const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

const percent = (value: number, lang: Language, digits = 2) =>
  value.toLocaleString(lang, {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });

function LayerEditor({
  layer,
  index,
  count,
  shape,
  onChange,
  onRemove,
  onMove,
}: {
  layer: LayerSpec;
  index: number;
  count: number;
  shape: number[] | undefined;
  onChange: (layer: LayerSpec) => void;
  onRemove: () => void;
  onMove: (delta: number) => void;
}) {
  const n = index + 1;
  const t = useMessages(trainMessages);
  return (
    <li className="layer">
      <label className="field">
        {t('layerN', { n })}{' '}
        <select
          value={layer.type}
          onChange={(event) => onChange(defaultLayer(event.currentTarget.value as LayerType))}
        >
          {LAYER_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(LAYER_LABEL_KEYS[type])}
            </option>
          ))}
        </select>
      </label>
      {layer.type === 'conv' && (
        <>
          <NumberField
            label={t('filters')}
            value={layer.filters}
            min={1}
            max={256}
            integer
            onChange={(filters) => onChange({ ...layer, filters })}
          />
          <NumberField
            label={t('size')}
            value={layer.size}
            min={1}
            max={28}
            integer
            onChange={(size) => onChange({ ...layer, size })}
          />
          <NumberField
            label={t('stride')}
            value={layer.stride}
            min={1}
            max={28}
            integer
            onChange={(stride) => onChange({ ...layer, stride })}
          />
          <NumberField
            label={t('pad')}
            value={layer.pad}
            min={0}
            max={14}
            integer
            onChange={(pad) => onChange({ ...layer, pad })}
          />
        </>
      )}
      {layer.type === 'pool' && (
        <NumberField
          label={t('size')}
          value={layer.size}
          min={1}
          max={28}
          integer
          onChange={(size) => onChange({ ...layer, size })}
        />
      )}
      {layer.type === 'linear' && (
        <NumberField
          label={t('units')}
          value={layer.units}
          min={1}
          max={4096}
          integer
          onChange={(units) => onChange({ ...layer, units })}
        />
      )}
      {layer.type === 'dropout' && (
        <NumberField
          label={t('dropoutP')}
          value={layer.p}
          min={0}
          max={0.95}
          onChange={(p) => onChange({ ...layer, p })}
        />
      )}
      <span className="shape">{shape ? `→ [${shape.join(', ')}]` : ''}</span>
      <button
        type="button"
        aria-label={t('moveUp', { n })}
        disabled={index === 0}
        onClick={() => onMove(-1)}
      >
        ↑
      </button>
      <button
        type="button"
        aria-label={t('moveDown', { n })}
        disabled={index === count - 1}
        onClick={() => onMove(1)}
      >
        ↓
      </button>
      <button type="button" aria-label={t('remove', { n })} onClick={onRemove}>
        ✕
      </button>
    </li>
  );
}

function lastMean(values: readonly number[], n: number, fromEnd: boolean): number {
  const part = fromEnd ? values.slice(-n) : values.slice(0, n);
  return part.reduce((a, b) => a + b, 0) / Math.max(1, part.length);
}

/** Per-epoch values placed at the step where each epoch ended (null elsewhere, so uPlot skips them). */
function atEpochEnds(s: TrainingSeries, values: readonly number[]): (number | null)[] {
  const out: (number | null)[] = new Array(s.batchStep.length).fill(null);
  s.epochStep.forEach((step, i) => {
    const value = values[i]!;
    if (step - 1 < out.length) out[step - 1] = Number.isNaN(value) ? null : value;
  });
  return out;
}

function lossData(s: TrainingSeries): uPlot.AlignedData {
  return [
    s.batchStep,
    s.batchLoss,
    atEpochEnds(s, s.epochTrainLoss),
    atEpochEnds(s, s.epochTestLoss),
  ] as uPlot.AlignedData;
}

function accuracyData(s: TrainingSeries): uPlot.AlignedData {
  const test: (number | null)[] = new Array(s.batchStep.length).fill(null);
  s.evalStep.forEach((step, i) => {
    if (step - 1 < test.length) test[step - 1] = s.evalTest[i]!;
  });
  return [
    s.batchStep,
    s.batchAccuracy,
    test,
    atEpochEnds(s, s.epochTrain),
    atEpochEnds(s, s.epochTest),
  ] as uPlot.AlignedData;
}

/**
 * The accuracy axis zoomed to the evaluations (the test accuracy every 50 steps and at the
 * epochs' ends); the noisy batch accuracy only while there are fewer than three of them.
 */
function zoomedAccuracy(s: TrainingSeries): [number, number] {
  const evaluations = s.evalTest.concat(s.epochTest);
  const batch = accuracyRange(s.batchAccuracy);
  if (evaluations.length < 3) return batch;
  const [lo, hi] = accuracyRange(evaluations);
  // The top reaches the batches' accuracies too (they touch 100% long before the test set).
  return [lo, Math.max(hi, batch[1])];
}

/** Every evaluation of the test set so far, in step order. */
function testEvaluations(s: TrainingSeries) {
  return [
    ...s.evalStep.map((step, i) => ({
      step,
      accuracy: s.evalTest[i]!,
      count: s.evalCount[i] ?? 0,
      order: 0,
    })),
    ...s.epochStep.map((step, i) => ({
      step,
      accuracy: s.epochTest[i]!,
      count: s.epochCount[i] ?? 0,
      order: 1,
    })),
  ]
    .sort((a, b) => a.step - b.step || a.order - b.order)
    .map(({ order: _, ...e }) => e);
}

interface Preview {
  shapes: number[][];
  params: number;
  error: string | null;
}

/** The network and hyperparameter editor; memoised, so training updates do not re-render it. */
const Editor = memo(function Editor({
  setup,
  editable,
  startsOver,
  preview,
}: {
  setup: TrainSetup;
  editable: boolean;
  /** A stopped run is kept: editing throws it away, and says so. */
  startsOver: boolean;
  preview: Preview;
}) {
  const t = useMessages(trainMessages);
  const lang = useApp((s) => s.lang);
  const setSetup = useApp((s) => s.setSetup);
  const change = (next: Partial<TrainSetup>) => {
    const updated = { ...setup, ...next };
    setSetup(updated);
    trainer.setup(updated);
  };
  const setLayers = (layers: LayerSpec[]) => change({ layers });

  // Each spec's output shape: flatten layers inserted by the builder are skipped.
  const specShapes = useMemo(() => {
    const out: number[][] = [];
    let k = 0;
    setup.layers.forEach((spec, i) => {
      const prev = i === 0 ? [1, 28, 28] : out[i - 1]!;
      if (spec.type === 'linear' && prev.length === 3) k++;
      out.push(preview.shapes[k] ?? []);
      k++;
    });
    return out;
  }, [setup.layers, preview.shapes]);

  return (
    <div className="row train-editor">
      <fieldset disabled={!editable} className="panel">
        <legend>{t('network', { params: preview.params.toLocaleString(lang) })}</legend>
        <p className="shape">{t('input')}</p>
        <ol className="layer-list">
          {setup.layers.map((layer, i) => (
            <LayerEditor
              // biome-ignore lint/suspicious/noArrayIndexKey: layers are positional
              key={i}
              layer={layer}
              index={i}
              count={setup.layers.length}
              shape={specShapes[i]}
              onChange={(l) => setLayers(setup.layers.map((old, j) => (j === i ? l : old)))}
              onRemove={() => setLayers(setup.layers.filter((_, j) => j !== i))}
              onMove={(delta) => {
                const layers = [...setup.layers];
                const [moved] = layers.splice(i, 1);
                layers.splice(i + delta, 0, moved!);
                setLayers(layers);
              }}
            />
          ))}
        </ol>
        <p className="shape">{t('output')}</p>
        <label className="field">
          {t('addLayer')}{' '}
          <select
            value=""
            onChange={(event) => {
              const type = event.currentTarget.value as LayerType;
              if (type) setLayers([...setup.layers, defaultLayer(type)]);
            }}
          >
            <option value="">{t('choose')}</option>
            {LAYER_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(LAYER_LABEL_KEYS[type])}
              </option>
            ))}
          </select>
        </label>
        {preview.error && (
          <p role="alert" className="error">
            {preview.error}
          </p>
        )}
        {!editable && <p className="hint">{t('editLocked')}</p>}
        {editable && startsOver && <p className="hint">{t('editStartsOver')}</p>}
      </fieldset>
      <fieldset disabled={!editable} className="panel">
        <legend>{t('training')}</legend>
        <label className="field">
          {t('optimizer')}{' '}
          <select
            value={setup.optimizer}
            onChange={(event) => change({ optimizer: event.currentTarget.value as OptimizerName })}
          >
            {OPTIMIZERS.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <NumberField
          label={t('learningRate')}
          value={setup.lr}
          min={1e-7}
          max={10}
          onChange={(lr) => change({ lr })}
        />
        <NumberField
          label={t('batchSize')}
          value={setup.batchSize}
          min={1}
          max={10_000}
          integer
          onChange={(batchSize) => change({ batchSize })}
        />
        <NumberField
          label={t('weightDecay')}
          value={setup.weightDecay}
          min={0}
          max={1}
          onChange={(weightDecay) => change({ weightDecay })}
        />
        <NumberField
          label={t('epochs')}
          value={setup.epochs}
          min={1}
          max={100}
          integer
          onChange={(epochs) => change({ epochs })}
        />
        <NumberField
          label={t('seed')}
          value={setup.seed}
          min={1}
          max={2 ** 31 - 1}
          integer
          onChange={(seed) => change({ seed })}
        />
        <p className="hint">{t('shareHint')}</p>
      </fieldset>
    </div>
  );
});

/** The first test images with the current predictions, framed green (right) or red (wrong). */
const PredictionGrid = memo(function PredictionGrid({
  samples,
  predictions,
}: {
  samples: TrainingState['samples'];
  predictions: number[] | null;
}) {
  const t = useMessages(trainMessages);
  const sampleImages = useMemo(
    () =>
      samples
        ? samples.labels.map((_, i) =>
            Float32Array.from(samples!.pixels.subarray(i * 784, (i + 1) * 784), (v) => v / 255),
          )
        : [],
    [samples],
  );
  return (
    <div>
      <h3>{t('predictions')}</h3>
      <div className="grid predictions" data-testid="prediction-grid">
        {samples?.labels.map((label, i) => {
          const predicted = predictions?.[i];
          const state =
            predicted === undefined ? 'unknown' : predicted === label ? 'right' : 'wrong';
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: positional cells
            <figure key={`${i}-${label}`} className={`sample ${state}`} data-correct={state}>
              <GrayCanvas
                values={sampleImages[i]!}
                width={28}
                height={28}
                scale={1.5}
                label={t('testImage', { i: String(i), label: String(label) })}
              />
              <figcaption>{predicted ?? '?'}</figcaption>
            </figure>
          );
        })}
      </div>
    </div>
  );
});

/** Rows: true digit; columns: predicted; the good colour on the diagonal, the bad one off it. */
const ConfusionMatrix = memo(function ConfusionMatrix({
  confusion,
}: {
  confusion: TrainingState['confusion'];
}) {
  const t = useMessages(trainMessages);
  const confusionMax = confusion ? Math.max(1, ...confusion.counts) : 1;
  return (
    <div>
      <h3>{t('confusion')}</h3>
      {confusion ? (
        <table className="confusion" data-testid="confusion">
          <caption>{t('confusionCaption', { count: confusion.testCount })}</caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">{t('confusionCorner')}</span>
              </th>
              {Array.from({ length: 10 }, (_, c) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: positional cells
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: 10 }, (_, r) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: positional cells
              <tr key={r}>
                <th scope="row">{r}</th>
                {DIGITS.map((c) => {
                  const v = confusion!.counts[r * 10 + c]!;
                  const share = v === 0 ? 0 : Math.round(15 + 85 * Math.sqrt(v / confusionMax));
                  const color = r === c ? 'var(--color-good)' : 'var(--color-bad)';
                  return (
                    <td
                      key={c}
                      style={{
                        background: `color-mix(in srgb, ${color} ${share}%, transparent)`,
                      }}
                    >
                      {v}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('confusionLater')}</p>
      )}
    </div>
  );
});

/** The final and the best test accuracy, as numbers. */
function AccuracyNumbers({ series, version }: { series: TrainingSeries; version: number }) {
  const t = useMessages(trainMessages);
  const lang = useApp((s) => s.lang);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the series grow in place; `version` says when
  const summary = useMemo(() => accuracySummary(testEvaluations(series)), [series, version]);
  if (!summary) return <p className="hint">{t('noAccuracy')}</p>;
  const item = (
    testId: string,
    title: string,
    e: { step: number; accuracy: number; count: number },
  ) => (
    <div
      className="accuracy-number"
      data-testid={testId}
      data-value={e.accuracy}
      data-step={e.step}
    >
      <dt>{title}</dt>
      <dd>
        <span className="accuracy-value">{percent(e.accuracy, lang)}</span>
        <span className="hint">{t('accuracyAt', { step: e.step, count: e.count })}</span>
      </dd>
    </div>
  );
  return (
    <dl className="accuracy-numbers">
      {item('final-accuracy', t('finalAccuracy'), summary.final)}
      {item('best-accuracy', t('bestAccuracy'), summary.best)}
    </dl>
  );
}

/** The losses say training went wrong: what happened, and what to try. */
function DivergenceAlert({
  divergence,
  lr,
  predictions,
}: {
  divergence: NonNullable<TrainingState['divergence']>;
  lr: number;
  predictions: number[] | null;
}) {
  const t = useMessages(trainMessages);
  const lang = useApp((s) => s.lang);
  const loss = (x: number) => x.toLocaleString(lang, { maximumFractionDigits: 3 });
  const params = {
    step: divergence.step,
    start: loss(divergence.startLoss),
    recent: loss(divergence.recentLoss),
  };
  const what =
    divergence.kind === 'non-finite'
      ? t('divergedNonFinite', params)
      : divergence.kind === 'exploding'
        ? t('divergedExploding', params)
        : t('divergedStuck', params);
  const same =
    predictions && predictions.length > 0 && predictions.every((p) => p === predictions[0])
      ? t('sameDigit', { digit: String(predictions[0]) })
      : null;
  const suggestion = Number((lr / 10).toPrecision(2));
  return (
    <div
      className="alert error"
      role="alert"
      data-testid="divergence"
      data-kind={divergence.kind}
      title={divergence.message}
    >
      <p>
        {what}
        {same && ` ${same}`}
      </p>
      <p>
        <strong>{t('divergedHint', { lr: String(lr), suggestion: String(suggestion) })}</strong>
      </p>
    </div>
  );
}

/** Start after a stop: go on with the trained network, or begin anew. */
function ContinueQuestion({
  step,
  done,
  epochs,
  onAnswer,
}: {
  step: number;
  done: boolean;
  epochs: number;
  onAnswer: (answer: 'continue' | 'start-over' | 'cancel') => void;
}) {
  const t = useMessages(trainMessages);
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      className="panel train-question"
      role="alertdialog"
      aria-labelledby="train-question-title"
      aria-describedby="train-question-text"
      data-testid="continue-question"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onAnswer('cancel');
      }}
    >
      <h3 id="train-question-title">{t('askTitle')}</h3>
      <p id="train-question-text">
        {done ? t('askDone', { step, epochs }) : t('askStopped', { step })}
      </p>
      <div className="controls">
        {!done && (
          <button
            ref={first}
            type="button"
            className="primary"
            onClick={() => onAnswer('continue')}
          >
            {t('continue')}
          </button>
        )}
        <button ref={done ? first : undefined} type="button" onClick={() => onAnswer('start-over')}>
          {t('startOver')}
        </button>
        <button type="button" onClick={() => onAnswer('cancel')}>
          {t('cancel')}
        </button>
      </div>
    </div>
  );
}

function StatusLine({ training: tr, epochs }: { training: TrainingState; epochs: number }) {
  const t = useMessages(trainMessages);
  const lang = useApp((s) => s.lang);
  const stateText = {
    loading: t('stateLoading'),
    idle: t('stateIdle'),
    running: t('stateRunning'),
    paused: t('statePaused'),
    stopped: t('stateStopped'),
    done: t('stateDone'),
  }[tr.state];
  const ips = tr.imagesPerSecond;
  const backend = tr.backend
    ? `${tr.backend.name}${
        tr.backend.name === 'wasm'
          ? ` (${t(tr.backend.threads === 1 ? 'threadOne' : 'threadMany', { n: tr.backend.threads })})`
          : ''
      }`
    : '…';
  return (
    <div className="status" role="status" data-testid="train-status" data-state={tr.state}>
      {stateText} · {t('statusStep', { step: String(tr.step) })} ·{' '}
      {t('statusEpoch', {
        epoch: tr.stepsPerEpoch ? (tr.step / tr.stepsPerEpoch).toFixed(2) : '0',
        epochs: String(epochs),
      })}{' '}
      ·{' '}
      <span
        data-testid="images-per-second"
        data-value={ips ?? ''}
        title={ips === null ? t('imagesPerSecondPending') : undefined}
      >
        {ips === null ? '—' : Math.round(ips).toLocaleString(lang)}
      </span>{' '}
      {t('imagesPerSecond')} · {t('backend')} <span data-testid="backend">{backend}</span>
      {globalThis.crossOriginIsolated
        ? ` · ${t('cores', { n: navigator.hardwareConcurrency })}`
        : ` ${t('notIsolated')}`}
    </div>
  );
}

/** Build, train and watch a network on MNIST, in a Web Worker. */
export function TrainView() {
  const t = useMessages(trainMessages);
  const lang = useApp((s) => s.lang);
  const setup = useApp((s) => s.setup);
  const tr = useApp((s) => s.training);
  const [asking, setAsking] = useState(false);
  const [wholeRange, setWholeRange] = useState(false);

  useEffect(() => ensureWorker(useApp.getState().setup), []);

  const preview = useMemo((): Preview => {
    try {
      const { shapes, params } = previewNetwork(setup.layers);
      return { shapes, params, error: null };
    } catch (error) {
      return { shapes: [], params: 0, error: (error as Error).message };
    }
  }, [setup.layers]);

  const editable = tr.state !== 'running' && tr.state !== 'paused';
  const kept = (tr.state === 'stopped' || tr.state === 'done') && tr.step > 0;
  const progress = tr.loadProgress;
  const lossSeries = tr.series.batchLoss;
  // A new run (the set-up changed, a reset) needs no question.
  useEffect(() => {
    if (!kept) setAsking(false);
  }, [kept]);

  const lossLines = useMemo<ChartSeries[]>(
    () => [
      { label: t('seriesTrainBatch'), color: '--chart-2', faint: true },
      { label: t('seriesTrainEpoch'), color: '--chart-1', points: true },
      { label: t('seriesTestEpoch'), color: '--chart-4', points: true },
    ],
    [t],
  );
  const accuracyLines = useMemo<ChartSeries[]>(
    () => [
      { label: t('seriesBatch'), color: '--chart-1', faint: true },
      { label: t('seriesTestQuick'), color: '--chart-3', points: true },
      { label: t('seriesTrainEpoch'), color: '--chart-1', points: true },
      { label: t('seriesTestEpoch'), color: '--chart-4', points: true },
    ],
    [t],
  );

  const start = () => {
    if (kept) setAsking(true);
    else trainer.start();
  };

  return (
    <section aria-labelledby="train-heading" className="view train-view">
      <h2 id="train-heading">{t('heading')}</h2>
      <StatusLine training={tr} epochs={setup.epochs} />
      {tr.backend?.error && <p className="error">{t('wasmFailed', { error: tr.backend.error })}</p>}
      {progress && progress.loaded < progress.total && (
        <label className="field">
          {t('download')}{' '}
          <progress value={progress.loaded} max={progress.total} data-testid="mnist-progress" />{' '}
          {t('megabytes', {
            loaded: (progress.loaded / 1e6).toFixed(1),
            total: (progress.total / 1e6).toFixed(1),
          })}
        </label>
      )}
      {tr.error && (
        <p role="alert" className="error">
          {tr.error}
        </p>
      )}
      {tr.divergence && (
        <DivergenceAlert divergence={tr.divergence} lr={setup.lr} predictions={tr.predictions} />
      )}

      <div className="controls" role="toolbar" aria-label={t('controls')}>
        <button
          type="button"
          className="primary"
          onClick={start}
          disabled={tr.state === 'loading' || tr.state === 'running' || !!preview.error || asking}
        >
          {tr.state === 'paused' ? t('resume') : t('start')}
        </button>
        <button type="button" onClick={trainer.pause} disabled={tr.state !== 'running'}>
          {t('pause')}
        </button>
        <button
          type="button"
          onClick={trainer.step}
          disabled={tr.state === 'loading' || tr.state === 'running' || !!preview.error}
        >
          {t('step')}
        </button>
        <button
          type="button"
          onClick={trainer.stop}
          disabled={tr.state !== 'running' && tr.state !== 'paused'}
        >
          {t('stop')}
        </button>
        <button type="button" onClick={trainer.reset} disabled={tr.state === 'loading'}>
          {t('reset')}
        </button>
        <button
          type="button"
          disabled={tr.series.batchStep.length === 0}
          title={t('downloadCsvTitle')}
          onClick={() =>
            download(
              stepsCsv(tr.series.batchStep, tr.series.batchLoss, tr.stepsPerEpoch),
              'steps.csv',
              'text/csv',
            )
          }
        >
          {t('downloadCsv')}
        </button>
      </div>
      {asking && kept && (
        <ContinueQuestion
          step={tr.step}
          done={tr.state === 'done'}
          epochs={setup.epochs}
          onAnswer={(answer) => {
            setAsking(false);
            if (answer === 'continue') trainer.start(false);
            if (answer === 'start-over') trainer.start(true);
          }}
        />
      )}

      <AccuracyNumbers series={tr.series} version={tr.version} />

      <div className="train-charts">
        <div>
          <LineChart
            title={t('lossChart')}
            xLabel={t('axisStep')}
            yLabel={t('axisLoss')}
            testId="loss-chart"
            series={lossLines}
            data={() => lossData(tr.series)}
            version={tr.version}
          />
          <p
            className="hint"
            data-testid="loss-summary"
            data-first={lastMean(lossSeries, 10, false)}
            data-last={lastMean(lossSeries, 10, true)}
          >
            {lossSeries.length > 0
              ? t('lossSummary', {
                  first: lastMean(lossSeries, 10, false).toFixed(3),
                  last: lastMean(lossSeries, 10, true).toFixed(3),
                })
              : t('noSteps')}
          </p>
        </div>
        <div>
          <LineChart
            title={t('accuracyChart')}
            xLabel={t('axisStep')}
            yLabel={t('axisAccuracy')}
            testId="accuracy-chart"
            yRange={() => (wholeRange ? [0, 1] : zoomedAccuracy(tr.series))}
            yFormat={(v) => percent(v, lang, v * 100 === Math.round(v * 100) ? 0 : 1)}
            series={accuracyLines}
            data={() => accuracyData(tr.series)}
            version={tr.version + (wholeRange ? 0.5 : 0)}
          />
          <label className="field hint">
            <input
              type="checkbox"
              checked={wholeRange}
              onChange={(event) => setWholeRange(event.currentTarget.checked)}
            />{' '}
            {t('wholeRange')}
          </label>
        </div>
      </div>

      <Editor setup={setup} editable={editable} startsOver={kept} preview={preview} />

      <div className="row">
        <PredictionGrid samples={tr.samples} predictions={tr.predictions} />
        <ConfusionMatrix confusion={tr.confusion} />
      </div>
    </section>
  );
}
