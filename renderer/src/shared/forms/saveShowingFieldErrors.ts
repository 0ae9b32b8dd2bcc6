import { asApiError } from '../api/bridge.ts';
import { fieldError } from '../errors.ts';

/**
 * Runs a form's save. A refusal from main that names one of the form's fields is shown next to that
 * field, and the mutations forget it so it is not repeated above the buttons; any other refusal
 * stays with the mutations, which show it above the buttons.
 */
export async function saveShowingFieldErrors(
  form: { setFieldError: (field: string, message: string) => void },
  fields: readonly string[],
  mutations: ReadonlyArray<{ reset: () => void }>,
  save: () => Promise<void>,
): Promise<void> {
  try {
    await save();
  } catch (e) {
    const f = fieldError(asApiError(e), fields);
    if (!f) return;
    form.setFieldError(f.field, f.message);
    for (const m of mutations) m.reset();
  }
}
