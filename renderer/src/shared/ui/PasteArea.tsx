import { Textarea, type TextareaProps } from '@mantine/core';

/**
 * A box for pasted machine text (keys, certificates, CSV, URLs): monospace, growing with its
 * content, and not spell-checked, so nothing is underlined or "corrected".
 */
export function PasteArea({ minRows = 6, maxRows = 14, ...props }: TextareaProps) {
  return <Textarea autosize minRows={minRows} maxRows={maxRows} classNames={{ input: 'kf-mono' }} spellCheck={false} {...props} />;
}
