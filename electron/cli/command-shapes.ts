import type { Context } from '../core/context.ts';
import type { Command, OptionSpec } from './framework.ts';

/**
 * Commands that differ only in what they act on. The service is passed as a loader so it is
 * still imported inside run(), never when the command table is read.
 */

/** `NOUN remove NAME`: remove one named item; the service throws when it cannot be removed. */
export function removeCommand(noun: string, what: string, summary: string, remove: (ctx: Context, ref: string) => Promise<unknown>): Command {
  return {
    path: [noun, 'remove'],
    usage: `${noun} remove NAME`,
    summary,
    positionals: [1, 1],
    async run(ctx, { positionals }) {
      await remove(ctx, positionals[0]!);
      return { json: { removed: true }, text: `removed ${what} ${positionals[0]}` };
    },
  };
}

/** Flags that each take a string value, declared by name. */
export function stringOptions(...names: string[]): OptionSpec {
  return Object.fromEntries(names.map((n) => [n, { type: 'string' as const }]));
}
