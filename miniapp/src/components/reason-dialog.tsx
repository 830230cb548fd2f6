import { useState, type ReactNode } from 'react';
import { Button, Text, Textarea, View } from '@tarojs/components';
import type { z } from 'zod';
import { useAction } from '../hooks/use-action';
import { ApiError, messageOf } from '../services/request';
import './subpackage.css';

interface Props {
  title: string;
  /** What the reason is for and who will see it. */
  note: string;
  placeholder: string;
  confirmText: string;
  /** The request's shared schema: the same limits and messages the server applies to `reason`. */
  schema: z.ZodType;
  /** The request field the text goes in (`reason` unless the request names it otherwise, e.g. `note`). */
  field?: string;
  /** The request's other fields, for a schema that needs them to validate (e.g. a transition's name). */
  extra?: Record<string, unknown>;
  /** A choice the action needs besides the reason (e.g. which record stays), shown above the text box. */
  children?: ReactNode;
  onConfirm: (reason: string) => Promise<void>;
  onCancel: () => void;
}

/** Asks for the reason an action needs (revealing a tipster, sending a case back…) before doing it. */
export function ReasonDialog({
  title,
  note,
  placeholder,
  confirmText,
  schema,
  field = 'reason',
  extra,
  children,
  onConfirm,
  onCancel,
}: Props) {
  const [reason, setReason] = useState('');
  const [invalid, setInvalid] = useState<string | null>(null);
  // Whoever opened the dialog closes it on success, so the button stays busy until then.
  const confirming = useAction(onConfirm, {
    errorIn: 'inline',
    staysBusy: true,
    describe: (failure) => (failure instanceof ApiError && failure.fields[field] ? failure.fields[field] : messageOf(failure)),
  });
  const busy = confirming.busy;
  const error = invalid ?? confirming.error;

  const confirm = () => {
    if (busy) return;
    const parsed = schema.safeParse({ ...extra, [field]: reason });
    if (!parsed.success) {
      setInvalid(parsed.error.issues.find((issue) => issue.path[0] === field)?.message ?? parsed.error.issues[0]?.message ?? '请填写原因');
      return;
    }
    setInvalid(null);
    void confirming.run((parsed.data as Record<string, string>)[field]!);
  };

  return (
    <View className="modal-mask">
      <View className="modal reason-dialog">
        <Text className="modal-title">{title}</Text>
        <Text className="card-note">{note}</Text>
        {children}
        <View className={error ? 'field field-invalid' : 'field'}>
          <Textarea
            className="textarea textarea-small"
            value={reason}
            maxlength={200}
            placeholder={placeholder}
            onInput={(event) => {
              setReason(event.detail.value);
              setInvalid(null);
              confirming.clearError();
            }}
          />
          {error && <Text className="field-error">{error}</Text>}
        </View>
        <View className="modal-actions">
          {/* Only a present `disabled` means disabled: Taro's H5 styles disabled="false" as disabled too. */}
          <Button className="btn btn-plain" disabled={busy || undefined} onClick={onCancel}>
            取消
          </Button>
          <Button className="btn btn-primary" loading={busy} onClick={confirm}>
            {confirmText}
          </Button>
        </View>
      </View>
    </View>
  );
}
