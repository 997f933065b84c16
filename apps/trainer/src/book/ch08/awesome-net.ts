/**
 * `ch08/awesome_net.py`: an empty placeholder in the book's repository, whose only line is the
 * comment `# Create your awesome net!!`, left for the reader to fill after section 8.1.2 (how to
 * raise the accuracy further: deeper networks, ensembles, learning-rate decay, data augmentation).
 * The book's text does not mention the file. This prints the comment and where to go from here.
 */
import type { BookContext } from '../context.js';

export function run(ctx: BookContext): void {
  ctx.print('# Create your awesome net!!');
  ctx.print('');
  ctx.print(
    "(ch08/awesome_net.py is an empty placeholder in the book's repository: that comment is all of it.",
  );
  ctx.print(
    ' To build your own: SequentialNet in @scratchnet/layers takes a list of layers; `scratchnet train`',
  );
  ctx.print(
    " trains the book's networks with augmentation and learning-rate schedules (section 8.1.2).)",
  );
}
