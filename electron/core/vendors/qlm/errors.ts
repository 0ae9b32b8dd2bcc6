import { KeyfleetError } from '../../errors.ts';
import { excerpt } from '../../net/http.ts';
import type { QlmServerError } from './xml.ts';

/** The License Server property that switches each method on (Server Properties). */
export const QLM_ENABLE_PROPERTY: Readonly<Record<string, string>> = {
  GetActivationKeyWithExpiryDate: 'enableGetActivationKey',
  UpdateLicenseHttp: 'enableUpgradeLicense',
  RevokeLicenseHttp: 'enableRevokeLicense',
  RenewSubscriptionHttp: 'enableRenewSubscriptionHttp',
  GetLicensesHttp: 'enableGetLicensesHttp',
};

/** QLM's documented error codes. */
export const QLM_ERROR = {
  operationDisabled: 7,
  authentication: 8,
  revoked: 201,
  notFound: 203,
  missingArgument: 208,
  expired: 209,
  noMoreActivations: 210,
} as const;

/** Turns an `<error>` answer into a KeyfleetError whose message says what to do about it. */
export function qlmServerErrorToKeyfleet(method: string, error: QlmServerError, server: string): KeyfleetError {
  const said = error.text ? `; the server said: "${excerpt(error.text)}"` : '';
  const details = { method, qlmCode: error.code, serverText: excerpt(error.text, 400) };
  const prefix = `QLM ${method} at ${server}`;
  switch (error.code) {
    case QLM_ERROR.operationDisabled: {
      const property = QLM_ENABLE_PROPERTY[method];
      const fix = property
        ? `set the server property ${property} to true (QLM Management Console, Server Properties)`
        : `enable ${method} in the License Server's Server Properties`;
      return new KeyfleetError('DENIED', `${prefix} is disabled on the License Server (error 7): ${fix}${said}`, { ...details, enableProperty: property ?? null });
    }
    case QLM_ERROR.authentication:
      return new KeyfleetError(
        'AUTH',
        `${prefix}: authentication failed (error 8): check the user (is_user) and password (is_pwd) defined in Manage Keys / 3rd Party Extensions, and the vendor (is_vendor)${said}`,
        details,
      );
    case QLM_ERROR.revoked:
      return new KeyfleetError('VENDOR_REFUSED', `${prefix}: the license key is revoked (error 201)${said}`, details);
    case QLM_ERROR.notFound:
      return new KeyfleetError('NOT_FOUND', `${prefix}: license key not found on the License Server (error 203)${said}`, details);
    case QLM_ERROR.missingArgument:
      return new KeyfleetError('VENDOR_REFUSED', `${prefix}: the server reports a missing argument (error 208)${said}`, details);
    case QLM_ERROR.expired:
      return new KeyfleetError('VENDOR_REFUSED', `${prefix}: the license has expired (error 209)${said}`, details);
    case QLM_ERROR.noMoreActivations:
      return new KeyfleetError('VENDOR_REFUSED', `${prefix}: the license has no more activations left (error 210)${said}`, details);
    default: {
      const code = error.code === null ? '' : ` (error ${error.code})`;
      return new KeyfleetError('VENDOR_REFUSED', `${prefix} refused the request${code}${said || ' without details'}`, details);
    }
  }
}
