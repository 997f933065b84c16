/**
 * The Train view and Look inside, live, in Chromium: train a few hundred steps, stop, read the
 * final and best test accuracy, continue (the step count goes on), watch the filters and feature
 * maps refresh while training, name a divergence (SGD with lr 10), keep the main thread free, and
 * fit a 390 px phone in light and dark, in English, Korean and Japanese.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  artifacts,
  expectNoStall,
  launchChromium,
  openPage,
  recordLongTasks,
  screenshotTo,
  sidewaysOverflow,
} from './browser.js';

const baseUrl = inject('baseUrl');
let browser: Browser;
let page: Page;
let errors: { type: string; text: string }[];

const status = () => page.getByTestId('train-status');
const state = () => status().getAttribute('data-state');
async function steps(p: Page = page): Promise<number> {
  const text = (await p.getByTestId('train-status').textContent()) ?? '';
  return Number(/step (\d+)/.exec(text)?.[1] ?? 0);
}

/** Types into a labelled field key by key, as a person does, and commits with Enter. */
async function typeInto(p: Page, label: string, text: string): Promise<void> {
  const field = p.getByLabel(label, { exact: true });
  await field.click();
  await p.keyboard.press('Control+a');
  await p.keyboard.press('Backspace');
  await p.keyboard.type(text, { delay: 20 });
  await p.keyboard.press('Enter');
}

/** The first canvas's pixels of a layer's feature maps. */
function mapPixels(p: Page, layer: string): Promise<string> {
  return p
    .getByTestId(`feature-maps-${layer}`)
    .locator('canvas')
    .first()
    .evaluate((canvas) => (canvas as HTMLCanvasElement).toDataURL());
}

beforeAll(async () => {
  browser = await launchChromium();
  // Two convolution layers, so that every conv layer's filters are shown.
  ({ page, console: errors } = await openPage(
    browser,
    `${baseUrl}?view=train&net=c8k5-r-p2-c8k3-r-f32-r&threads=1`,
  ));
});

afterAll(async () => {
  await browser?.close();
});

describe('the Train view', () => {
  let stoppedAt = 0;

  it('trains a few hundred steps without a long task, then Stop shows the final and best test accuracy', async () => {
    await expect.poll(state, { timeout: 120_000 }).toBe('idle');
    await typeInto(page, 'Batch size', '32');
    await expect.poll(() => new URL(page.url()).searchParams.get('bs')).toBe('32');
    // Before a run: no throughput is claimed.
    expect(await page.getByTestId('images-per-second').textContent()).toBe('—');
    const longTasks = await recordLongTasks(page);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await expect
      .poll(() => steps(), { timeout: 180_000, interval: 500 })
      .toBeGreaterThanOrEqual(250);
    const ips = Number(await page.getByTestId('images-per-second').getAttribute('data-value'));
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(state, { timeout: 60_000 }).toBe('stopped');
    stoppedAt = await steps();
    const final = page.getByTestId('final-accuracy');
    // The stop's evaluation on the whole test set.
    await expect
      .poll(() => final.textContent(), { timeout: 60_000 })
      .toContain('10,000 test images');
    const finalValue = Number(await final.getAttribute('data-value'));
    const bestValue = Number(await page.getByTestId('best-accuracy').getAttribute('data-value'));
    expect(finalValue).toBeGreaterThan(0.8);
    expect(bestValue).toBeGreaterThanOrEqual(finalValue - 0.05);
    expect(await final.textContent()).toMatch(/\d\d\.\d\d%/);
    const tasks = await longTasks();
    writeFileSync(
      join(artifacts, 'train-e2e.json'),
      `${JSON.stringify({ steps: stoppedAt, imagesPerSecond: ips, finalValue, bestValue, longTasks: tasks }, null, 2)}\n`,
    );
    console.log('train e2e', { stoppedAt, ips, finalValue, bestValue, longTasks: tasks });
    expect(ips).toBeGreaterThan(50);
    expectNoStall(tasks, 'training');
    // The accuracy axis is zoomed to the data, not 0–100%.
    const ticks = await page.getByTestId('accuracy-chart').locator('.u-axis').allTextContents();
    console.log('accuracy chart axes', ticks);
    await screenshotTo(page, 'train-stopped');
  });

  it('asks at Start after Stop; Continue goes on from the trained network', async () => {
    const points = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    const question = page.getByRole('alertdialog');
    await question.waitFor();
    expect(await question.textContent()).toContain(`after ${stoppedAt} steps`);
    await screenshotTo(page, 'train-question');
    // The question has the focus on Continue: Enter answers it.
    await page.keyboard.press('Enter');
    await expect.poll(state).toBe('running');
    await expect.poll(() => steps(), { timeout: 60_000 }).toBeGreaterThan(stoppedAt + 20);
    // The chart kept the earlier steps.
    expect(
      Number(await page.getByTestId('loss-chart').getAttribute('data-points')),
    ).toBeGreaterThan(points);
  });

  it('shows every conv layer’s filters in Look inside, refreshed while training', async () => {
    const switching = await recordLongTasks(page);
    await page.getByRole('tab', { name: 'Look inside' }).click();
    const live = page.getByTestId('live');
    await live.waitFor({ timeout: 60_000 });
    await page.waitForTimeout(500);
    expectNoStall(await switching(), 'switch to Look inside');
    // While it refreshes from the worker (every 100 steps), the main thread stays free.
    const longTasks = await recordLongTasks(page);
    expect(await page.getByTestId('filters-conv1').locator('canvas').count()).toBe(8);
    expect(await page.getByTestId('filters-conv2').locator('canvas').count()).toBe(8);
    for (const layer of ['conv1', 'relu1', 'pool1', 'conv2', 'relu2', 'fc1', 'relu3', 'fc2']) {
      expect(await page.getByTestId(`feature-maps-${layer}`).count(), layer).toBe(1);
    }
    expect(await page.getByTestId('color-scale').count()).toBeGreaterThanOrEqual(10);
    const first = Number(await live.getAttribute('data-step'));
    await page.waitForTimeout(500);
    const before = await mapPixels(page, 'conv2');
    await expect
      .poll(async () => Number(await live.getAttribute('data-step')), { timeout: 60_000 })
      .toBeGreaterThan(first);
    const second = Number(await live.getAttribute('data-step'));
    // The canvases are painted a few per frame after the refresh.
    await expect.poll(() => mapPixels(page, 'conv2'), { timeout: 10_000 }).not.toBe(before);
    await expect
      .poll(async () => Number(await live.getAttribute('data-step')), { timeout: 60_000 })
      .toBeGreaterThan(second);
    console.log('long tasks while Look inside refreshed', await longTasks());
    expectNoStall(await longTasks(), 'look inside refreshing');
    await screenshotTo(page, 'inside-live');
  });

  it('fits 390 px, light and dark, in English, Korean and Japanese', async () => {
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(state).toBe('paused');
    const overflow: Record<string, number> = {};
    for (const lang of ['en', 'ko', 'ja'] as const) {
      await page.locator('.language select').selectOption(lang);
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        for (const width of [390, 1280]) {
          await page.setViewportSize({ width, height: 900 });
          for (const view of ['train', 'inside'] as const) {
            await page
              .locator('[role="tab"]')
              .nth(view === 'train' ? 2 : 1)
              .click();
            await page.waitForTimeout(300);
            const name = `${view}-${lang}-${colorScheme}-${width}`;
            overflow[name] = await sidewaysOverflow(page);
            await screenshotTo(page, name);
          }
        }
      }
    }
    console.log('sideways overflow', overflow);
    for (const [name, px] of Object.entries(overflow)) expect(px, name).toBeLessThanOrEqual(0);
    await page.locator('.language select').selectOption('en');
  });

  it('opens in Japanese from ?lang=ja, with the book’s words', async () => {
    const { page: ja } = await openPage(browser, `${baseUrl}?view=train&lang=ja&threads=1`, {
      width: 390,
    });
    try {
      await ja.getByRole('heading', { name: 'ブラウザで学習' }).waitFor();
      expect(await ja.getByLabel('学習率').count()).toBe(1);
      expect(await ja.getByLabel('バッチサイズ').count()).toBe(1);
      expect(await sidewaysOverflow(ja)).toBeLessThanOrEqual(0);
    } finally {
      await ja.context().close();
    }
  });
});

describe('divergence', () => {
  it('names SGD with lr 10 and says to lower the learning rate', async () => {
    const { page: sgd } = await openPage(browser, `${baseUrl}?view=train&opt=sgd&threads=1`);
    try {
      await expect
        .poll(() => sgd.getByTestId('train-status').getAttribute('data-state'), {
          timeout: 120_000,
        })
        .toBe('idle');
      await typeInto(sgd, 'Learning rate', '10');
      await expect.poll(() => new URL(sgd.url()).searchParams.get('lr')).toBe('10');
      await sgd.getByRole('button', { name: 'Start', exact: true }).click();
      const alert = sgd.getByTestId('divergence');
      await alert.waitFor({ timeout: 180_000 });
      const text = (await alert.textContent()) ?? '';
      console.log('divergence', text, await steps(sgd));
      expect(await alert.getAttribute('data-kind')).toMatch(/stuck|exploding|non-finite/);
      expect(text).toContain('lower it (try 1)');
      await sgd.getByRole('button', { name: 'Stop' }).click();
      await screenshotTo(sgd, 'train-divergence');
    } finally {
      await sgd.context().close();
    }
  });

  it('left no console errors on the main page', () => {
    expect(errors.filter((e) => e.type !== 'warning')).toEqual([]);
  });
});
