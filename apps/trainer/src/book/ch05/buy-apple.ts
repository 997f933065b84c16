/**
 * `ch05/buy_apple.py` (section 5.4.1, figure 5-16): two apples at 100 each, then 10% tax, as a
 * computational graph of two multiplication layers. Forward gives the price; backward from
 * dprice = 1 gives how much the price moves per unit of each input.
 */
import { MulLayer } from '@scratchnet/layers';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';

export function run(ctx: BookContext): void {
  const apple = 100;
  const appleNum = 2;
  const tax = 1.1;

  const mulAppleLayer = new MulLayer();
  const mulTaxLayer = new MulLayer();

  // forward
  const applePrice = mulAppleLayer.forward(apple, appleNum);
  const price = mulTaxLayer.forward(applePrice, tax);

  // backward
  const dprice = 1;
  const [dapplePrice, dtax] = mulTaxLayer.backward(dprice);
  const [dapple, dappleNum] = mulAppleLayer.backward(dapplePrice);

  ctx.print('price:', Math.trunc(price)); // int(220.00000000000003)
  ctx.print('dApple:', pyFloat(dapple));
  ctx.print('dApple_num:', Math.trunc(dappleNum)); // int(110.00000000000001)
  ctx.print('dTax:', dtax); // a Python int: 1 × 200
}
