import { describe, expect, it } from 'vitest';
import { ImageInputError, mnistPixelsFromImage } from './digit-image.js';

/** A white image with black strokes (the pen on the playground's canvas), RGBA. */
function drawing(width: number, height: number, strokes: [number, number, number, number][]) {
  const rgba = new Uint8Array(width * height * 4).fill(255);
  for (const [x0, y0, x1, y1] of strokes) {
    for (let t = 0; t <= 1; t += 0.002) {
      const cx = x0 + (x1 - x0) * t;
      const cy = y0 + (y1 - y0) * t;
      for (let dy = -6; dy <= 6; dy++) {
        for (let dx = -6; dx <= 6; dx++) {
          if (dx * dx + dy * dy > 36) continue;
          const x = Math.round(cx + dx);
          const y = Math.round(cy + dy);
          if (x < 0 || y < 0 || x >= width || y >= height) continue;
          rgba.fill(0, 4 * (y * width + x), 4 * (y * width + x) + 3);
        }
      }
    }
  }
  return { width, height, rgba };
}

describe('mnistPixelsFromImage', () => {
  it('centres the ink: the centre of mass lands near (14, 14) and the longer side is 20 px', () => {
    const pixels = mnistPixelsFromImage(drawing(280, 280, [[140, 40, 140, 240]]));
    let mass = 0;
    let mx = 0;
    let my = 0;
    let top = 28;
    let bottom = -1;
    pixels.forEach((v, i) => {
      mass += v;
      mx += v * (i % 28);
      my += v * Math.floor(i / 28);
      if (v > 0.2) {
        top = Math.min(top, Math.floor(i / 28));
        bottom = Math.max(bottom, Math.floor(i / 28));
      }
    });
    expect(Math.abs(mx / mass - 14)).toBeLessThan(1);
    expect(Math.abs(my / mass - 14)).toBeLessThan(1);
    expect(bottom - top + 1).toBeGreaterThanOrEqual(19);
    expect(bottom - top + 1).toBeLessThanOrEqual(20);
  });

  it('refuses a blank canvas', () => {
    expect(() => mnistPixelsFromImage(drawing(50, 50, []))).toThrow(ImageInputError);
  });
});
