import { m001Initial } from './001-initial.ts';
import { m002StockThresholds } from './002-stock-thresholds.ts';
import { m003WindowStateOut } from './003-window-state-out.ts';
import { m004PpkRefused } from './004-ppk-refused.ts';

/**
 * Numbered, named migrations. Each takes the raw JSON of the version before it and returns
 * the next version's; they never see validated types because old files do not match them.
 * Add a file `NNN-what-it-does.ts`, append it here, bump SCHEMA_VERSION, and add its test.
 */
export interface Migration {
  version: number;
  name: string;
  up(data: Record<string, unknown>): Record<string, unknown>;
}

export const MIGRATIONS: readonly Migration[] = [m001Initial, m002StockThresholds, m003WindowStateOut, m004PpkRefused];
