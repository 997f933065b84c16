import type { Browser, Locator, Page } from 'playwright-core';
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

/**
 * The book's experiments (chapters 4 and 6) in Chromium: run in the experiment worker, driven by
 * keyboard and mouse, and the page never blocked for more than 50 ms while they open and run.
 */
const baseUrl = inject('baseUrl');

let browser: Browser;
let page: Page;
let longTasks: () => Promise<number[]>;
const problems: { type: string; text: string }[] = [];

/** Clears a number field and types `text` key by key, then Enter. */
async function typeInto(field: Locator, text: string): Promise<void> {
  await field.click();
  await field.press('Control+a');
  await field.press('Backspace');
  await field.pressSequentially(text);
  await field.press('Enter');
}

const attr = async (locator: Locator, name: string) => (await locator.getAttribute(name)) ?? '';
const num = async (locator: Locator, name: string) => Number(await attr(locator, name));

beforeAll(async () => {
  browser = await launchChromium();
  const opened = await openPage(browser, `${baseUrl}?view=draw&lang=en`);
  page = opened.page;
  problems.push(...opened.console);
  // The page settles (the shipped model loads) before the long tasks are counted.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(500);
  longTasks = await recordLongTasks(page);
});

afterAll(async () => {
  await browser?.close();
});

describe('chapter 4: gradient descent (figure 4-10)', () => {
  it('opens without a long task and ends near (0, 0) with the book’s lr 0.1', async () => {
    await page.getByRole('tab', { name: 'Chapter 4' }).click();
    const plot = page.getByTestId('gd-plot');
    await expect.poll(() => attr(plot, 'data-points')).toBe('21');
    expect(await attr(plot, 'data-lr')).toBe('0.1');
    expect(Math.hypot(await num(plot, 'data-end-x'), await num(plot, 'data-end-y'))).toBeLessThan(
      0.1,
    );
    expect(await page.getByTestId('gd-end').textContent()).toMatch(/After 20 steps/);
    expectNoStall(await longTasks(), 'chapter 4: open and run');
  });

  it('oscillates with a typed lr of 1.0, and Reset brings back 0.1', async () => {
    const lr = page.getByLabel('Learning rate η');
    const plot = page.getByTestId('gd-plot');
    await typeInto(lr, '1.0');
    await expect.poll(() => attr(plot, 'data-lr')).toBe('1');
    await expect.poll(async () => JSON.parse(await attr(plot, 'data-path'))[1]).toEqual([3, -4]);
    const path = JSON.parse(await attr(plot, 'data-path')) as [number, number][];
    // Every step jumps to the opposite point: (−3, 4), (3, −4), (−3, 4), …
    for (const [i, [x0, x1]] of path.entries()) {
      expect([x0, x1]).toEqual(i % 2 === 0 ? [-3, 4] : [3, -4]);
    }
    await page.getByRole('button', { name: /Reset to the book/ }).click();
    await expect.poll(() => attr(plot, 'data-lr')).toBe('0.1');
    expect(await lr.inputValue()).toBe('0.1');
    await expect
      .poll(async () => Math.hypot(await num(plot, 'data-end-x'), await num(plot, 'data-end-y')))
      .toBeLessThan(0.1);
    expectNoStall(await longTasks(), 'chapter 4: typed lr 1.0 and reset');
  });
});

describe('chapter 6', () => {
  it('opens without a long task and draws the race and the histograms', async () => {
    const opened = Date.now();
    await page.getByRole('tab', { name: 'Chapter 6' }).click();
    for (const name of ['SGD', 'Momentum', 'AdaGrad', 'Adam']) {
      await expect.poll(() => attr(page.getByTestId(`race-${name}`), 'data-points')).toBe('31');
    }
    await expect
      .poll(() => page.getByTestId('histograms').getByTestId('histogram').count())
      .toBe(20);
    console.info(`chapter 6: race and histograms drawn ${Date.now() - opened} ms after the click`);
    expectNoStall(await longTasks(), 'chapter 6: open, race and histograms');
  });

  it('takes a typed 0.5 as SGD’s learning rate 0.5 (not 1.25), and SGD converges', async () => {
    const sgd = page.getByTestId('race-SGD');
    const field = page.getByLabel('SGD learning rate');
    await typeInto(field, '0.5');
    await expect.poll(() => attr(sgd, 'data-lr')).toBe('0.5');
    expect(await field.inputValue()).toBe('0.5');
    await expect.poll(() => attr(sgd, 'data-end')).not.toBe('');
    // SGD at 0.5 on y²: y is 0 after one step, x shrinks by 0.95 a step: f ≈ 0.5 (1.47e+11 before).
    expect(await num(sgd, 'data-end')).toBeLessThan(1);
    await expect
      .poll(() => page.getByTestId('race-SGD-end').textContent())
      .toMatch(/f = \d\.\d\de[-+]\d+ after 30 steps/);
    // The others keep the book's.
    expect(await attr(page.getByTestId('race-AdaGrad'), 'data-lr')).toBe('1.5');
    await page.getByTestId('race-reset').click();
    await expect.poll(() => attr(sgd, 'data-lr')).toBe('0.95');
  });

  it('shows ReLU histograms with more than one bar per layer, and a caption per init', async () => {
    const select = page.getByTestId('histogram-activation');
    await select.focus();
    await select.selectOption('relu');
    const rows = page.getByTestId('histograms');
    await expect.poll(() => attr(rows, 'data-activation')).toBe('relu');
    for (const init of ['xavier', 'he']) {
      const counts = await page
        .getByTestId(`histogram-row-${init}`)
        .getByTestId('histogram')
        .evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.nonempty)));
      expect(counts).toHaveLength(5);
      for (const c of counts) expect(c).toBeGreaterThan(1);
    }
    const captions = await page.getByTestId('histogram-caption').allTextContents();
    expect(new Set(captions).size).toBe(4);
    expect(captions.join(' ')).not.toMatch(/collapse to 0\.5/);
    expect(captions.join(' ')).toMatch(/figure 6-14/);
    await page.getByTestId('histograms').screenshot({
      path: `${artifacts}/experiments-chapter6-relu.png`,
    });
    await select.selectOption('tanh');
    await expect.poll(() => attr(rows, 'data-activation')).toBe('tanh');
    await select.selectOption('sigmoid');
    await expect.poll(() => attr(rows, 'data-activation')).toBe('sigmoid');
    expect((await page.getByTestId('histogram-caption').allTextContents()).join(' ')).toMatch(
      /figure 6-10/,
    );
    expectNoStall(await longTasks(), 'chapter 6: switching activation');
  });

  for (const [id, name, plot] of [
    ['wi', 'initial weights (figure 6-15)', 'wi-plot'],
    ['bn', 'batch norm (figure 6-19)', 'bn-grid'],
    ['of', 'overfitting (figures 6-20, 6-21, 6-23)', 'of-plot'],
  ] as const) {
    it(`runs ${name} on MNIST with growing curves, and stops`, async () => {
      const status = page.getByTestId(`${id}-status`);
      const points = () => num(page.getByTestId(plot), 'data-points');
      await page.getByTestId(`${id}-run`).click();
      await expect.poll(() => attr(status, 'data-status')).toBe('running');
      await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(0);
      const first = await points();
      await expect.poll(points, { timeout: 120_000 }).toBeGreaterThan(first);
      await page.getByTestId(`${id}-stop`).click();
      await expect.poll(() => attr(status, 'data-status'), { timeout: 30_000 }).toBe('stopped');
      const stoppedAt = await points();
      await page.waitForTimeout(1000);
      expect(await points()).toBe(stoppedAt);
      expect(await status.textContent()).toMatch(/Stopped at/);
      await page
        .getByTestId(plot)
        .screenshot({ path: `${artifacts}/experiments-chapter6-${id}-stopped.png` });
      expectNoStall(await longTasks(), `chapter 6: ${name} on MNIST`);
    });
  }

  it('stops what runs when the view is left', async () => {
    await page.getByTestId('wi-run').click();
    await expect.poll(() => num(page.getByTestId('wi-plot'), 'data-points')).toBeGreaterThan(0);
    await page.getByRole('tab', { name: 'Draw' }).click();
    await page.getByRole('tab', { name: 'Chapter 6' }).click();
    expect(await attr(page.getByTestId('wi-status'), 'data-status')).toBe('idle');
    // The worker is free again: a new run starts from the first iteration.
    await page.getByTestId('wi-run').click();
    await expect.poll(() => num(page.getByTestId('wi-plot'), 'data-points')).toBeGreaterThan(0);
    await page.getByTestId('wi-reset').click();
    expect(await attr(page.getByTestId('wi-status'), 'data-status')).toBe('idle');
    expectNoStall(await longTasks(), 'chapter 6: leave while running');
    expect(problems).toEqual([]);
  });
});

describe('layout and languages', () => {
  for (const lang of ['en', 'ko', 'ja']) {
    for (const colorScheme of ['light', 'dark'] as const) {
      for (const width of [390, 1280]) {
        it(`fits ${width} px, ${colorScheme}, ${lang}`, async () => {
          for (const view of ['chapter4', 'chapter6']) {
            const { page: p, console } = await openPage(
              browser,
              `${baseUrl}?view=${view}&lang=${lang}`,
              { width, colorScheme },
            );
            if (view === 'chapter6') {
              await expect
                .poll(() => p.getByTestId('histograms').getByTestId('histogram').count(), {
                  timeout: 30_000,
                })
                .toBe(20);
            } else {
              await expect
                .poll(() => attr(p.getByTestId('gd-plot'), 'data-points'), { timeout: 30_000 })
                .toBe('21');
            }
            expect(await sidewaysOverflow(p), `${view} ${width} ${lang}`).toBeLessThanOrEqual(0);
            await screenshotTo(p, `experiments-${view}-${lang}-${colorScheme}-${width}`);
            expect(console).toEqual([]);
            await p.context().close();
          }
        });
      }
    }
  }
});
