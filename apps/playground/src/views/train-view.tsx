import { memo, useEffect, useMemo } from 'react';
import type uPlot from 'uplot';
import { GrayCanvas } from '../components/gray-canvas.js';
import { LineChart } from '../components/line-chart.js';
import { NumberField } from '../components/number-field.js';
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
import { ensureWorker, trainer } from '../lib/trainer-client.js';
import { type TrainingSeries, type TrainingState, useApp } from '../store.js';

const LAYER_LABELS: Record<LayerType, string> = {
  conv: 'Convolution',
  pool: 'Max pooling',
  relu: 'ReLU',
  sigmoid: 'Sigmoid',
  tanh: 'Tanh',
  linear: 'Linear (affine)',
  dropout: 'Dropout',
  batchnorm: 'Batch norm',
};

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
  return (
    <li className="layer">
      <label className="field">
        Layer {n}{' '}
        <select
          value={layer.type}
          onChange={(event) => onChange(defaultLayer(event.currentTarget.value as LayerType))}
        >
          {LAYER_TYPES.map((t) => (
            <option key={t} value={t}>
              {LAYER_LABELS[t]}
            </option>
          ))}
        </select>
      </label>
      {layer.type === 'conv' && (
        <>
          <NumberField
            label="filters"
            value={layer.filters}
            min={1}
            max={256}
            integer
            onChange={(filters) => onChange({ ...layer, filters })}
          />
          <NumberField
            label="size"
            value={layer.size}
            min={1}
            max={28}
            integer
            onChange={(size) => onChange({ ...layer, size })}
          />
          <NumberField
            label="stride"
            value={layer.stride}
            min={1}
            max={28}
            integer
            onChange={(stride) => onChange({ ...layer, stride })}
          />
          <NumberField
            label="pad"
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
          label="size"
          value={layer.size}
          min={1}
          max={28}
          integer
          onChange={(size) => onChange({ ...layer, size })}
        />
      )}
      {layer.type === 'linear' && (
        <NumberField
          label="units"
          value={layer.units}
          min={1}
          max={4096}
          integer
          onChange={(units) => onChange({ ...layer, units })}
        />
      )}
      {layer.type === 'dropout' && (
        <NumberField
          label="p"
          value={layer.p}
          min={0}
          max={0.95}
          onChange={(p) => onChange({ ...layer, p })}
        />
      )}
      <span className="shape">{shape ? `→ [${shape.join(', ')}]` : ''}</span>
      <button
        type="button"
        aria-label={`Move layer ${n} up`}
        disabled={index === 0}
        onClick={() => onMove(-1)}
      >
        ↑
      </button>
      <button
        type="button"
        aria-label={`Move layer ${n} down`}
        disabled={index === count - 1}
        onClick={() => onMove(1)}
      >
        ↓
      </button>
      <button type="button" aria-label={`Remove layer ${n}`} onClick={onRemove}>
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

interface Preview {
  shapes: number[][];
  params: number;
  error: string | null;
}

/** The network and hyperparameter editor; memoised, so training updates do not re-render it. */
const Editor = memo(function Editor({
  setup,
  editable,
  preview,
}: {
  setup: TrainSetup;
  editable: boolean;
  preview: Preview;
}) {
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
    <div className="row">
      <fieldset disabled={!editable} className="panel">
        <legend>Network ({preview.params.toLocaleString('en-US')} parameters)</legend>
        <p className="shape">Input → [1, 28, 28]</p>
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
        <p className="shape">Output: Linear → [10] (softmax cross-entropy)</p>
        <label className="field">
          Add layer{' '}
          <select
            value=""
            onChange={(event) => {
              const type = event.currentTarget.value as LayerType;
              if (type) setLayers([...setup.layers, defaultLayer(type)]);
            }}
          >
            <option value="">choose…</option>
            {LAYER_TYPES.map((type) => (
              <option key={type} value={type}>
                {LAYER_LABELS[type]}
              </option>
            ))}
          </select>
        </label>
        {preview.error && (
          <p role="alert" className="error">
            {preview.error}
          </p>
        )}
        {!editable && <p className="hint">Stop or reset to edit.</p>}
      </fieldset>
      <fieldset disabled={!editable} className="panel">
        <legend>Training</legend>
        <label className="field">
          Optimizer{' '}
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
          label="Learning rate"
          value={setup.lr}
          min={1e-7}
          max={10}
          onChange={(lr) => change({ lr })}
        />
        <NumberField
          label="Batch size"
          value={setup.batchSize}
          min={1}
          max={10_000}
          integer
          onChange={(batchSize) => change({ batchSize })}
        />
        <NumberField
          label="Weight decay"
          value={setup.weightDecay}
          min={0}
          max={1}
          onChange={(weightDecay) => change({ weightDecay })}
        />
        <NumberField
          label="Epochs"
          value={setup.epochs}
          min={1}
          max={100}
          integer
          onChange={(epochs) => change({ epochs })}
        />
        <NumberField
          label="Seed"
          value={setup.seed}
          min={1}
          max={2 ** 31 - 1}
          integer
          onChange={(seed) => change({ seed })}
        />
        <p className="hint">The set-up is in the page address: copy it to share.</p>
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
      <h3>Test predictions</h3>
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
                label={`test image ${i}, label ${label}`}
              />
              <figcaption>{predicted ?? '?'}</figcaption>
            </figure>
          );
        })}
      </div>
    </div>
  );
});

/** Rows: true digit; columns: predicted; green on the diagonal, red off it. */
const ConfusionMatrix = memo(function ConfusionMatrix({
  confusion,
}: {
  confusion: TrainingState['confusion'];
}) {
  const confusionMax = confusion ? Math.max(1, ...confusion.counts) : 1;
  return (
    <div>
      <h3>Confusion matrix</h3>
      {confusion ? (
        <table className="confusion" data-testid="confusion">
          <caption>
            rows: true digit, columns: predicted ({confusion.testCount} test images)
          </caption>
          <thead>
            <tr>
              <th scope="col">
                <span className="sr-only">true \ predicted</span>
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
                {Array.from({ length: 10 }, (_, c) => {
                  const v = confusion!.counts[r * 10 + c]!;
                  const alpha = v === 0 ? 0 : 0.15 + 0.85 * Math.sqrt(v / confusionMax);
                  const color = r === c ? `rgba(44,160,44,${alpha})` : `rgba(214,39,40,${alpha})`;
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: positional cells
                    <td key={c} style={{ background: color }}>
                      {v}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Appears after the first evaluation (every 50 steps).</p>
      )}
    </div>
  );
});

/** Build, train and watch a network on MNIST, in a Web Worker. */
export function TrainView() {
  const setup = useApp((s) => s.setup);
  const t = useApp((s) => s.training);

  useEffect(() => ensureWorker(useApp.getState().setup), []);

  const preview = useMemo((): Preview => {
    try {
      const { shapes, params } = previewNetwork(setup.layers);
      return { shapes, params, error: null };
    } catch (error) {
      return { shapes: [], params: 0, error: (error as Error).message };
    }
  }, [setup.layers]);

  const editable = t.state !== 'running' && t.state !== 'paused';
  const progress = t.loadProgress;
  const lossSeries = t.series.batchLoss;

  return (
    <section aria-labelledby="train-heading" className="view">
      <h2 id="train-heading">Train in the browser</h2>
      <div className="status" role="status" data-testid="train-status" data-state={t.state}>
        {t.state === 'loading' ? 'Loading MNIST…' : `State: ${t.state}`} · step {t.step} · epoch{' '}
        {t.stepsPerEpoch ? (t.step / t.stepsPerEpoch).toFixed(2) : '0'} / {setup.epochs} ·{' '}
        <span data-testid="images-per-second">{Math.round(t.imagesPerSecond)}</span> images/s ·
        backend{' '}
        <span data-testid="backend">
          {t.backend
            ? `${t.backend.name}${t.backend.name === 'wasm' ? ` (${t.backend.threads} thread${t.backend.threads === 1 ? '' : 's'})` : ''}`
            : '…'}
        </span>
        {globalThis.crossOriginIsolated
          ? ` · ${navigator.hardwareConcurrency} cores`
          : ' (page not cross-origin isolated: one thread)'}
      </div>
      {t.backend?.error && (
        <p className="error">
          The wasm backend failed ({t.backend.error}); training on the cpu backend.
        </p>
      )}
      {progress && progress.loaded < progress.total && (
        <label className="field">
          MNIST download{' '}
          <progress value={progress.loaded} max={progress.total} data-testid="mnist-progress" />{' '}
          {(progress.loaded / 1e6).toFixed(1)} / {(progress.total / 1e6).toFixed(1)} MB
        </label>
      )}
      {t.error && (
        <p role="alert" className="error">
          {t.error}
        </p>
      )}

      <div className="controls" role="toolbar" aria-label="Training controls">
        <button
          type="button"
          onClick={trainer.start}
          disabled={t.state === 'loading' || t.state === 'running' || !!preview.error}
        >
          {t.state === 'paused' ? 'Resume' : 'Start'}
        </button>
        <button type="button" onClick={trainer.pause} disabled={t.state !== 'running'}>
          Pause
        </button>
        <button
          type="button"
          onClick={trainer.step}
          disabled={t.state === 'loading' || t.state === 'running' || !!preview.error}
        >
          Step
        </button>
        <button
          type="button"
          onClick={trainer.stop}
          disabled={t.state !== 'running' && t.state !== 'paused'}
        >
          Stop
        </button>
        <button type="button" onClick={trainer.reset} disabled={t.state === 'loading'}>
          Reset
        </button>
        <button
          type="button"
          disabled={t.series.batchStep.length === 0}
          title="Every step's loss, in the format of scratchnet train's steps.csv"
          onClick={() =>
            download(
              stepsCsv(t.series.batchStep, t.series.batchLoss, t.stepsPerEpoch),
              'steps.csv',
              'text/csv',
            )
          }
        >
          Download losses (CSV)
        </button>
      </div>

      <Editor setup={setup} editable={editable} preview={preview} />

      <div className="row">
        <div>
          <LineChart
            title="Loss"
            testId="loss-chart"
            series={[
              { label: 'train (batch)', color: '#d62728' },
              { label: 'train (epoch)', color: '#1f77b4', points: true },
              { label: 'test (epoch)', color: '#9467bd', points: true },
            ]}
            data={() => lossData(t.series)}
            version={t.version}
          />
          <p
            className="hint"
            data-testid="loss-summary"
            data-first={lastMean(lossSeries, 10, false)}
            data-last={lastMean(lossSeries, 10, true)}
          >
            {lossSeries.length > 0
              ? `mean loss of the first 10 steps ${lastMean(lossSeries, 10, false).toFixed(3)}, of the last 10 ${lastMean(lossSeries, 10, true).toFixed(3)}`
              : 'no steps yet'}
          </p>
        </div>
        <LineChart
          title="Accuracy"
          testId="accuracy-chart"
          yRange={[0, 1]}
          series={[
            { label: 'batch', color: '#aec7e8' },
            { label: 'test (1000 images)', color: '#2ca02c', points: true },
            { label: 'train (epoch)', color: '#1f77b4', points: true },
            { label: 'test (epoch)', color: '#9467bd', points: true },
          ]}
          data={() => accuracyData(t.series)}
          version={t.version}
        />
      </div>

      <div className="row">
        <PredictionGrid samples={t.samples} predictions={t.predictions} />
        <ConfusionMatrix confusion={t.confusion} />
      </div>
    </section>
  );
}
