// A user's TypeScript, checked with strict settings and module/moduleResolution nodenext.
import { initWasmBackend } from '@scratchnet/backend-wasm';
import { loadMnist } from '@scratchnet/datasets/node';
import { Conv2d, Linear, type Network, SimpleConvNet } from '@scratchnet/layers';
import { Adam, SGD } from '@scratchnet/optimizers';
import { loadModel, saveModel } from '@scratchnet/serialization';
import { type Tensor, tensor } from '@scratchnet/tensor';
import { type EpochResult, evaluate, fit } from '@scratchnet/training';

export async function run(): Promise<number> {
  await initWasmBackend({ threads: 1 });
  const x: Tensor = tensor([1, 2, 3], [3], { requiresGrad: true });
  x.mul(x).sum().backward();
  const grad: Tensor | null | undefined = x.grad;
  const layers = [new Conv2d(1, 4, 3), new Linear(4, 2)];
  const net: Network = new SimpleConvNet();
  const optimizers = [new SGD(net.parameters(), { lr: 0.1 }), new Adam(net.parameters())];
  const { train } = loadMnist({ normalize: true, flatten: false });
  const history: EpochResult[] = (await fit(net, train.dataset.subset([0, 1, 2, 3]), { epochs: 1 }))
    .history;
  const again: Network = loadModel(saveModel(net));
  const { accuracy } = await evaluate(again, train.dataset.subset([0, 1]));
  return accuracy + history.length + layers.length + optimizers.length + (grad ? 1 : 0);
}
