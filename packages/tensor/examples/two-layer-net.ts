/**
 * The book's chapter 4–5 TwoLayerNet, written with nothing but tensors and autograd: it learns to
 * tell three interleaved spirals apart. Run it with `pnpm example` from the repository root.
 */
import {
  manualSeed,
  noGrad,
  predictClasses,
  randn,
  softmaxCrossEntropy,
  tensor,
  zeros,
} from '@scratchnet/tensor';

manualSeed(42);

// Three spiral arms of 100 points each: not separable by a straight line, so the hidden layer matters.
const pointsPerClass = 100;
const classes = 3;
const xs: number[] = [];
const labels: number[] = [];
for (let c = 0; c < classes; c++) {
  const noise = randn([pointsPerClass]).dataSync();
  for (let i = 0; i < pointsPerClass; i++) {
    const radius = i / pointsPerClass;
    const angle = c * 4 + radius * 4 + noise[i]! * 0.2;
    xs.push(radius * Math.sin(angle), radius * Math.cos(angle));
    labels.push(c);
  }
}
const x = tensor(xs, [pointsPerClass * classes, 2]);

// Parameters as in the book's TwoLayerNet: W1 (2, 50), b1, W2 (50, 3), b2; weight_init_std 1 here
// because the inputs are small.
const hidden = 50;
const W1 = randn([2, hidden]).mul(1).requireGrad();
const b1 = zeros([hidden], { requiresGrad: true });
const W2 = randn([hidden, classes]).mul(0.1).requireGrad();
const b2 = zeros([classes], { requiresGrad: true });
const params = [W1, b1, W2, b2];

const learningRate = 1;
for (let step = 0; step <= 2000; step++) {
  const logits = x.matmul(W1).add(b1).relu().matmul(W2).add(b2);
  const loss = softmaxCrossEntropy(logits, labels);
  for (const p of params) p.grad = null;
  loss.backward();
  noGrad(() => {
    for (const p of params) p.assign(p.sub(p.grad!.mul(learningRate)));
  });
  if (step % 250 === 0) {
    const predicted = predictClasses(logits);
    const accuracy = predicted.filter((p, i) => p === labels[i]).length / labels.length;
    console.log(
      `step ${String(step).padStart(4)}  loss ${loss.item().toFixed(4)}  accuracy ${(accuracy * 100).toFixed(1)}%`,
    );
  }
}
