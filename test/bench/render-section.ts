import { textTable, type BenchSection, type SectionReport } from './report.ts';

/**
 * The renderer's figures (test/bench/render.ts: the Licenses view on 20,000 licenses in headless
 * Chromium) as a section of `npm run bench`. Loaded only when the section runs, so the other
 * sections do not need the browser or the built renderer.
 */
export const renderSection: BenchSection = {
  name: 'render',
  title: 'Licenses view with 20,000 rows (built renderer, headless Chromium)',
  async run(opts): Promise<SectionReport> {
    const { renderBench } = await import('./render.ts');
    const figures = await renderBench(opts.log);
    const format = (value: number, unit: string) => `${value.toLocaleString('en-US')} ${unit}`;
    return {
      blocks: [textTable(['FIGURE', 'VALUE', 'TARGET'], figures.map((f) => [f.name, format(f.value, f.unit), f.target === undefined ? '' : `≤ ${format(f.target, f.unit)}`]))],
      targets: figures
        .filter((f) => f.target !== undefined)
        .map((f) => ({ name: f.name, value: format(f.value, f.unit), target: `≤ ${format(f.target!, f.unit)}`, met: f.value <= f.target! })),
    };
  },
};
