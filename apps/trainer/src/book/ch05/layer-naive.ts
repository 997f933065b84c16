/**
 * `ch05/layer_naive.py` (sections 5.4.1–5.4.2): the multiplication and addition layers,
 * `MulLayer` and `AddLayer`, each a `forward` and a `backward`. The book's file holds only the
 * classes; this runs each once: forward gives x·y and x + y, backward hands dout on as
 * (dout·y, dout·x) and (dout, dout): the multiplication swaps its inputs, the addition passes
 * the gradient through. `buy-apple` and `buy-apple-orange` build the book's shopping graphs
 * from them.
 */
import { AddLayer, MulLayer } from '@scratchnet/layers';
import type { BookContext } from '../context.js';

export function run(ctx: BookContext): void {
  const mulLayer = new MulLayer();
  ctx.print(`MulLayer.forward(100, 2): ${mulLayer.forward(100, 2)}`); // 200
  const [dx, dy] = mulLayer.backward(1);
  ctx.print(`MulLayer.backward(1): ${dx} ${dy}`); // 2 100: each input gets the other one

  const addLayer = new AddLayer();
  ctx.print(`AddLayer.forward(200, 450): ${addLayer.forward(200, 450)}`); // 650
  const [da, db] = addLayer.backward(1.1);
  ctx.print(`AddLayer.backward(1.1): ${da} ${db}`); // 1.1 1.1: passed through unchanged
}
