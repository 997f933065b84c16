import { useEffect, useRef } from 'react';

/**
 * A grey-level image drawn pixel for pixel and scaled up without smoothing. `values` are row-major;
 * with `normalize` the range min..max maps to black..white, otherwise 0..1 does.
 */
export function GrayCanvas({
  values,
  width,
  height,
  scale = 4,
  normalize = false,
  label,
  className,
}: {
  values: ArrayLike<number>;
  width: number;
  height: number;
  scale?: number;
  normalize?: boolean;
  label: string;
  className?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const context = canvas?.getContext('2d');
    if (!canvas || !context) return;
    let lo = 0;
    let hi = 1;
    if (normalize) {
      lo = Number.POSITIVE_INFINITY;
      hi = Number.NEGATIVE_INFINITY;
      for (let i = 0; i < width * height; i++) {
        lo = Math.min(lo, values[i]!);
        hi = Math.max(hi, values[i]!);
      }
      if (hi === lo) hi = lo + 1;
    }
    const image = context.createImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      const v = Math.round(Math.max(0, Math.min(1, (values[i]! - lo) / (hi - lo))) * 255);
      image.data[4 * i] = v;
      image.data[4 * i + 1] = v;
      image.data[4 * i + 2] = v;
      image.data[4 * i + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }, [values, width, height, normalize]);
  return (
    <canvas
      ref={ref}
      width={width}
      height={height}
      role="img"
      aria-label={label}
      className={className ?? 'pixelated'}
      style={{ width: width * scale, height: height * scale }}
    />
  );
}
