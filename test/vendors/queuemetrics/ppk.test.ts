import { describe, expect, it } from 'vitest';
import { describePpk, parsePpk, parsePpkList, ppkDurationLabel, productName } from '../../../electron/core/vendors/queuemetrics/ppk.ts';
import { KeyfleetError } from '../../../electron/core/errors.ts';

function reasonOf(text: string): string {
  try {
    parsePpk(text);
  } catch (e) {
    expect(e).toBeInstanceOf(KeyfleetError);
    expect((e as KeyfleetError).code).toBe('BAD_INPUT');
    return (e as KeyfleetError).message;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parsePpk', () => {
  it("parses Loway's example", () => {
    expect(parsePpk('XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90')).toEqual({
      ppk: 'XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90',
      id: 'XQI-LOWAY-74KKMREX6TOH1',
      product: 'QM',
      agents: 50,
      servers: 1,
      days: 90,
    });
  });

  it('trims surrounding whitespace and keeps the trimmed text to send', () => {
    const p = parsePpk('  \tABC-1:QM-5/2/365 \r\n');
    expect(p.ppk).toBe('ABC-1:QM-5/2/365');
    expect(p).toMatchObject({ agents: 5, servers: 2, days: 365 });
  });

  it('names exactly what is wrong', () => {
    expect(reasonOf('')).toMatch(/is empty/);
    expect(reasonOf('XQI-LOWAY-74KKMREX6TOH1-QM-50/1/90')).toMatch(/missing ':'/);
    expect(reasonOf(':QM-50/1/90')).toMatch(/key id before ':' is empty/);
    expect(reasonOf('X:A:QM-50/1/90')).toMatch(/more than one ':'/);
    expect(reasonOf('XQI:QM50/1/90')).toMatch(/missing '-' after the product code/);
    expect(reasonOf('XQI:-50/1/90')).toMatch(/product code is missing/);
    expect(reasonOf('XQI:9Q-50/1/90')).toMatch(/bad product code "9Q"/);
    expect(reasonOf('XQI:QM-abc/1/90')).toMatch(/agents "abc" is not a positive integer/);
    expect(reasonOf('XQI:QM--5/1/90')).toMatch(/agents "-5" is not a positive integer/);
    expect(reasonOf('XQI:QM-0/1/90')).toMatch(/zero agents/);
    expect(reasonOf('XQI:QM-50/0/90')).toMatch(/zero servers/);
    expect(reasonOf('XQI:QM-50/1/0')).toMatch(/zero days/);
    expect(reasonOf('XQI:QM-50/1/')).toMatch(/days is missing/);
    expect(reasonOf('XQI:QM-50/1')).toMatch(/expected <agents>\/<servers>\/<days>/);
    expect(reasonOf('XQI:QM-50/1/90/4')).toMatch(/expected <agents>\/<servers>\/<days>/);
    expect(reasonOf('XQI:QM-100001/1/90')).toMatch(/100001 agents is not a plausible size \(at most 100000\)/);
    expect(reasonOf('XQI:QM-50/1/200000')).toMatch(/200000 days is not a plausible size/);
    expect(reasonOf('XQI LOWAY:QM-50/1/90')).toMatch(/illegal character, a space, at position 4/);
    expect(reasonOf('XQI;LOWAY:QM-50/1/90')).toMatch(/illegal character, ';', at position 4/);
    expect(reasonOf('XQI:QM-5\u00b0/1/90')).toMatch(/illegal character/);
    expect(reasonOf(`${'A'.repeat(200)}:QM-50/1/90`)).toMatch(/too long \(211 characters, at most 200\)/);
  });

  it('puts the field in the error details', () => {
    try {
      parsePpk('nope');
    } catch (e) {
      expect((e as KeyfleetError).details).toEqual({ field: 'ppk' });
    }
  });
});

describe('parsePpkList', () => {
  it('tolerates blanks and whitespace, reports rejects with reasons and duplicates once', () => {
    const text = [
      '',
      '  XQI-LOWAY-1:QM-50/1/90  ',
      '\t',
      'XQI-LOWAY-2:QM-10/1/30',
      'XQI-LOWAY-1:QM-50/1/90',
      'garbage line',
      'XQI-LOWAY-1:QM-50/1/90',
      'XQI-LOWAY-3:QM-10/1/0',
      'XQI-LOWAY-2:QM-10/1/30\r',
      '',
    ].join('\n');
    const out = parsePpkList(text);
    expect(out.valid.map((p) => p.ppk)).toEqual(['XQI-LOWAY-1:QM-50/1/90', 'XQI-LOWAY-2:QM-10/1/30']);
    expect(out.duplicates).toEqual(['XQI-LOWAY-1:QM-50/1/90', 'XQI-LOWAY-2:QM-10/1/30']);
    expect(out.rejected).toHaveLength(2);
    expect(out.rejected[0]).toEqual({ ppk: 'garbage line', reason: expect.stringMatching(/illegal character, a space/) });
    expect(out.rejected[1]).toEqual({ ppk: 'XQI-LOWAY-3:QM-10/1/0', reason: expect.stringMatching(/zero days/) });
  });

  it('handles CRLF and an empty input', () => {
    expect(parsePpkList('A1:QM-1/1/31\r\nB2:QM-2/1/365\r\n').valid.map((p) => p.id)).toEqual(['A1', 'B2']);
    expect(parsePpkList('  \n\n ')).toEqual({ valid: [], rejected: [], duplicates: [] });
  });
});

describe('describing PPKs', () => {
  it('describes product, sizes and duration', () => {
    expect(describePpk(parsePpk('XQI-LOWAY-74KKMREX6TOH1:QM-50/1/90'))).toBe('QueueMetrics, 50 agents, 1 server, 90 days');
    expect(describePpk({ product: 'ZZ', agents: 1, servers: 3, days: 1 })).toBe('ZZ, 1 agent, 3 servers, 1 day');
    expect(productName('QM')).toBe('QueueMetrics');
    expect(productName('qm')).toBe('QueueMetrics');
    expect(productName('WD')).toBe('WD');
  });

  it('labels the sold durations', () => {
    expect(ppkDurationLabel(30)).toBe('1 month');
    expect(ppkDurationLabel(31)).toBe('1 month');
    expect(ppkDurationLabel(90)).toBe('3 months');
    expect(ppkDurationLabel(365)).toBe('1 year');
    expect(ppkDurationLabel(366)).toBe('1 year');
    expect(ppkDurationLabel(1460)).toBe('4 years');
    expect(ppkDurationLabel(1461)).toBe('4 years');
    expect(ppkDurationLabel(45)).toBe('45 days');
    expect(ppkDurationLabel(1)).toBe('1 day');
  });
});
