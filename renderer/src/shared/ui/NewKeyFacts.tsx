import type { ReactNode } from 'react';
import { MaskedKey } from './MaskedKey.tsx';

/**
 * What a vendor just gave, as a definition list: the key (masked, with reveal and copy), its
 * product when the workflow knows it, and its expiry; `children` adds the rows one workflow has
 * on top.
 */
export function NewKeyFacts({
  keyName = 'Key',
  keyValue,
  revealLabel = 'new key',
  product,
  expires,
  children,
}: {
  keyName?: string;
  keyValue: string;
  revealLabel?: string;
  product?: string;
  expires: ReactNode;
  children?: ReactNode;
}) {
  return (
    <dl className="kf-dl">
      <dt>{keyName}</dt>
      <dd>
        <MaskedKey value={keyValue} label={revealLabel} />
      </dd>
      {product !== undefined ? (
        <>
          <dt>Product</dt>
          <dd>{product}</dd>
        </>
      ) : null}
      <dt>Expires</dt>
      <dd>{expires}</dd>
      {children}
    </dl>
  );
}
