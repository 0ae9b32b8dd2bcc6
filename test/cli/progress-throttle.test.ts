import { describe, expect, it } from 'vitest';
import { throttledProgress } from '../../electron/cli/progress-throttle.ts';

describe('fleet progress on the terminal', () => {
  it('shows the first line, drops the next ones within the interval, and always shows a forced one', async () => {
    const lines: string[] = [];
    const report = throttledProgress((l) => lines.push(l), 200);
    report('1/4', false);
    report('2/4', false);
    report('3/4 next step', true);
    report('3/4 again', false);
    await new Promise((r) => setTimeout(r, 250));
    report('4/4 later', false);
    expect(lines).toEqual(['1/4', '3/4 next step', '4/4 later']);
  });
});
