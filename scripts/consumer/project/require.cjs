// CommonJS users on Node >= 20.19 load the ES modules with require().
const { tensor } = require('@scratchnet/tensor');
const { Linear } = require('@scratchnet/layers');
const { SGD } = require('@scratchnet/optimizers');
const x = tensor([1, 2], [2], { requiresGrad: true });
x.mul(x).sum().backward();
const layer = new Linear(2, 3);
new SGD(layer.parameters(), { lr: 0.1 });
console.log(JSON.stringify({ grad: x.grad.toArray(), weight: layer.weight.shape }));
