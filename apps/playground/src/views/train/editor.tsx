import { memo } from 'react';
import type { LayerSpec, TrainSetup } from '../../lib/setup.js';
import { trainer } from '../../lib/trainer-client.js';
import { useApp } from '../../store.js';
import { NetworkPanel, type Preview } from './network-panel.js';
import { SettingsPanel } from './settings-panel.js';

/** The network and hyperparameter editor; memoised, so training updates do not re-render it. */
export const Editor = memo(function Editor({
  setup,
  editable,
  startsOver,
  preview,
}: {
  setup: TrainSetup;
  editable: boolean;
  /** A stopped run is kept: editing throws it away, and says so. */
  startsOver: boolean;
  preview: Preview;
}) {
  const setSetup = useApp((s) => s.setSetup);
  const change = (next: Partial<TrainSetup>) => {
    const updated = { ...setup, ...next };
    setSetup(updated);
    trainer.setup(updated);
  };
  return (
    <div className="row train-editor">
      <NetworkPanel
        layers={setup.layers}
        editable={editable}
        startsOver={startsOver}
        preview={preview}
        onChange={(layers: LayerSpec[]) => change({ layers })}
      />
      <SettingsPanel setup={setup} editable={editable} onChange={change} />
    </div>
  );
});
