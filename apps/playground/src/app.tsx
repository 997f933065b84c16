import { useEffect, useRef } from 'react';
import { loadShippedModel } from './components/model-panel.js';
import { syncUrl, useApp, VIEWS, type View } from './store.js';
import { Chapter6View } from './views/chapter6-view.js';
import { DrawView } from './views/draw-view.js';
import { InsideView } from './views/inside-view.js';
import { TrainView } from './views/train-view.js';

const TITLES: Record<View, string> = {
  draw: 'Draw',
  inside: 'Look inside',
  train: 'Train',
  chapter6: 'Chapter 6',
};

/** The playground: four views behind accessible tabs (arrow keys move between them). */
export function App() {
  const view = useApp((s) => s.view);
  const setup = useApp((s) => s.setup);
  const urlErrors = useApp((s) => s.urlErrors);
  const setView = useApp((s) => s.setView);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    void loadShippedModel();
  }, []);
  useEffect(() => syncUrl(view, setup), [view, setup]);

  const onKeyDown = (event: React.KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (delta === 0) return;
    event.preventDefault();
    const next = (index + delta + VIEWS.length) % VIEWS.length;
    setView(VIEWS[next]!);
    tabs.current[next]?.focus();
  };

  return (
    <main>
      <header>
        <h1>scratchnet playground</h1>
        <p className="hint">
          <em>Deep Learning from Scratch</em> in the browser: draw a digit, look inside the network,
          train one, and see chapter 6 in pictures.
        </p>
      </header>
      {urlErrors.length > 0 && (
        <p role="alert" className="error">
          Some of the link's settings were ignored: {urlErrors.join('; ')}
        </p>
      )}
      <div role="tablist" aria-label="Views" className="tabs">
        {VIEWS.map((v, i) => (
          <button
            key={v}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${v}`}
            aria-selected={view === v}
            aria-controls={`panel-${v}`}
            tabIndex={view === v ? 0 : -1}
            onClick={() => setView(v)}
            onKeyDown={(event) => onKeyDown(event, i)}
          >
            {TITLES[v]}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${view}`} aria-labelledby={`tab-${view}`}>
        {/* The draw view stays mounted (hidden) so the drawing survives a look inside. */}
        <div hidden={view !== 'draw'}>
          <DrawView />
        </div>
        {view === 'inside' && <InsideView />}
        {view === 'train' && <TrainView />}
        {view === 'chapter6' && <Chapter6View />}
      </div>
    </main>
  );
}
