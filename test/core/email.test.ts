import { describe, expect, it } from 'vitest';
import { isEmailAddress } from '../../electron/core/email.ts';
import { contract } from '../../electron/core/api/contract.ts';

/** Core has one e-mail rule, and it is the one the API contract checks the app's forms with. */
describe('the e-mail rule', () => {
  const addresses = ['ops@acme.example', 'first.last+tag@sub.acme.ch', 'ops..desk@acme.example', '.ops@acme.example', 'ops@acme', 'ops at acme', 'ops@acme.c', '@acme.example', 'ops@'];

  it.each(addresses)('agrees with the contract about %s', (address) => {
    const byContract = contract.convertPpk.input.safeParse({ ppk: 'XQI-LOWAY-A:QM-1/1/1', enduser: 'Acme', email: address }).success;
    expect(isEmailAddress(address)).toBe(byContract);
  });

  it('accepts ordinary addresses and refuses what is not one', () => {
    expect(isEmailAddress('ops@acme.example')).toBe(true);
    expect(isEmailAddress('ops at acme')).toBe(false);
    expect(isEmailAddress('ops..desk@acme.example')).toBe(false);
  });
});
