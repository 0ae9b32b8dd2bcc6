import { useCallback, useRef, useState, type ChangeEvent } from 'react';
import type { z } from 'zod';

export type FormErrors<V> = Partial<Record<keyof V & string, string>>;

/**
 * Form state validated by a zod schema that mirrors the contract's rules: a message appears next
 * to a field when it is left (blur) and for every field on submit; server BAD_INPUT errors that
 * name a field land there too.
 */
export function useForm<V extends Record<string, unknown>>(initial: V, schema: z.ZodType) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<FormErrors<V>>({});
  const valuesRef = useRef(values);
  valuesRef.current = values;

  const issuesFor = useCallback(
    (v: V): FormErrors<V> => {
      const parsed = schema.safeParse(v);
      if (parsed.success) return {};
      const out: FormErrors<V> = {};
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? '') as keyof V & string;
        if (key && out[key] === undefined) out[key] = issue.message;
      }
      return out;
    },
    [schema],
  );

  const setValue = useCallback(<K extends keyof V & string>(key: K, value: V[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    // Editing a field clears its message until it is validated again.
    setErrors((e) => (e[key] === undefined ? e : { ...e, [key]: undefined }));
  }, []);

  const validateField = useCallback(
    (key: keyof V & string) => {
      const all = issuesFor(valuesRef.current);
      setErrors((e) => ({ ...e, [key]: all[key] }));
    },
    [issuesFor],
  );

  /** Validate everything; true when the form may be sent. */
  const validate = useCallback(() => {
    const all = issuesFor(valuesRef.current);
    setErrors(all);
    return Object.values(all).every((m) => m === undefined);
  }, [issuesFor]);

  const setError = useCallback((key: keyof V & string, message: string | undefined) => setErrors((e) => ({ ...e, [key]: message })), []);

  const reset = useCallback((next: V) => {
    setValues(next);
    setErrors({});
  }, []);

  /** Props for a text input bound to a string field. */
  const text = (key: keyof V & string) => ({
    value: String(values[key] ?? ''),
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setValue(key, e.currentTarget.value as V[typeof key]),
    onBlur: () => validateField(key),
    error: errors[key],
  });

  return { values, errors, setValue, setError, validate, validateField, reset, text };
}
