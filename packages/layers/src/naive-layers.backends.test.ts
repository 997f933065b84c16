import { describeEachBackend } from '@scratchnet/tensor/testing';
import { expect, it } from 'vitest';
import { AddLayer, MulLayer } from './naive-layers.js';

const near = (actual: number, expected: number) => {
  expect(Math.abs(actual - expected)).toBeLessThan(1e-9);
};

describeEachBackend('the book’s naive layers (ch05/layer_naive.py)', () => {
  it('buy_apple.py: 2 apples at 100 with tax 1.1 → price 220, dApple 2.2, dApple_num 110, dTax 200', () => {
    const mulAppleLayer = new MulLayer();
    const mulTaxLayer = new MulLayer();

    const applePrice = mulAppleLayer.forward(100, 2);
    const price = mulTaxLayer.forward(applePrice, 1.1);

    const [dApplePrice, dTax] = mulTaxLayer.backward(1);
    const [dApple, dAppleNum] = mulAppleLayer.backward(dApplePrice);

    // Python prints 220.00000000000003 before the book's int(price): the same float64 product.
    expect(price).toBe(220.00000000000003);
    near(price, 220);
    near(dApple, 2.2);
    near(dAppleNum, 110);
    near(dTax, 200);
    expect(dApplePrice).toBe(1.1);
  });

  it('buy_apple_orange.py: + 3 oranges at 150 → price 715, dOrange 3.3, dOrange_num 165, dTax 650', () => {
    const mulAppleLayer = new MulLayer();
    const mulOrangeLayer = new MulLayer();
    const addAppleOrangeLayer = new AddLayer();
    const mulTaxLayer = new MulLayer();

    const applePrice = mulAppleLayer.forward(100, 2);
    const orangePrice = mulOrangeLayer.forward(150, 3);
    const allPrice = addAppleOrangeLayer.forward(applePrice, orangePrice);
    const price = mulTaxLayer.forward(allPrice, 1.1);

    const [dAllPrice, dTax] = mulTaxLayer.backward(1);
    const [dApplePrice, dOrangePrice] = addAppleOrangeLayer.backward(dAllPrice);
    const [dOrange, dOrangeNum] = mulOrangeLayer.backward(dOrangePrice);
    const [dApple, dAppleNum] = mulAppleLayer.backward(dApplePrice);

    expect(allPrice).toBe(650);
    near(price, 715);
    near(dAppleNum, 110);
    near(dApple, 2.2);
    near(dOrange, 3.3);
    near(dOrangeNum, 165);
    near(dTax, 650);
    // Python prints dOrange as 3.3000000000000003.
    expect(dOrange).toBe(3.3000000000000003);
  });

  it('MulLayer keeps its inputs and swaps them backward; AddLayer passes dout to both', () => {
    const mul = new MulLayer();
    expect(mul.forward(3, -4)).toBe(-12);
    expect([mul.x, mul.y]).toEqual([3, -4]);
    expect(mul.backward(2)).toEqual([-8, 6]);
    expect(new AddLayer().backward(0.5)).toEqual([0.5, 0.5]);
    expect(() => new MulLayer().backward(1)).toThrow(/call forward first/);
  });
});
