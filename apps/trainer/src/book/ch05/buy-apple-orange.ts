/**
 * `ch05/buy_apple_orange.py` (section 5.4.2, figure 5-17): two apples at 100 and three oranges
 * at 150, added up, then 10% tax. The addition layer passes its gradient on unchanged to both
 * branches. (Python prints dOrange as 3.3000000000000003 too: 1.1 × 3 in binary floating point;
 * the book's text rounds it to 3.3.)
 */
import { AddLayer, MulLayer } from '@scratchnet/layers';
import type { BookContext } from '../context.js';
import { pyFloat } from '../context.js';

export function run(ctx: BookContext): void {
  const apple = 100;
  const appleNum = 2;
  const orange = 150;
  const orangeNum = 3;
  const tax = 1.1;

  // layer
  const mulAppleLayer = new MulLayer();
  const mulOrangeLayer = new MulLayer();
  const addAppleOrangeLayer = new AddLayer();
  const mulTaxLayer = new MulLayer();

  // forward
  const applePrice = mulAppleLayer.forward(apple, appleNum); // (1)
  const orangePrice = mulOrangeLayer.forward(orange, orangeNum); // (2)
  const allPrice = addAppleOrangeLayer.forward(applePrice, orangePrice); // (3)
  const price = mulTaxLayer.forward(allPrice, tax); // (4)

  // backward
  const dprice = 1;
  const [dallPrice, dtax] = mulTaxLayer.backward(dprice); // (4)
  const [dapplePrice, dorangePrice] = addAppleOrangeLayer.backward(dallPrice); // (3)
  const [dorange, dorangeNum] = mulOrangeLayer.backward(dorangePrice); // (2)
  const [dapple, dappleNum] = mulAppleLayer.backward(dapplePrice); // (1)

  ctx.print('price:', Math.trunc(price));
  ctx.print('dApple:', pyFloat(dapple));
  ctx.print('dApple_num:', Math.trunc(dappleNum));
  ctx.print('dOrange:', pyFloat(dorange));
  ctx.print('dOrange_num:', Math.trunc(dorangeNum));
  ctx.print('dTax:', dtax);
}
