import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { Journal } from '../../electron/core/store/journal.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('Journal', () => {
  it('appends events durably and reads them back in order', () => {
    const dir = tempDir();
    const j = new Journal(dir, { actor: 'test' });
    j.append({ action: 'a', target: 't', outcome: 'ok' });
    j.append({ action: 'b', target: 't', outcome: 'failed', error: { code: 'NETWORK', message: 'refused' } }, { action: 'c', target: 't', outcome: 'info' });
    const { events, warnings } = j.read();
    expect(warnings).toEqual([]);
    expect(events.map((e) => e.action)).toEqual(['a', 'b', 'c']);
    expect(events[0]).toMatchObject({ actor: 'test', id: expect.any(String), at: expect.stringMatching(/Z$/) });
  });

  it('skips a torn last line with a warning and keeps appending on a fresh line', () => {
    const dir = tempDir();
    const j = new Journal(dir);
    j.append({ action: 'a', target: 't', outcome: 'ok' });
    fs.appendFileSync(path.join(dir, 'events.jsonl'), '{"id":"x","at":"2026');
    let r = j.read();
    expect(r.events.map((e) => e.action)).toEqual(['a']);
    expect(r.warnings).toEqual([expect.stringMatching(/line 2: torn last line/)]);
    j.append({ action: 'b', target: 't', outcome: 'ok' });
    r = j.read();
    expect(r.events.map((e) => e.action)).toEqual(['a', 'b']);
    expect(r.warnings).toHaveLength(1);
  });

  it('a missing journal is empty', () => {
    expect(new Journal(tempDir()).read()).toEqual({ events: [], warnings: [] });
  });
});
