import { mnistPixelsFromImage } from '@scratchnet/datasets';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { GrayCanvas } from '../components/gray-canvas.js';
import { ModelPanel } from '../components/model-panel.js';
import { NumberField } from '../components/number-field.js';
import { drawMessages } from '../i18n/messages/draw.js';
import { useMessages } from '../i18n/use-messages.js';
import {
  type ImageProblem,
  imageProblem,
  type Point,
  penWidthFor,
  strokeExtent,
  testImagePixels,
  testImageRgba,
} from '../lib/drawing.js';
import { argmax, predictProbabilities } from '../lib/predict.js';
import { loadTestImages, type TestImages } from '../lib/test-images.js';
import { useApp } from '../store.js';

const SIZE = 280;
const TEST_COUNT = 10_000;

type TestState =
  | { state: 'none' }
  | { state: 'loading' }
  | { state: 'shown'; index: number; label: number }
  | { state: 'error'; message: string };

/**
 * Draw a digit (mouse, pen or touch), open an image or pick an MNIST test image, and see the
 * class probabilities as you draw. The strokes are kept and redrawn with a pen as wide as the
 * digit's size asks (`penWidthFor`), so a small digit has MNIST's thin strokes too.
 */
export function DrawView() {
  const t = useMessages(drawMessages);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const strokes = useRef<Point[][]>([]);
  /** An opened image or test image under the strokes. */
  const background = useRef<CanvasImageSource | null>(null);
  const pending = useRef(false);
  const [empty, setEmpty] = useState(true);
  const [inputError, setInputError] = useState<{ problem: ImageProblem; file: string } | null>(
    null,
  );
  const [testIndex, setTestIndex] = useState(0);
  const [test, setTest] = useState<TestState>({ state: 'none' });
  const testImages = useRef<TestImages | null>(null);
  const model = useApp((s) => s.model);
  const input = useApp((s) => s.input);
  const setInput = useApp((s) => s.setInput);

  /**
   * Paper, the background image if any, then every stroke with the pen the drawing's size asks.
   * The canvas is read back on every stroke: its context says so (no readback warning).
   */
  const redraw = useCallback(() => {
    const ctx = canvasRef.current?.getContext('2d', { willReadFrequently: true });
    if (!ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, SIZE, SIZE);
    if (background.current) {
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(background.current, 0, 0, SIZE, SIZE);
    }
    ctx.strokeStyle = '#000';
    ctx.fillStyle = '#000';
    ctx.lineWidth = penWidthFor(strokeExtent(strokes.current));
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    for (const stroke of strokes.current) {
      const [first, ...rest] = stroke;
      if (!first) continue;
      ctx.beginPath();
      ctx.moveTo(first.x, first.y);
      // A single tap is a dot.
      if (rest.length === 0) ctx.lineTo(first.x + 0.01, first.y);
      for (const p of rest) ctx.lineTo(p.x, p.y);
      ctx.stroke();
    }
  }, []);

  const clear = useCallback(() => {
    strokes.current = [];
    background.current = null;
    redraw();
    setEmpty(true);
    setInput(null);
    setInputError(null);
    setTest((s) => (s.state === 'shown' ? { state: 'none' } : s));
  }, [redraw, setInput]);

  useEffect(redraw, [redraw]);

  /** Preprocess the canvas as the trainer's `predict` does; at most once per frame. */
  const update = useCallback(() => {
    if (pending.current) return;
    pending.current = true;
    requestAnimationFrame(() => {
      pending.current = false;
      const ctx = canvasRef.current?.getContext('2d', { willReadFrequently: true });
      if (!ctx) return;
      const { data } = ctx.getImageData(0, 0, SIZE, SIZE);
      try {
        setInput(mnistPixelsFromImage({ width: SIZE, height: SIZE, rgba: data }));
        setInputError(null);
      } catch {
        // A blank canvas (or strokes too faint) is no input yet.
        setInput(null);
      }
    });
  }, [setInput]);

  const point = (event: React.PointerEvent<HTMLCanvasElement>): Point => {
    const rect = event.currentTarget.getBoundingClientRect();
    return {
      x: ((event.clientX - rect.left) * SIZE) / rect.width,
      y: ((event.clientY - rect.top) * SIZE) / rect.height,
    };
  };

  const addPoint = (p: Point, newStroke: boolean) => {
    if (newStroke) strokes.current.push([p]);
    else strokes.current[strokes.current.length - 1]?.push(p);
    redraw();
    setEmpty(false);
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
      const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      setInput(
        mnistPixelsFromImage({ width: bitmap.width, height: bitmap.height, rgba: data }, file.name),
      );
      setInputError(null);
      setTest((s) => (s.state === 'shown' ? { state: 'none' } : s));
      // Show the image on the drawing canvas too (scaled), so drawing can continue on it.
      strokes.current = [];
      background.current = bitmap;
      redraw();
      setEmpty(false);
    } catch (error) {
      setInputError({ problem: imageProblem(error), file: file.name });
    }
  };

  /** MNIST test image `index` becomes the input as it is (it is MNIST already) and the canvas. */
  const showTestImage = async (index: number) => {
    const wrapped = ((index % TEST_COUNT) + TEST_COUNT) % TEST_COUNT;
    setTestIndex(wrapped);
    try {
      if (!testImages.current) {
        setTest({ state: 'loading' });
        testImages.current = await loadTestImages();
      }
      const { images, labels } = testImages.current;
      const pixels = testImagePixels(images, wrapped);
      const small = document.createElement('canvas');
      small.width = 28;
      small.height = 28;
      small.getContext('2d')!.putImageData(new ImageData(testImageRgba(pixels), 28, 28), 0, 0);
      strokes.current = [];
      background.current = small;
      redraw();
      setEmpty(false);
      setInput(pixels);
      setInputError(null);
      setTest({ state: 'shown', index: wrapped, label: labels[wrapped]! });
    } catch (error) {
      setTest({ state: 'error', message: (error as Error).message });
    }
  };

  const probabilities = useMemo(
    () => (model && input ? predictProbabilities(model.network, input) : null),
    [model, input],
  );
  const best = probabilities ? argmax(probabilities) : null;

  return (
    <section aria-labelledby="draw-heading" className="view">
      <h2 id="draw-heading">{t('heading')}</h2>
      <div className="row">
        <div className="stack draw-column">
          <div className="canvas-box">
            <canvas
              ref={canvasRef}
              width={SIZE}
              height={SIZE}
              className="draw-canvas"
              data-testid="draw-canvas"
              aria-label={t('canvasLabel')}
              onPointerDown={(event) => {
                event.currentTarget.setPointerCapture(event.pointerId);
                drawing.current = true;
                addPoint(point(event), true);
              }}
              onPointerMove={(event) => {
                if (drawing.current) addPoint(point(event), false);
              }}
              onPointerUp={() => {
                drawing.current = false;
              }}
              onPointerCancel={() => {
                drawing.current = false;
              }}
            />
            {empty && (
              <div className="canvas-hint" data-testid="canvas-hint" aria-hidden="true">
                <span>{t('canvasHint')}</span>
              </div>
            )}
          </div>
          <div className="controls">
            <button type="button" onClick={clear}>
              {t('clear')}
            </button>
            <label className="file-button">
              {t('openImage')}
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
          <div className="test-image">
            <button
              type="button"
              className="icon"
              aria-label={t('previousTest')}
              title={t('previousTest')}
              onClick={() => void showTestImage(testIndex - 1)}
            >
              ‹
            </button>
            <NumberField
              label={t('testImage')}
              value={testIndex}
              min={0}
              max={TEST_COUNT - 1}
              integer
              onChange={setTestIndex}
              onCommit={(index) => void showTestImage(index)}
            />
            <button
              type="button"
              className="icon"
              aria-label={t('nextTest')}
              title={t('nextTest')}
              onClick={() => void showTestImage(testIndex + 1)}
            >
              ›
            </button>
          </div>
          <p className="hint" data-testid="test-label" aria-live="polite">
            {test.state === 'loading' && t('testLoading')}
            {test.state === 'shown' && t('testLabel', { n: test.index, label: test.label })}
          </p>
          {test.state === 'error' && (
            <p role="alert" className="error">
              {t('testError', { error: test.message })}
            </p>
          )}
          {inputError && (
            <p role="alert" className="error">
              {t(inputError.problem, { file: inputError.file })}
            </p>
          )}
          <p className="hint">{t('penHint')}</p>
        </div>
        <div className="narrow">
          <h3>{t('inputHeading')}</h3>
          <GrayCanvas
            values={input ?? new Float32Array(784)}
            width={28}
            height={28}
            scale={5}
            label={t('inputLabel')}
          />
          <p className="hint">{t('inputHint')}</p>
        </div>
        <div>
          <h3>{t('prediction')}</h3>
          <p
            className={best === null ? 'big none' : 'big'}
            data-testid="top-prediction"
            aria-live="polite"
          >
            {best === null ? '–' : best}
          </p>
          {!model && <p className="hint">{t('noModel')}</p>}
          <ol className="probabilities" start={0} aria-label={t('probabilities')}>
            {Array.from({ length: 10 }, (_, digit) => {
              const p = probabilities?.[digit] ?? 0;
              return (
                <li
                  // biome-ignore lint/suspicious/noArrayIndexKey: the ten classes are positional
                  key={digit}
                  data-digit={digit}
                  data-probability={p.toFixed(6)}
                  className={digit === best ? 'best' : undefined}
                >
                  <span className="digit">{digit}</span>
                  <meter min={0} max={1} value={p} aria-label={t('probabilityOf', { digit })} />
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
