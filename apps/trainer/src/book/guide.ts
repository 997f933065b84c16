/**
 * The chapter guides in README.ko.md, README.ja.md and docs/book-map.md: for each chapter, the
 * book's sections and the `scratchnet book` command of every script, made from the registry and
 * the table of contents so that they cannot drift apart. `pnpm --filter @scratchnet/trainer
 * book-guide` rewrites them between their `<!-- book-guide:LANG -->` markers; a test checks
 * that the committed files match.
 */
import { BOOK_SCRIPTS, chapterNumber, type RegisteredScript, scriptId } from './registry.js';
import { BOOK_SECTIONS, type BookLanguage, bookSection } from './sections.js';

/** The scripts that load the book's saved parameters, and the file each loads. */
const WEIGHTS_FILES: Record<string, string> = {
  'ch03/neuralnet-mnist': 'sample_weight.pkl',
  'ch03/neuralnet-mnist-batch': 'sample_weight.pkl',
  'ch08/half-float-network': 'deep_convnet_params.pkl',
  'ch08/misclassified-mnist': 'deep_convnet_params.pkl',
};

/** The command that runs a script from the repository's root, after `pnpm build`. */
export function scriptCommand(script: RegisteredScript): string {
  const weights = WEIGHTS_FILES[scriptId(script)];
  return `pnpm scratchnet book ${scriptId(script)}${weights ? ` --weights ${weights}` : ''}`;
}

/**
 * For the book map: where each section's idea lives in the library (packages and names), for
 * the sections whose code is a class or function rather than a script.
 */
export const LIBRARY_PIECES: Readonly<Record<string, string>> = {
  '2.3.2': '`stepFunction` (tensor)',
  '2.5.2': 'two layers of perceptrons; `ch02/xor-gate`',
  '3.2.1': '`sigmoid`, `Sigmoid` (tensor, layers)',
  '3.2.2': '`stepFunction` (tensor)',
  '3.2.7': '`relu`, `ReLU` (tensor, layers)',
  '3.3': '`matmul`, `Tensor` broadcasting (tensor)',
  '3.3.1': '`Tensor`, its `shape` and `rank` (tensor)',
  '3.3.2': '`matmul` (tensor)',
  '3.3.3': '`matmul`; `Linear` (tensor, layers)',
  '3.4': '`Linear` (layers); `MultiLayerNet` (layers)',
  '3.4.2': '`Linear` then `sigmoid` (layers, tensor)',
  '3.4.3': "`MultiLayerNet({ activation: 'sigmoid' })` (layers)",
  '3.5': '`softmax`, `logSoftmax` (tensor)',
  '3.5.1': '`softmax` (tensor)',
  '3.5.2': "`softmax` subtracts each row's maximum (tensor)",
  '3.6.1': '`loadMnist({ normalize, flatten, oneHotLabel })` (datasets/node)',
  '4.2': '`softmaxCrossEntropy`, `SoftmaxCrossEntropyLoss` (tensor, layers)',
  '4.2.1': '`halfSumSquaredError`; `mseLoss` (layers)',
  '4.2.2': '`softmaxCrossEntropy` (tensor)',
  '4.2.3': '`DataLoader` (datasets)',
  '4.2.4': '`softmaxCrossEntropy` over a batch (tensor)',
  '4.3.1': '`numericalDiff` (tensor)',
  '4.3.3': '`numericalGradientOf` (tensor)',
  '4.4.1': '`gradientDescent` (tensor)',
  '4.5.1': '`TwoLayerNet` with `numericalGradient` (layers)',
  '5.1': 'autograd: every op records its node (tensor)',
  '5.2': '`backward()`: the chain rule over a topological order (tensor)',
  '5.3': 'the gradient rules, one per primitive: `gradRules` (tensor)',
  '5.4.1': '`MulLayer` (layers)',
  '5.4.2': '`AddLayer` (layers)',
  '5.5.1': '`ReLU` (layers), rule `reluGrad` (tensor)',
  '5.5.2': '`Sigmoid` (layers)',
  '5.6': '`Linear` (Affine), `softmaxCrossEntropy` (SoftmaxWithLoss)',
  '5.6.1': '`matmul` and its gradient rule (tensor)',
  '5.6.2': '`Linear` (layers)',
  '5.6.3': '`softmaxCrossEntropy`, `SoftmaxCrossEntropyLoss` (tensor, layers)',
  '5.7.2': '`TwoLayerNet.gradient` (layers)',
  '5.7.3': '`gradCheck`, `numericalGradient` (tensor)',
  '6.1.2': '`SGD` (optimizers)',
  '6.1.4': '`Momentum`, `Nesterov` (optimizers)',
  '6.1.5': '`AdaGrad`, `RMSprop` (optimizers)',
  '6.1.6': '`Adam`, `AdamW` (optimizers)',
  '6.1.7': '`racePath` (training)',
  '6.1.8': '`compareOptimizers` (training); `scratchnet compare-optimizers`',
  '6.2.2': "`activationHistograms` (training); `init: 'xavier'` (layers)",
  '6.2.3': "`init: 'he'` (layers)",
  '6.2.4': '`compareWeightInits` (training)',
  '6.3.1': '`BatchNorm1d`, `BatchNorm2d` (layers); `MultiLayerNetExtend` (layers)',
  '6.3.2': '`compareBatchNorm` (training)',
  '6.4.1': '`overfitExperiment` (training)',
  '6.4.2': '`weightDecayLambda` (networks), `weightDecay` (optimizers)',
  '6.4.3': "`Dropout(p, 'book')` (layers)",
  '6.5.1': '`trainValidationSplit` (datasets)',
  '6.5.2': '`randomSearch` (training); `scratchnet tune`',
  '7.1': '`SimpleConvNet` (layers)',
  '7.2.2': '`conv2d`, `Conv2d` (tensor, layers)',
  '7.2.3': '`Conv2d(…, { padding })` (layers)',
  '7.2.4': '`Conv2d(…, { stride })` (layers)',
  '7.3': '`maxPool2d`, `MaxPool2d`, `AvgPool2d` (tensor, layers)',
  '7.4.2': '`im2col`, `col2im` (tensor)',
  '7.4.3': '`Conv2d` (layers): im2col and one matrix product',
  '7.4.4': '`MaxPool2d` (layers)',
  '7.5': '`SimpleConvNet` (layers); `scratchnet train`',
  '7.6.1': '`scratchnet train` writes filters before and after',
  '8.1.1': '`DeepConvNet` (layers); `scratchnet train --model deep-convnet`',
  '8.1.2': '`augment` option of `Trainer` (training), `scratchnet train --augment`',
  '8.3.4': '`float16` model files (serialization)',
};

const CHAPTER_HEADING: Record<BookLanguage, (number: string, title: string) => string> = {
  en: (n, title) => `Chapter ${n}: ${title}`,
  ko: (n, title) => `${n}장 ${title}`,
  ja: (n, title) => `${n}章 ${title}`,
};

const COLUMNS: Record<BookLanguage, [string, string, string]> = {
  en: ['§', 'section', 'command'],
  ko: ['절', '제목', '명령'],
  ja: ['節', '見出し', 'コマンド'],
};

/** Sections inside chapter `n`, in the book's order ('4.4.1' is in '4'). */
const sectionsOf = (n: string) =>
  BOOK_SECTIONS.filter((s) => s.number.split('.')[0] === n && s.number !== n);

/**
 * The guide in one language, as Markdown: a heading per chapter, then a table of the sections
 * that have scripts, each with its title as that edition prints it and the commands to run.
 * With `allSections`, every section of chapters 2–8 gets a row, with or without a script (the
 * book map).
 */
export function formatChapterGuide(
  lang: BookLanguage,
  { allSections = false }: { allSections?: boolean } = {},
): string {
  const blocks: string[] = [];
  const chapters = [...new Set(BOOK_SCRIPTS.map((s) => s.chapter))];
  for (const chapter of chapters) {
    const n = chapterNumber(chapter);
    const rows = sectionsOf(n).flatMap((section) => {
      const scripts = BOOK_SCRIPTS.filter((s) => s.section === section.number);
      if (scripts.length === 0 && !allSections) return [];
      const commands = scripts.map((s) => `\`${scriptCommand(s)}\``).join('<br>');
      const cells = [section.number, section.title[lang], commands || (allSections ? '—' : '')];
      if (allSections) cells.push(LIBRARY_PIECES[section.number] ?? (commands ? '' : '—'));
      return [`| ${cells.join(' | ')} |`];
    });
    const header = allSections ? [...COLUMNS[lang], 'in scratchnet'] : COLUMNS[lang];
    blocks.push(
      [
        `### ${CHAPTER_HEADING[lang](n, bookSection(n).title[lang])}`,
        '',
        `| ${header.join(' | ')} |`,
        `| ${header.map(() => '---').join(' | ')} |`,
        ...rows,
      ].join('\n'),
    );
  }
  return blocks.join('\n\n');
}

const marker = (lang: BookLanguage, end = false) =>
  `<!-- book-guide:${lang}${end ? ':end' : ''} -->`;

/**
 * `text` with the guide put between its markers (`<!-- book-guide:ko -->` …
 * `<!-- book-guide:ko:end -->`); throws when a file has no markers.
 */
export function withChapterGuide(
  text: string,
  lang: BookLanguage,
  options: { allSections?: boolean } = {},
): string {
  const start = text.indexOf(marker(lang));
  const end = text.indexOf(marker(lang, true));
  if (start < 0 || end < start) {
    throw new Error(`no ${marker(lang)} … ${marker(lang, true)} markers to put the guide between`);
  }
  const guide = formatChapterGuide(lang, options);
  return `${text.slice(0, start + marker(lang).length)}\n\n${guide}\n\n${text.slice(end)}`;
}

/** The files that hold a guide, and how. */
export const GUIDE_FILES: readonly { path: string; lang: BookLanguage; allSections: boolean }[] = [
  { path: 'README.ko.md', lang: 'ko', allSections: false },
  { path: 'README.ja.md', lang: 'ja', allSections: false },
  { path: 'docs/book-map.md', lang: 'en', allSections: true },
];
