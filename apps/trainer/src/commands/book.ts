import { join } from 'node:path';
import { Command, Option } from 'commander';
import { createBookContext } from '../book/context.js';
import { findScript, formatScriptList } from '../book/registry.js';
import { BOOK_LANGUAGES, type BookLanguage } from '../book/sections.js';
import { type BackendName, backendNames, defaultThreads, useBackend } from '../training/backend.js';
import { integer } from './parse.js';

/**
 * `scratchnet book CHAPTER/NAME`: runs one of the book's chapter scripts (ch02/and-gate, …),
 * printing what the book's Python prints and writing its figure as a PNG; `--list` shows them all.
 */
export function bookCommand(): Command {
  return new Command('book')
    .description("run the book's chapter scripts (oreilly-japan/deep-learning-from-scratch)")
    .argument('[script]', 'CHAPTER/NAME, the book’s file name with - for _, e.g. ch04/gradient-2d')
    .option('--list', 'list every script, by chapter, with its section of the book', false)
    .addOption(
      new Option(
        '--lang <code>',
        'the language of --list: section titles as the Korean or Japanese edition prints them',
      )
        .choices(BOOK_LANGUAGES)
        .default('en'),
    )
    .option('--quick', 'a small version (fewer steps, images or hidden units)', false)
    .option('-o, --out <dir>', 'directory for the figures (default: runs/book/CHAPTER-NAME)')
    .option(
      '--weights <file>',
      "the book's saved parameters, for the scripts that load them (sample_weight.pkl, deep_convnet_params.pkl)",
    )
    .addOption(
      new Option('--backend <name>', 'compute backend').choices(backendNames).default('wasm'),
    )
    .option('--threads <n>', 'threads for the wasm backend (cpu: 1)', integer(1))
    .action(
      async (
        id: string | undefined,
        options: {
          list: boolean;
          lang: BookLanguage;
          quick: boolean;
          out?: string;
          weights?: string;
          backend: BackendName;
          threads?: number;
        },
      ) => {
        if (options.list || id === undefined) {
          for (const line of formatScriptList(undefined, options.lang)) console.log(line);
          return;
        }
        const script = findScript(id);
        const threads = options.threads ?? (options.backend === 'cpu' ? 1 : defaultThreads);
        await useBackend(options.backend, threads);
        const ctx = createBookContext({
          quick: options.quick,
          outDir: options.out ?? join('runs', 'book', `${script.chapter}-${script.name}`),
          weights: options.weights,
          print: (line) => console.log(line),
        });
        await script.run(ctx);
        if (ctx.files.length > 0) {
          console.log('\nwritten:');
          for (const file of ctx.files) console.log(`  ${file}`);
        }
      },
    );
}
