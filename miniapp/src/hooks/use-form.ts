import { useCallback, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { ApiError, messageOf } from '../services/request';

/** What the person has filled in so far: any field may still be missing. */
export type Draft<S extends z.ZodType> = Partial<z.input<S>>;

/**
 * The schema a form validates with: at hand, or fetched apart (the H5 build loads zod and the
 * contract's schemas in a chunk of their own, off the page's first load). A fetched schema is asked
 * for right after the form's first render, so it is there long before the person taps 提交.
 */
export type SchemaSource<S extends z.ZodType> = S | (() => Promise<S>);

export interface Form<S extends z.ZodType> {
  values: Draft<S>;
  /** Dotted field path → message, from the shared schema or from the server. */
  errors: Record<string, string>;
  /** A message about the form as a whole. */
  formError: string | null;
  submitting: boolean;
  set: <K extends keyof Draft<S>>(name: K, value: Draft<S>[K]) => void;
  /**
   * Validates with the shared schema, then sends the parsed value; server errors land on fields.
   * `fixed` holds values decided at the moment of sending rather than typed (e.g. the version of
   * the record on screen, which changes when someone else edits it).
   */
  submit: (send: (data: z.output<S>) => Promise<void>, fixed?: Draft<S>) => Promise<void>;
}

/**
 * Form state validated by the same zod schema the server applies, so a person sees the same Chinese
 * message beside the field before sending that the server would answer with.
 */
export function useForm<S extends z.ZodType>(
  source: SchemaSource<S>,
  initial: Draft<S>,
  initialErrors: Record<string, string> = {},
): Form<S> {
  const [values, setValues] = useState<Draft<S>>(initial);
  const [errors, setErrors] = useState<Record<string, string>>(initialErrors);
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const loadSchema = useSchema(source);
  // A tap while a fetched schema is still on its way must not validate and send a second time.
  const validating = useRef(false);

  const set: Form<S>['set'] = (name, value) => {
    const previous = values[name];
    setValues((current) => ({ ...current, [name]: value }));
    // For a nested value (e.g. `child`), only the messages of the parts that changed go away.
    setErrors((current) => withoutChanged(current, String(name), previous, value));
    setFormError(null);
  };

  const submit: Form<S>['submit'] = async (send, fixed) => {
    if (submitting || validating.current) return;
    let ready: S;
    if (typeof source === 'function') {
      validating.current = true;
      try {
        ready = await loadSchema();
      } catch (failure) {
        // The schema's chunk did not arrive (the network dropped before it did): the next tap asks again.
        setFormError(messageOf(failure));
        return;
      } finally {
        validating.current = false;
      }
    } else {
      ready = source;
    }
    const parsed = ready.safeParse(fixed ? { ...values, ...fixed } : values);
    if (!parsed.success) {
      const { fields, general } = issuesToErrors(parsed.error.issues);
      setErrors(fields);
      setFormError(general ?? (Object.keys(fields).length ? '请按提示修改后再提交' : null));
      return;
    }
    setSubmitting(true);
    setErrors({});
    setFormError(null);
    try {
      await send(parsed.data);
    } catch (failure) {
      if (failure instanceof ApiError) setErrors(failure.fields);
      setFormError(messageOf(failure));
    } finally {
      setSubmitting(false);
    }
  };

  return { values, errors, formError, submitting, set, submit };
}

/**
 * The form's schema, as a function that resolves to it: a fetched one is asked for after the first
 * render and kept once it arrives; a failed fetch is asked for again at the next call.
 */
function useSchema<S extends z.ZodType>(source: SchemaSource<S>): () => Promise<S> {
  const loading = useRef<Promise<S> | null>(null);
  const load = useCallback(() => {
    if (typeof source !== 'function') return Promise.resolve(source);
    loading.current ??= source().catch((failure: unknown) => {
      loading.current = null;
      throw failure;
    });
    return loading.current;
  }, [source]);
  useEffect(() => {
    void load().catch(() => undefined);
  }, [load]);
  return load;
}

function issuesToErrors(issues: readonly z.core.$ZodIssue[]): { fields: Record<string, string>; general: string | null } {
  const fields: Record<string, string> = {};
  let general: string | null = null;
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (!path) general ??= issue.message;
    else fields[path] ??= issue.message;
  }
  return { fields, general };
}

function withoutChanged(errors: Record<string, string>, name: string, before: unknown, after: unknown): Record<string, string> {
  const next: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    const within = path === name || path.startsWith(`${name}.`);
    const subPath = path.split('.').slice(1);
    if (!within || (subPath.length > 0 && sameValue(valueAt(before, subPath), valueAt(after, subPath)))) next[path] = message;
  }
  return next;
}

function valueAt(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>(
    (current, key) => (current && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined),
    value,
  );
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
