import { DeepConvNet, SimpleConvNet } from '@scratchnet/layers';
import { useMemo } from 'react';

/** The networks the playground knows, with their layer tables as `summary()` prints them. */
export function App() {
  const summaries = useMemo(
    () => [new SimpleConvNet(), new DeepConvNet()].map((net) => net.summary([1, 1, 28, 28])),
    [],
  );
  return (
    <main>
      <h1>scratchnet playground</h1>
      {summaries.map((text) => (
        <pre key={text}>{text}</pre>
      ))}
    </main>
  );
}
