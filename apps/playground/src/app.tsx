import { useEffect, useRef } from 'react';
import { loadShippedModel } from './components/model-panel.js';
import { LANGUAGE_NAMES, LANGUAGES, type Language } from './i18n/i18n.js';
import { appMessages } from './i18n/messages/app.js';
import { linkErrorText } from './i18n/messages/link.js';
import { useMessages } from './i18n/use-messages.js';
import { syncUrl, useApp, VIEWS, type View } from './store.js';
import { Chapter4View } from './views/chapter4-view.js';
import { Chapter6View } from './views/chapter6-view.js';
import { DrawView } from './views/draw-view.js';
import { InsideView } from './views/inside-view.js';
import { TrainView } from './views/train/train-view.js';

const TAB_KEYS = {
  draw: 'tabDraw',
  inside: 'tabInside',
  train: 'tabTrain',
  chapter4: 'tabChapter4',
  chapter6: 'tabChapter6',
} as const satisfies Record<View, string>;

/** The playground: one view per entry of `TAB_KEYS`, behind accessible tabs (arrow keys move). */
export function App() {
  const view = useApp((s) => s.view);
  const setup = useApp((s) => s.setup);
  const urlErrors = useApp((s) => s.urlErrors);
  const setView = useApp((s) => s.setView);
  const lang = useApp((s) => s.lang);
  const setLang = useApp((s) => s.setLang);
  const t = useMessages(appMessages);
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    void loadShippedModel();
  }, []);
  useEffect(() => syncUrl(view, setup, lang), [view, setup, lang]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('title');
  }, [lang, t]);

  const onKeyDown = (event: React.KeyboardEvent, index: number) => {
    const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (delta === 0) return;
    event.preventDefault();
    const next = (index + delta + VIEWS.length) % VIEWS.length;
    setView(VIEWS[next]!);
    tabs.current[next]?.focus();
  };

  return (
    <>
      <header className="app-header">
        <div className="app-header-inner">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              sn
            </span>
            <h1>{t('title')}</h1>
          </div>
          <label className="language">
            {t('language')}
            <select value={lang} onChange={(event) => setLang(event.target.value as Language)}>
              {LANGUAGES.map((code) => (
                <option key={code} value={code} lang={code}>
                  {LANGUAGE_NAMES[code]}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p className="intro">{t('intro')}</p>
      </header>
      <main>
        {urlErrors.length > 0 && (
          <div role="alert" className="alert warning">
            <p>{t('linkIgnored')}</p>
            <ul>
              {urlErrors.map((error) => (
                <li key={`${error.param}-${error.value}`}>{linkErrorText(error, lang)}</li>
              ))}
            </ul>
          </div>
        )}
        <div role="tablist" aria-label={t('views')} className="tabs">
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
              {t(TAB_KEYS[v])}
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
          {view === 'chapter4' && <Chapter4View />}
          {view === 'chapter6' && <Chapter6View />}
        </div>
      </main>
    </>
  );
}
