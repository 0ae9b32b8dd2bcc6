import type { FormErrors } from '@mantine/form';
import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/** The issue a union failed with on its first branch (an optional e-mail is "an e-mail, or empty"). */
function innermost(issue: Issue): Issue {
  if (issue.code === 'invalid_union') {
    const first = issue.errors[0]?.[0];
    if (first) return innermost(first);
  }
  return issue;
}

/**
 * One issue as a form says it next to the field. The contract words its rules as predicates for
 * the field they follow ("is required", "is not a SHA-256 fingerprint"), so the form puts the
 * field's label in front; zod's own wording for sizes is replaced by a sentence.
 */
function fieldMessage(label: string, raw: Issue): string {
  const issue = innermost(raw);
  if (issue.code === 'invalid_format' && issue.format === 'email') return 'Not an e-mail address';
  if (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) === 1) return `${label} is required`;
  if (issue.code === 'too_big' && issue.origin === 'string') return `${label} is too long (${String(issue.maximum)} characters at most)`;
  if (issue.code === 'too_small' && issue.origin === 'number') return `${label} must be at least ${String(issue.minimum)}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `${label} must be at most ${String(issue.maximum)}`;
  if (issue.code === 'invalid_type' && issue.expected === 'int') return `${label} must be a whole number`;
  return `${label} ${issue.message}`;
}

/** The form field an issue belongs to: the longest labelled start of its path ("maintenance.days", else "maintenance"). */
function labelledField(path: readonly PropertyKey[], labels: Record<string, string>): string | null {
  for (let n = path.length; n > 0; n--) {
    const field = path.slice(0, n).map(String).join('.');
    if (labels[field]) return field;
  }
  return null;
}

/**
 * A @mantine/form validate function that checks a form by the API contract: the values are made
 * into the method's input exactly as they will be sent, parsed with the contract's zod schema, and
 * each issue lands on the field it names (a nested one by its dotted path, as @mantine/form names
 * it). `pageRules` adds what the contract cannot say but the service checks (a URL without
 * http://, a QLM account without its user); a field shows the contract's message first.
 */
export function contractValidator<V>(
  schema: z.ZodType,
  toInput: (values: V) => unknown,
  labels: Record<string, string>,
  pageRules?: (values: V) => FormErrors,
): (values: V) => FormErrors {
  return (values) => {
    const fromContract: FormErrors = {};
    const parsed = schema.safeParse(toInput(values));
    for (const issue of parsed.success ? [] : parsed.error.issues) {
      const field = labelledField(issue.path, labels);
      if (field && fromContract[field] === undefined) fromContract[field] = fieldMessage(labels[field]!, issue);
    }
    return { ...pageRules?.(values), ...fromContract };
  };
}
