import { startTransition, useEffect, useState } from 'react';
import { chapter6Messages } from '../i18n/messages/chapter6.js';
import { useMessages } from '../i18n/use-messages.js';
import { ActivationHistogramsView } from './experiments/activation-histograms.js';
import { BatchNormCompare } from './experiments/batch-norm-compare.js';
import { OptimizerRace } from './experiments/optimizer-race.js';
import { OverfitExperiment } from './experiments/overfit.js';
import { WeightInitCompare } from './experiments/weight-init-compare.js';
import './experiments.css';

const SECTIONS = [
  ['race', OptimizerRace],
  ['histograms', ActivationHistogramsView],
  ['weight-init', WeightInitCompare],
  ['batch-norm', BatchNormCompare],
  ['overfit', OverfitExperiment],
] as const;

/**
 * The book's chapter 6, each experiment run in the experiment worker with the book's settings:
 * the optimizer race, activation histograms, initial weights, batch normalization, overfitting.
 * The sections mount one per task after the tab opens (a transition each), so opening it never
 * blocks the page for long; leaving the view stops what runs.
 */
export function Chapter6View() {
  const t = useMessages(chapter6Messages);
  const [mounted, setMounted] = useState(0);
  useEffect(() => {
    if (mounted >= SECTIONS.length) return;
    const timer = setTimeout(() => startTransition(() => setMounted((n) => n + 1)), 0);
    return () => clearTimeout(timer);
  }, [mounted]);
  return (
    <section aria-labelledby="ch6-heading" className="view experiments">
      <h2 id="ch6-heading">{t('heading')}</h2>
      {SECTIONS.slice(0, mounted).map(([name, Section]) => (
        <Section key={name} />
      ))}
    </section>
  );
}
