/**
 * The look of the playground: every view at a phone's width and a desktop's, light and dark, in
 * each language, with no sideways scroll and nothing on the console (screenshots in
 * test-results/look-<view>-<width>-<scheme>-<lang>.png, to look at); the language switcher; and
 * drawing a tiny digit in a corner of the canvas.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { artifacts, launchChromium, openPage, screenshotTo, sidewaysOverflow } from './browser.js';

const baseUrl = inject('baseUrl');
const WIDTHS = [360, 1280] as const;
const SCHEMES = ['light', 'dark'] as const;
const LANGS = ['en', 'ko', 'ja'] as const;

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Waits until the shipped model is in use. */
async function modelLoaded(page: Page): Promise<void> {
  await page
    .getByTestId('model-name')
    .locator('strong')
    .filter({ hasText: 'SimpleConvNet' })
    .waitFor({ timeout: 60_000 });
}

/** Waits until a view has drawn what it draws on its own (model, MNIST, experiments). */
async function settle(page: Page, view: string): Promise<void> {
  if (view === 'draw') await modelLoaded(page);
  if (view === 'inside') await page.getByTestId('layer-table').waitFor({ timeout: 60_000 });
  if (view === 'train') {
    await expect
      .poll(() => page.getByTestId('train-status').getAttribute('data-state'), { timeout: 120_000 })
      .toBe('idle');
  }
  if (view === 'chapter6') {
    await expect
      .poll(() => page.getByTestId('race-Adam').locator('circle').count(), { timeout: 60_000 })
      .toBeGreaterThanOrEqual(31);
  }
  // Whatever else a view draws at first (the other experiments) has had a moment.
  if (!['draw', 'inside', 'train'].includes(view)) await page.waitForTimeout(1500);
}

describe('every view, narrow and wide, light and dark, in each language', () => {
  const overflow: Record<string, number> = {};
  afterAll(() => {
    writeFileSync(join(artifacts, 'look-overflow.json'), `${JSON.stringify(overflow, null, 2)}\n`);
  });
  for (const lang of LANGS) {
    for (const colorScheme of SCHEMES) {
      for (const width of WIDTHS) {
        it(`${lang} ${colorScheme} ${width}px`, async () => {
          const { page, console } = await openPage(browser, `${baseUrl}?view=draw&lang=${lang}`, {
            width,
            colorScheme,
          });
          try {
            expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
            // Every tab the page has (tab-draw, tab-train, …).
            const views = await page
              .getByRole('tab')
              .evaluateAll((tabs) => tabs.map((tab) => tab.id.replace(/^tab-/, '')));
            expect(views).toContain('train');
            for (const view of views) {
              await page.locator(`#tab-${view}`).click();
              await settle(page, view);
              const name = `look-${view}-${width}-${colorScheme}-${lang}`;
              overflow[name] = await sidewaysOverflow(page);
              await screenshotTo(page, name);
              expect.soft(overflow[name], name).toBeLessThanOrEqual(0);
            }
            expect(console).toEqual([]);
          } finally {
            await page.context().close();
          }
        });
      }
    }
  }
});

describe('the language switcher', () => {
  it('changes the texts, the page language and the link', async () => {
    const { page, console } = await openPage(browser, `${baseUrl}?view=train&lang=en`);
    try {
      expect(await page.locator('#tab-train').textContent()).toBe('Train');
      await page.getByLabel('Language').selectOption('ko');
      await expect.poll(() => page.locator('#tab-train').textContent()).toBe('학습');
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('ko');
      await expect.poll(() => new URL(page.url()).searchParams.get('lang')).toBe('ko');
      await page.getByLabel('언어').selectOption('ja');
      await expect.poll(() => page.locator('#tab-draw').textContent()).toBe('描く');
      expect(await page.title()).toContain('プレイグラウンド');
      expect(console).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});

describe('a damaged link', () => {
  it('names the ignored settings in the page language, with the book’s terms', async () => {
    const { page } = await openPage(browser, `${baseUrl}?view=train&lang=ja&lr=-1&bs=x`);
    try {
      const alert = page.getByRole('alert').filter({ hasText: 'リンクの設定の一部を無視しました' });
      await alert.waitFor();
      const text = await alert.textContent();
      expect(text).toContain('lr：学習率は1e-7から10までの数にしてください（「-1」でした）');
      expect(text).toContain(
        'bs：バッチサイズは1から10,000までの整数にしてください（「x」でした）',
      );
      await screenshotTo(page, 'look-link-errors-ja');
    } finally {
      await page.context().close();
    }
  });
});

describe('drawing', () => {
  /** Draws strokes with the mouse; points are in the canvas's 280×280 coordinates. */
  async function draw(page: Page, strokes: [number, number][][]): Promise<void> {
    const box = (await page.getByTestId('draw-canvas').boundingBox())!;
    const at = ([x, y]: [number, number]) =>
      [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
    for (const stroke of strokes) {
      const [first, ...rest] = stroke;
      await page.mouse.move(...at(first!));
      await page.mouse.down();
      for (const p of rest) await page.mouse.move(...at(p), { steps: 6 });
      await page.mouse.up();
    }
  }
  const top = (page: Page) =>
    page
      .getByTestId('top-prediction')
      .textContent()
      .then((text) => Number(text));

  it('reads a tiny 3 drawn in a corner as 3, and says where to draw while empty', async () => {
    const { page, console } = await openPage(browser, `${baseUrl}?view=draw&lang=en`, {
      width: 390,
    });
    try {
      await modelLoaded(page);
      await expect.poll(() => page.getByTestId('canvas-hint').isVisible()).toBe(true);
      // A 3 about 36 px tall (an eighth of the canvas) near the top-left corner.
      const s = (x: number, y: number): [number, number] => [20 + x * 0.36, 16 + y * 0.36];
      await draw(page, [
        [s(10, 10), s(40, 0), s(80, 10), s(90, 30), s(70, 45), s(40, 50)],
        [s(70, 45), s(92, 65), s(88, 88), s(50, 100), s(10, 90)],
      ]);
      await expect.poll(() => top(page)).toBe(3);
      expect(await page.getByTestId('canvas-hint').isVisible()).toBe(false);
      await screenshotTo(page, 'look-tiny-3');
      expect(console).toEqual([]);
    } finally {
      await page.context().close();
    }
  });

  it('names an image it cannot use once, in the page language', async () => {
    const { page } = await openPage(browser, `${baseUrl}?view=draw&lang=ko`);
    try {
      const blank = new PNG({ width: 20, height: 20 });
      blank.data.fill(255);
      await page.getByTestId('image-upload').setInputFiles({
        name: 'blank.png',
        mimeType: 'image/png',
        buffer: PNG.sync.write(blank),
      });
      const alert = page.getByRole('alert').filter({ hasText: 'blank.png' });
      await alert.waitFor();
      expect(await alert.textContent()).toBe('blank.png: 숫자를 찾지 못했습니다(빈 이미지입니다)');
    } finally {
      await page.context().close();
    }
  });

  it('loads MNIST test images from the keyboard', async () => {
    const { page, console } = await openPage(browser, `${baseUrl}?view=draw&lang=en`);
    try {
      await modelLoaded(page);
      const field = page.getByLabel('Test image', { exact: true });
      await field.focus();
      await field.press('Control+a');
      await field.pressSequentially('0');
      await field.press('Enter');
      // Test image 0 is a 7, 1 is a 2, 2 is a 1.
      await expect
        .poll(() => page.getByTestId('test-label').textContent(), { timeout: 60_000 })
        .toContain('7');
      await expect.poll(() => top(page)).toBe(7);
      await page.getByRole('button', { name: 'Next test image' }).press('Enter');
      await expect.poll(() => page.getByTestId('test-label').textContent()).toContain('2');
      await expect.poll(() => top(page)).toBe(2);
      expect(await field.inputValue()).toBe('1');
      await screenshotTo(page, 'look-test-image');
      expect(console).toEqual([]);
    } finally {
      await page.context().close();
    }
  });
});
