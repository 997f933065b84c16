import { memo, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { insideMessages } from '../i18n/messages/inside.js';
import { useMessages } from '../i18n/use-messages.js';
import { type InsideLayer, inspectNetwork } from '../lib/network.js';
import { ensureWorker, trainer } from '../lib/trainer-client.js';
import { useApp } from '../store.js';
import './inside-view.css';

/** Blue (negative) – white (zero) – red (positive), the ends of ColorBrewer's RdBu. */
const NEGATIVE = [33, 102, 172] as const;
const POSITIVE = [178, 24, 43] as const;

/** The colour of `value` on a scale from −limit to +limit. */
export function divergingColor(value: number, limit: number): [number, number, number] {
  const t = limit > 0 ? Math.max(-1, Math.min(1, value / limit)) : 0;
  const end = t < 0 ? NEGATIVE : POSITIVE;
  const a = Math.abs(t);
  return [
    Math.round(255 + (end[0] - 255) * a),
    Math.round(255 + (end[1] - 255) * a),
    Math.round(255 + (end[2] - 255) * a),
  ];
}

/** The scale as a lookup table: 511 RGB entries from −limit (0) through zero (255) to +limit. */
const LUT = (() => {
  const table = new Uint8ClampedArray(511 * 3);
  for (let i = 0; i < 511; i++) table.set(divergingColor(i - 255, 255), i * 3);
  return table;
})();

/**
 * Canvases are drawn a few at a time, at most ~8 ms per frame: a view of a hundred new canvases
 * (each `getContext` and `putImageData` costs) would otherwise hold the page for one long task.
 */
const pending = new Map<HTMLCanvasElement, () => void>();
let frame = 0;
function drawSoon(canvas: HTMLCanvasElement, draw: () => void): void {
  pending.set(canvas, draw);
  if (frame) return;
  const run = () => {
    const start = performance.now();
    for (const [key, job] of pending) {
      pending.delete(key);
      if (key.isConnected) job();
      if (performance.now() - start > 8) break;
    }
    frame = pending.size > 0 ? requestAnimationFrame(run) : 0;
  };
  frame = requestAnimationFrame(run);
}

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]!));
  return m;
}

function hasNegative(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i]! < 0) return true;
  return false;
}

/**
 * `tiles` images of `width`×`height` (row-major, one after the other) side by side with a
 * one-pixel gap, coloured on the layer's scale ±`limit`, scaled up without smoothing.
 */
function HeatCanvas({
  values,
  width,
  height,
  tiles = 1,
  limit,
  scale,
  label,
  cssWidth,
}: {
  values: Float32Array;
  width: number;
  height: number;
  tiles?: number;
  limit: number;
  scale: number;
  label: string;
  cssWidth?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const fullWidth = tiles * width + (tiles - 1);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    drawSoon(canvas, () => {
      const context = canvas.getContext('2d');
      if (!context) return;
      const image = context.createImageData(fullWidth, height);
      const data = image.data;
      const toIndex = limit > 0 ? 255 / limit : 0;
      for (let k = 0; k < tiles; k++) {
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) {
            const v = values[(k * height + y) * width + x]!;
            const j = 3 * (255 + Math.max(-255, Math.min(255, Math.round(v * toIndex))));
            const i = 4 * (y * fullWidth + k * (width + 1) + x);
            data[i] = LUT[j]!;
            data[i + 1] = LUT[j + 1]!;
            data[i + 2] = LUT[j + 2]!;
            data[i + 3] = 255;
          }
        }
      }
      if (tiles === 1) {
        context.putImageData(image, 0, 0);
        return;
      }
      // The gaps between a filter's input channels in the page's border colour.
      context.fillStyle = getComputedStyle(canvas).borderTopColor || 'gray';
      context.fillRect(0, 0, fullWidth, height);
      for (let k = 0; k < tiles; k++)
        context.putImageData(image, 0, 0, k * (width + 1), 0, width, height);
    });
  }, [values, width, height, tiles, limit, fullWidth]);
  return (
    <canvas
      ref={ref}
      width={fullWidth}
      height={height}
      role="img"
      aria-label={label}
      className="pixelated heat"
      style={{ width: cssWidth ?? `${fullWidth * scale}px`, height: height * scale }}
    />
  );
}

/** The colour scale of a layer: −limit … 0 … +limit, or 0 … +limit when nothing is negative. */
function ColorScale({ limit, signed }: { limit: number; signed: boolean }) {
  const t = useMessages(insideMessages);
  const lang = useApp((s) => s.lang);
  const stops = (signed ? [-1, -0.5, 0, 0.5, 1] : [0, 0.5, 1])
    .map((v) => `rgb(${divergingColor(v * limit, limit).join(' ')})`)
    .join(', ');
  const number = (x: number) => x.toLocaleString(lang, { maximumSignificantDigits: 2 });
  return (
    <span className="color-scale" data-testid="color-scale" title={t('scaleNote')}>
      <span className="sr-only">{t('scale')}: </span>
      <span>{signed ? number(-limit) : '0'}</span>
      <span
        className="color-scale-bar"
        style={{ background: `linear-gradient(to right, ${stops})` }}
      />
      <span>{number(limit)}</span>
    </span>
  );
}

const ConvFilters = memo(function ConvFilters({ layer }: { layer: InsideLayer }) {
  const t = useMessages(insideMessages);
  const filters = layer.filters!;
  const [shown, inputs, kh, kw] = filters.shape;
  const limit = maxAbs(filters.data);
  const signed = hasNegative(filters.data);
  const each = inputs * kh * kw;
  return (
    <div className="inside-layer">
      <h4>
        {t('filtersOf', { name: layer.name, count: filters.total, size: `${kh}×${kw}` })}{' '}
        {shown < filters.total && t('filtersShown', { shown, total: filters.total })}{' '}
        <ColorScale limit={limit} signed={signed} />
      </h4>
      {inputs > 1 && (
        <p className="hint">{t('inputsShown', { shown: inputs, total: filters.inputs })}</p>
      )}
      <div className="grid heat-grid" data-testid={`filters-${layer.name}`}>
        {Array.from({ length: shown }, (_, f) => (
          <HeatCanvas
            // biome-ignore lint/suspicious/noArrayIndexKey: filters are positional
            key={f}
            values={filters.data.subarray(f * each, (f + 1) * each)}
            width={kw}
            height={kh}
            tiles={inputs}
            limit={limit}
            scale={Math.max(3, Math.round((inputs > 1 ? 24 : 40) / kw))}
            label={t('filterLabel', { layer: layer.name, n: String(f) })}
          />
        ))}
      </div>
    </div>
  );
});

const LayerOutput = memo(function LayerOutput({ layer }: { layer: InsideLayer }) {
  const t = useMessages(insideMessages);
  const output = layer.output!;
  const limit = maxAbs(output.data);
  const signed = hasNegative(output.data);
  if (output.shape.length === 3) {
    const [c, h, w] = output.shape as [number, number, number];
    return (
      <div className="inside-layer">
        <h4>
          {t('mapsOf', { name: layer.name, kind: layer.kind, count: output.total, h, w })}{' '}
          {c < output.total && t('mapsShown', { shown: c, total: output.total })}{' '}
          <ColorScale limit={limit} signed={signed} />
        </h4>
        <div className="grid heat-grid" data-testid={`feature-maps-${layer.name}`}>
          {Array.from({ length: c }, (_, k) => (
            <HeatCanvas
              // biome-ignore lint/suspicious/noArrayIndexKey: channels are positional
              key={k}
              values={output.data.subarray(k * h * w, (k + 1) * h * w)}
              width={w}
              height={h}
              limit={limit}
              scale={Math.max(1, Math.round(48 / w))}
              label={t('mapLabel', { layer: layer.name, n: String(k) })}
            />
          ))}
        </div>
      </div>
    );
  }
  const n = output.data.length;
  const cell = Math.max(3, Math.min(24, Math.round(360 / n)));
  return (
    <div className="inside-layer">
      <h4>
        {t('vectorOf', { name: layer.name, kind: layer.kind, count: n })}{' '}
        <ColorScale limit={limit} signed={signed} />
      </h4>
      <div className="heat-vector" data-testid={`feature-maps-${layer.name}`}>
        <HeatCanvas
          values={output.data}
          width={n}
          height={1}
          limit={limit}
          scale={cell}
          cssWidth={`min(100%, ${n * cell}px)`}
          label={t('vectorLabel', { layer: layer.name, count: n })}
        />
      </div>
    </div>
  );
});

function LayerTable({ layers }: { layers: InsideLayer[] }) {
  const t = useMessages(insideMessages);
  const lang = useApp((s) => s.lang);
  const total = layers.reduce((n, l) => n + l.params, 0);
  return (
    <table className="layers" data-testid="layer-table">
      <caption>{t('layerTable')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('layer')}</th>
          <th scope="col">{t('type')}</th>
          <th scope="col">{t('outputShape')}</th>
          <th scope="col">{t('parameters')}</th>
        </tr>
      </thead>
      <tbody>
        {layers.map((l) => (
          <tr key={l.name}>
            <td>{l.name}</td>
            <td>{l.kind}</td>
            <td>[{l.outputShape.join(', ')}]</td>
            <td className="num">{l.params.toLocaleString(lang)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={3}>
            {t('total')}
          </th>
          <td className="num">{total.toLocaleString(lang)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

/** The layers: their table, every convolution's filters, every layer's output. */
function Layers({ layers, mapsNote }: { layers: InsideLayer[]; mapsNote: string }) {
  const t = useMessages(insideMessages);
  const convs = layers.filter((l) => l.filters);
  const outputs = layers.filter((l) => l.output);
  return (
    <>
      <LayerTable layers={layers} />
      <h3>{t('filtersHeading')}</h3>
      {convs.length === 0 ? (
        <p>{t('noConv')}</p>
      ) : (
        <div data-testid="filters">
          {convs.map((l) => (
            <ConvFilters key={l.name} layer={l} />
          ))}
        </div>
      )}
      <h3>{t('mapsHeading')}</h3>
      <p className="hint">{mapsNote}</p>
      <div data-testid="feature-maps">
        {outputs.map((l) => (
          <LayerOutput key={l.name} layer={l} />
        ))}
      </div>
    </>
  );
}

/** The model of the Draw view, inspected on this thread for the current drawing. */
function ModelLayers() {
  const t = useMessages(insideMessages);
  const model = useApp((s) => s.model);
  const input = useApp((s) => s.input);
  const layers = useMemo(
    () => (model ? inspectNetwork(model.network, input, { maxChannels: 32 }) : []),
    [model, input],
  );
  // Rendered in the background (time-sliced), so opening the view is not one long task.
  const shown = useDeferredValue(layers, []);
  if (!model) return <p>{t('loading')}</p>;
  return <Layers layers={shown} mapsNote={input ? t('mapsFor') : t('drawFirst')} />;
}

/** The network the worker trains, as it last posted it (every 100 steps while training). */
function LiveLayers() {
  const t = useMessages(insideMessages);
  const input = useApp((s) => s.input);
  // Rendered in the background (time-sliced), so a refresh is never one long task.
  const inside = useDeferredValue(
    useApp((s) => s.training.inside),
    null,
  );
  const state = useApp((s) => s.training.state);
  useEffect(() => {
    ensureWorker(useApp.getState().setup);
    trainer.inspect(true, input);
  }, [input]);
  useEffect(() => () => trainer.inspect(false, null), []);
  if (!inside) return <p>{state === 'loading' ? t('liveWaiting') : t('liveNone')}</p>;
  return (
    <div data-testid="live" data-step={inside.step}>
      <p className="hint" data-testid="live-status">
        {t('liveStatus', { step: inside.step })}
      </p>
      <Layers
        layers={inside.layers}
        mapsNote={
          inside.source === 'drawing'
            ? t('mapsFor')
            : t('mapsForTest', { label: String(inside.label ?? '?') })
        }
      />
    </div>
  );
}

/** Every layer's shape, every convolution's filters, every layer's output: of a model or live. */
export function InsideView() {
  const t = useMessages(insideMessages);
  const model = useApp((s) => s.model);
  const [source, setSource] = useState<'model' | 'live'>(() => {
    const { state, step } = useApp.getState().training;
    return state === 'running' || step > 0 ? 'live' : 'model';
  });
  const name = source === 'live' ? t('sourceLive') : (model?.name ?? '…');
  return (
    <section aria-labelledby="inside-heading" className="view inside-view">
      <h2 id="inside-heading">{t('heading', { name })}</h2>
      <fieldset className="inside-source">
        <legend>{t('source')}</legend>
        <label>
          <input
            type="radio"
            name="inside-source"
            checked={source === 'model'}
            onChange={() => setSource('model')}
          />{' '}
          {t('sourceModel', { name: model?.name ?? '…' })}
        </label>
        <label>
          <input
            type="radio"
            name="inside-source"
            checked={source === 'live'}
            onChange={() => setSource('live')}
          />{' '}
          {t('sourceLive')}
        </label>
      </fieldset>
      {source === 'live' ? <LiveLayers /> : <ModelLayers />}
    </section>
  );
}
