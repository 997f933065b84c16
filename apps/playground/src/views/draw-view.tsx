import { ImageInputError, mnistPixelsFromImage } from '@scratchnet/datasets';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { GrayCanvas } from '../components/gray-canvas.js';
import { ModelPanel } from '../components/model-panel.js';
import { argmax, predictProbabilities } from '../lib/predict.js';
import { useApp } from '../store.js';

const SIZE = 280;
const PEN = 20;

/** Draw a digit (mouse, pen or touch) and see the class probabilities as you draw. */
export function DrawView() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const last = useRef<{ x: number; y: number } | null>(null);
  const pending = useRef(false);
  const [inputError, setInputError] = useState<string | null>(null);
  const model = useApp((s) => s.model);
  const input = useApp((s) => s.input);
  const setInput = useApp((s) => s.setInput);

  const clear = useCallback(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, SIZE, SIZE);
    setInput(null);
    setInputError(null);
  }, [setInput]);

  useEffect(() => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, SIZE, SIZE);
  }, []);

  /** Preprocess the canvas as the trainer's `predict` does; at most once per frame. */
  const update = useCallback(() => {
    if (pending.current) return;
    pending.current = true;
    requestAnimationFrame(() => {
      pending.current = false;
      const context = canvasRef.current?.getContext('2d', { willReadFrequently: true });
      if (!context) return;
      const { data } = context.getImageData(0, 0, SIZE, SIZE);
      try {
        setInput(mnistPixelsFromImage({ width: SIZE, height: SIZE, rgba: data }));
        setInputError(null);
      } catch (error) {
        if (!(error instanceof ImageInputError)) throw error;
        setInput(null);
      }
    });
  }, [setInput]);

  const point = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * SIZE) / rect.width,
      y: ((event.clientY - rect.top) * SIZE) / rect.height,
    };
  };

  const stroke = (to: { x: number; y: number }) => {
    const context = canvasRef.current?.getContext('2d');
    if (!context) return;
    const from = last.current ?? to;
    context.strokeStyle = '#000';
    context.lineWidth = PEN;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(from.x, from.y);
    context.lineTo(to.x, to.y);
    context.stroke();
    last.current = to;
    update();
  };

  const loadImage = async (file: File) => {
    try {
      const bitmap = await createImageBitmap(file, {
        colorSpaceConversion: 'none',
        premultiplyAlpha: 'none',
      });
      const canvas = document.createElement('canvas');
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      const context = canvas.getContext('2d', { willReadFrequently: true })!;
      context.drawImage(bitmap, 0, 0);
      const { data } = context.getImageData(0, 0, bitmap.width, bitmap.height);
      setInput(
        mnistPixelsFromImage({ width: bitmap.width, height: bitmap.height, rgba: data }, file.name),
      );
      setInputError(null);
      // Show the image on the drawing canvas too (scaled), so drawing can continue on it.
      const drawContext = canvasRef.current?.getContext('2d');
      drawContext?.drawImage(bitmap, 0, 0, SIZE, SIZE);
    } catch (error) {
      setInputError(`${file.name}: ${(error as Error).message}`);
    }
  };

  const probabilities = useMemo(
    () => (model && input ? predictProbabilities(model.network, input) : null),
    [model, input],
  );
  const best = probabilities ? argmax(probabilities) : null;

  return (
    <section aria-labelledby="draw-heading" className="view">
      <h2 id="draw-heading">Draw a digit</h2>
      <div className="row">
        <div>
          <canvas
            ref={canvasRef}
            width={SIZE}
            height={SIZE}
            className="draw-canvas"
            data-testid="draw-canvas"
            aria-label="Drawing area: draw one digit with the mouse, a pen or a finger"
            onPointerDown={(event) => {
              event.currentTarget.setPointerCapture(event.pointerId);
              drawing.current = true;
              last.current = null;
              stroke(point(event));
            }}
            onPointerMove={(event) => {
              if (drawing.current) stroke(point(event));
            }}
            onPointerUp={() => {
              drawing.current = false;
              last.current = null;
            }}
            onPointerCancel={() => {
              drawing.current = false;
            }}
          />
          <div className="controls">
            <button type="button" onClick={clear}>
              Clear
            </button>
            <label className="file-button">
              Open an image…
              <input
                type="file"
                accept="image/png,image/jpeg"
                data-testid="image-upload"
                onChange={(event) => {
                  const file = event.currentTarget.files?.[0];
                  if (file) void loadImage(file);
                  event.currentTarget.value = '';
                }}
              />
            </label>
          </div>
          {inputError && (
            <p role="alert" className="error">
              {inputError}
            </p>
          )}
        </div>
        <div className="narrow">
          <h3>Network input (28×28)</h3>
          <GrayCanvas
            values={input ?? new Float32Array(784)}
            width={28}
            height={28}
            scale={5}
            label="The drawing as the network sees it: 28 by 28 pixels"
          />
          <p className="hint">Fitted into 20×20 and centred by its centre of mass, as MNIST.</p>
        </div>
        <div>
          <h3>Prediction</h3>
          <p className="big" data-testid="top-prediction" aria-live="polite">
            {best === null ? '–' : best}
          </p>
          <ol className="probabilities" start={0} aria-label="Class probabilities">
            {Array.from({ length: 10 }, (_, digit) => {
              const p = probabilities?.[digit] ?? 0;
              return (
                // biome-ignore lint/suspicious/noArrayIndexKey: the ten classes are positional
                <li key={digit} data-digit={digit} data-probability={p.toFixed(6)}>
                  <span className="digit">{digit}</span>
                  <meter min={0} max={1} value={p} aria-label={`probability of ${digit}`} />
                  <span className="percent">{(p * 100).toFixed(1)}%</span>
                </li>
              );
            })}
          </ol>
        </div>
      </div>
      <ModelPanel />
    </section>
  );
}
