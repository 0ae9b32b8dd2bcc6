import { describe, expect, it } from 'vitest';
import {
  buildProductProperties,
  buildQlmUrl,
  featureBitsToList,
  formatQlmDate,
  normalizeQlmBaseUrl,
  parseFeatures,
  parseProductProperties,
  parseQlmDateTime,
  qlmStatusWords,
  qlmUrlFlavor,
  serializeFeatures,
} from '../../../electron/core/vendors/qlm/client.ts';
import { readQlmError, parseQlmXml } from '../../../electron/core/vendors/qlm/xml.ts';

/** QLM's base URLs and the values its answers carry (dates, features, properties, status words), without a server. */
describe('QLM base URLs', () => {
  it('accepts both flavours with or without a trailing slash, and strips a pasted method and query', () => {
    expect(normalizeQlmBaseUrl('https://lic.example.com/qlm/qlmservice.asmx')).toBe('https://lic.example.com/qlm/qlmservice.asmx');
    expect(normalizeQlmBaseUrl(' https://lic.example.com/qlm/qlmservice.asmx/ ')).toBe('https://lic.example.com/qlm/qlmservice.asmx');
    expect(normalizeQlmBaseUrl('https://lic.example.com/qlm/QlmService.asmx/GetActivationKeyWithExpiryDate?is_pwd=x&is_user=y')).toBe(
      'https://lic.example.com/qlm/QlmService.asmx',
    );
    const v20 = 'http://host/Qlm/QlmLicenseServerNetCore/api/v1/QlmApi';
    expect(normalizeQlmBaseUrl(`${v20}/`)).toBe(v20);
    expect(normalizeQlmBaseUrl(`${v20}/PingHttp`)).toBe(v20);
    expect(qlmUrlFlavor(v20)).toBe('v20');
    expect(qlmUrlFlavor('https://lic.example.com/qlm/qlmservice.asmx')).toBe('asmx');
    expect(normalizeQlmBaseUrl('https://lic.example.com/custom/ValidateLicenseHttp')).toBe('https://lic.example.com/custom');
  });

  it('refuses a non-http URL and one with embedded credentials', () => {
    expect(() => normalizeQlmBaseUrl('ftp://x/qlmservice.asmx')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => normalizeQlmBaseUrl('https://u:p@x/qlmservice.asmx')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
    expect(() => normalizeQlmBaseUrl('not a url')).toThrow(expect.objectContaining({ code: 'BAD_INPUT' }));
  });

  it('builds <base>/<Method>?<query> with every value percent-encoded (+ as %2B)', () => {
    expect(buildQlmUrl('http://h/qlmservice.asmx', 'UpdateLicenseHttp', [['is_pp', 'a.b::+2'], ['is_userdata1', 'x y&z']])).toBe(
      'http://h/qlmservice.asmx/UpdateLicenseHttp?is_pp=a.b%3A%3A%2B2&is_userdata1=x%20y%26z',
    );
  });
});

describe('QLM value helpers', () => {
  it('serialises, parses and lists features', () => {
    expect(serializeFeatures([{ set: 0, mask: 1 }, { set: 1, mask: 2 }])).toBe('0:1;1:2');
    expect(parseFeatures('0:3; 1:1;')).toEqual([{ set: 0, mask: 3 }, { set: 1, mask: 1 }]);
    expect(parseFeatures('')).toEqual([]);
    expect(featureBitsToList(5)).toEqual([1, 4]);
    expect(featureBitsToList(0)).toEqual([]);
    expect(() => serializeFeatures([{ set: 0, mask: 1.5 }])).toThrow(/features\[0\]\.mask/);
    expect(() => serializeFeatures([{ set: 0, mask: 1 }, { set: 0, mask: 2 }])).toThrow(/twice/);
  });

  it('round-trips product properties, relative values as +N / -N', () => {
    const text = buildProductProperties([
      { category: 'quality', name: 'module_validation', value: { relative: 2 } },
      { category: 'quality', name: 'seats', value: { relative: -1 } },
      { category: 'ui', name: 'theme', value: 'dark', expires: '2026-01-31 23:59:00' },
      { category: 'limits', name: 'agents', value: 50 },
    ]);
    expect(text).toBe('quality.module_validation::+2||quality.seats::-1||ui.theme::dark::2026-01-31 23:59:00||limits.agents::50');
    expect(parseProductProperties(text)).toEqual([
      { category: 'quality', name: 'module_validation', value: { relative: 2 } },
      { category: 'quality', name: 'seats', value: { relative: -1 } },
      { category: 'ui', name: 'theme', value: 'dark', expires: '2026-01-31 23:59:00' },
      { category: 'limits', name: 'agents', value: '50' },
    ]);
    expect(buildProductProperties(parseProductProperties(text))).toBe(text);
  });

  it('refuses property names and values that would break the is_pp syntax', () => {
    const bad = (p: Parameters<typeof buildProductProperties>[0], re: RegExp) =>
      expect(() => buildProductProperties(p)).toThrow(expect.objectContaining({ code: 'BAD_INPUT', message: expect.stringMatching(re) }));
    bad([{ category: 'a.b', name: 'c', value: 'x' }], /category/);
    bad([{ category: 'a', name: 'c::d', value: 'x' }], /name/);
    bad([{ category: 'a', name: 'c', value: 'x||y' }], /value/);
    bad([{ category: 'a', name: 'c', value: -3 }], /relative/);
    bad([{ category: 'a', name: 'c', value: '+3' }], /relative/);
    bad([{ category: 'a', name: 'c', value: { relative: 1.5 } }], /relative/);
    bad([{ category: 'a', name: 'c', value: 'x', expires: '2026-02-30 10:00:00' }], /expires/);
  });

  it('decodes status bits into words', () => {
    expect(qlmStatusWords(0)).toEqual(['NotFound']);
    expect(qlmStatusWords(2)).toEqual(['Permanent']);
    expect(qlmStatusWords(4 | 64 | 2048)).toEqual(['Demo', 'Expired', 'Revoked']);
    expect(qlmStatusWords(1 | 8 | 16 | 32 | 128 | 256 | 512 | 1024)).toEqual([
      'NotSet', 'Invalid', 'ProductInvalid', 'VersionInvalid', 'Tampered', 'MachineInvalid', 'NeedsActivation', 'ExceededInstances',
    ]);
  });

  it('formats is_expdate in the configured format and reads server dates', () => {
    expect(formatQlmDate('2024-09-02', 'yyyy-MM-dd')).toBe('2024-09-02');
    expect(formatQlmDate('2024-09-02', 'MM/dd/yyyy')).toBe('09/02/2024');
    expect(formatQlmDate('2024-09-02', 'dd/MM/yyyy')).toBe('02/09/2024');
    expect(() => formatQlmDate('2024-02-30', 'yyyy-MM-dd')).toThrow(/not a real date/);
    expect(parseQlmDateTime('2024-09-02 23:59')).toEqual({ instant: '2024-09-02T23:59:00Z', date: '2024-09-02' });
    expect(parseQlmDateTime('2015-08-05T15:53:16Z')).toEqual({ instant: '2015-08-05T15:53:16Z', date: '2015-08-05' });
    expect(parseQlmDateTime('9/2/2024 11:59:00 PM')).toEqual({ instant: '2024-09-02T23:59:00Z', date: '2024-09-02' });
    expect(parseQlmDateTime('')).toBeNull();
    expect(parseQlmDateTime('0001-01-01 00:00')).toBeNull();
  });

  it('finds the error code in every tolerated form', () => {
    const code = (xml: string) => readQlmError(parseQlmXml(xml, 'test'))?.code;
    expect(code('<QuickLicenseManager><error>Error 8: Authentication failed</error></QuickLicenseManager>')).toBe(8);
    expect(code('<QuickLicenseManager><error>8 - Authentication failed</error></QuickLicenseManager>')).toBe(8);
    expect(code('<QuickLicenseManager><error code="203">nope</error></QuickLicenseManager>')).toBe(203);
    expect(code('<QuickLicenseManager><errorCode>210</errorCode><error>nope</error></QuickLicenseManager>')).toBe(210);
    expect(code('<QuickLicenseManager><error><code>209</code><message>x</message></error></QuickLicenseManager>')).toBe(209);
    expect(code('<QuickLicenseManager><error>[201] gone</error></QuickLicenseManager>')).toBe(201);
    expect(code('<QuickLicenseManager><error>Something odd (error 208)</error></QuickLicenseManager>')).toBe(208);
    expect(code('<error>Authentication failed.</error>')).toBe(8);
    expect(code('<QuickLicenseManager><result>ok</result></QuickLicenseManager>')).toBeUndefined();
  });
});
