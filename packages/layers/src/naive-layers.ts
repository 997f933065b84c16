/**
 * The book's first layers (section 5.4, `ch05/layer_naive.py`): a multiplication and an addition
 * node of the computational graph, on plain numbers, each with a hand-written backward pass. They
 * are for following the shopping examples of chapter 5 (`buy_apple.py`, `buy_apple_orange.py`)
 * step by step; real layers (`Linear`, `ReLU`, …) take tensors and get their backward pass from
 * autograd.
 */

/**
 * The book's `MulLayer` (section 5.4.1): out = x·y. `forward` keeps x and y, because the
 * backward pass of a product swaps them: dx = dout·y, dy = dout·x.
 *
 * @example
 * const mulApple = new MulLayer();
 * const mulTax = new MulLayer();
 * const price = mulTax.forward(mulApple.forward(100, 2), 1.1); // 220.00000000000003
 * const [dApplePrice, dTax] = mulTax.backward(1); // 1.1, 200
 * const [dApple, dAppleNum] = mulApple.backward(dApplePrice); // 2.2, 110.00000000000001
 */
export class MulLayer {
  /** The x of the last `forward`, kept for `backward`. */
  x: number | null = null;
  /** The y of the last `forward`, kept for `backward`. */
  y: number | null = null;

  /** x·y, keeping x and y for the backward pass. */
  forward(x: number, y: number): number {
    this.x = x;
    this.y = y;
    return x * y;
  }

  /** [dx, dy] = [dout·y, dout·x], with the x and y of the last `forward`. */
  backward(dout: number): [dx: number, dy: number] {
    if (this.x === null || this.y === null) {
      throw new Error('MulLayer.backward: call forward first (backward needs its x and y)');
    }
    return [dout * this.y, dout * this.x];
  }
}

/**
 * The book's `AddLayer` (section 5.4.2): out = x + y. The backward pass of a sum passes the
 * upstream gradient on unchanged to both inputs, so nothing is kept.
 *
 * @example
 * const add = new AddLayer();
 * add.forward(200, 450); // 650
 * add.backward(1.1); // [1.1, 1.1]
 */
export class AddLayer {
  /** x + y. */
  forward(x: number, y: number): number {
    return x + y;
  }

  /** [dx, dy] = [dout·1, dout·1]. */
  backward(dout: number): [dx: number, dy: number] {
    return [dout * 1, dout * 1];
  }
}
