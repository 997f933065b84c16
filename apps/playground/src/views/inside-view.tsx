import { Conv2d } from '@scratchnet/layers';
import { noGrad, tensor } from '@scratchnet/tensor';
import { useMemo } from 'react';
import { GrayCanvas } from '../components/gray-canvas.js';
import { describeLayers, forwardWithActivations } from '../lib/network.js';
import { useApp } from '../store.js';

interface FeatureMaps {
  name: string;
  channels: Float32Array[];
  height: number;
  width: number;
}

/** First-layer filters, every conv layer's feature maps for the current input, layer shapes. */
export function InsideView() {
  const model = useApp((s) => s.model);
  const input = useApp((s) => s.input);

  const layers = useMemo(() => (model ? describeLayers(model.network) : []), [model]);

  const filters = useMemo(() => {
    if (!model) return null;
    const conv = model.network.namedModules().find(([, m]) => m instanceof Conv2d);
    if (!conv) return null;
    const weight = (conv[1] as Conv2d).weight;
    const [out, inChannels, kh, kw] = weight.shape as [number, number, number, number];
    const data = weight.dataSync();
    return {
      name: conv[0],
      kh,
      kw,
      filters: Array.from({ length: out }, (_, f) =>
        data.slice(f * inChannels * kh * kw, f * inChannels * kh * kw + kh * kw),
      ),
    };
  }, [model]);

  const maps = useMemo(() => {
    if (!model || !input) return [];
    const out: FeatureMaps[] = [];
    const network = model.network;
    network.eval();
    noGrad(() =>
      forwardWithActivations(
        network,
        tensor(input, [1, ...network.inputShape]),
        (name, layer, y) => {
          if (!(layer instanceof Conv2d)) return;
          const [, c, h, w] = y.shape as [number, number, number, number];
          const data = y.dataSync();
          out.push({
            name,
            height: h,
            width: w,
            channels: Array.from({ length: c }, (_, k) => data.slice(k * h * w, (k + 1) * h * w)),
          });
        },
      ),
    );
    return out;
  }, [model, input]);

  if (!model) return <p>Loading the model…</p>;
  const total = layers.reduce((n, l) => n + l.params, 0);
  return (
    <section aria-labelledby="inside-heading" className="view">
      <h2 id="inside-heading">Look inside: {model.name}</h2>
      <table className="layers" data-testid="layer-table">
        <caption>Layers, output shapes (per image) and parameter counts</caption>
        <thead>
          <tr>
            <th scope="col">Layer</th>
            <th scope="col">Type</th>
            <th scope="col">Output shape</th>
            <th scope="col">Parameters</th>
          </tr>
        </thead>
        <tbody>
          {layers.map((l) => (
            <tr key={l.name}>
              <td>{l.name}</td>
              <td>{l.kind}</td>
              <td>[{l.outputShape.join(', ')}]</td>
              <td className="num">{l.params.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Total
            </th>
            <td className="num">{total.toLocaleString('en-US')}</td>
          </tr>
        </tfoot>
      </table>

      {filters ? (
        <>
          <h3>
            First-layer filters ({filters.name}, {filters.filters.length} of {filters.kh}×
            {filters.kw})
          </h3>
          <div className="grid" data-testid="filters">
            {filters.filters.map((values, f) => (
              <GrayCanvas
                // biome-ignore lint/suspicious/noArrayIndexKey: filters are positional
                key={f}
                values={values}
                width={filters.kw}
                height={filters.kh}
                scale={Math.max(4, Math.round(40 / filters.kw))}
                normalize
                label={`filter ${f}`}
              />
            ))}
          </div>
        </>
      ) : (
        <p>This network has no convolution layer: no filters to show.</p>
      )}

      <h3>Feature maps of every convolution layer</h3>
      {!input && <p>Draw a digit in the Draw view to see what each filter responds to.</p>}
      {maps.map((m) => (
        <div key={m.name}>
          <h4>
            {m.name}: {m.channels.length} maps of {m.height}×{m.width}
          </h4>
          <div className="grid" data-testid="feature-maps">
            {m.channels.map((values, k) => (
              <GrayCanvas
                // biome-ignore lint/suspicious/noArrayIndexKey: channels are positional
                key={k}
                values={values}
                width={m.width}
                height={m.height}
                scale={Math.max(1, Math.round(56 / m.width))}
                normalize
                label={`${m.name} channel ${k}`}
              />
            ))}
          </div>
        </div>
      ))}
    </section>
  );
}
