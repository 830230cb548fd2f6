import { chinaMinute, type Role, type SubscriptionKey } from '@baoxue/shared';

/**
 * The subscribe-message templates and WeChat's limits on their field values (subscribeMessage.send):
 * `thing` ≤ 20 characters, `phrase` ≤ 5 (and Chinese only), `time` a date-time, `amount` a number with
 * an optional currency sign and 元. Values are fitted
 * here, before they are queued, so WeChat never refuses a message for its content (47003).
 */
type FieldKind = 'thing' | 'phrase' | 'time' | 'amount';

interface TemplateDefinition {
  /** What the mini program shows when asking for the subscription. */
  title: string;
  fields: Record<string, FieldKind>;
  /** Who is offered it; everyone when not given. */
  roles?: readonly Role[];
}

export const SUBSCRIBE_TEMPLATES: Record<SubscriptionKey, TemplateDefinition> = {
  new_case: { title: '新线索提醒', fields: { thing1: 'thing', thing2: 'thing', time3: 'time', thing4: 'thing' } },
  tip_progress: { title: '线索进展通知', fields: { thing1: 'thing', phrase2: 'phrase', time3: 'time', thing4: 'thing' } },
  subsidy_paid: {
    title: '资助到账通知',
    fields: { thing1: 'thing', thing2: 'thing', amount3: 'amount', time4: 'time' },
    roles: ['parent'],
  },
  // 请假审批结果: the child, the leave's days, the decision, a pointer to the app (no kind of leave, no note: see LeaveService.decide)
  leave_decided: {
    title: '请假审批结果通知',
    fields: { thing1: 'thing', thing2: 'thing', phrase3: 'phrase', thing4: 'thing' },
    roles: ['parent'],
  },
};

const LIMITS: Record<Exclude<FieldKind, 'time' | 'amount'>, number> = { thing: 20, phrase: 5 };
const AMOUNT = /^[¥￥]?\d{1,10}(\.\d{1,2})?元?$/;

/** `2026年11月23日 20:15` in China time, as WeChat's `time` fields expect. */
export function wechatTime(date: Date): string {
  const [, year, month, day, time] = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}:\d{2})$/.exec(chinaMinute(date))!;
  return `${year}年${month}月${day}日 ${time}`;
}

function fit(kind: FieldKind, value: string): string {
  if (kind === 'time') return value;
  if (kind === 'amount') {
    if (!AMOUNT.test(value)) throw new Error(`not an amount WeChat accepts: ${value}`);
    return value;
  }
  const characters = [...value.replace(/\s+/g, ' ').trim()];
  const limit = LIMITS[kind];
  if (characters.length <= limit) return characters.join('');
  return kind === 'thing' ? `${characters.slice(0, limit - 1).join('')}…` : characters.slice(0, limit).join('');
}

/** The template's values, each within its field's limit; throws for a missing or unknown field. */
export function templateData(key: SubscriptionKey, values: Record<string, string>): Record<string, string> {
  const { fields } = SUBSCRIBE_TEMPLATES[key];
  const data: Record<string, string> = {};
  for (const [field, kind] of Object.entries(fields)) {
    const value = values[field];
    if (!value || !value.trim()) throw new Error(`template ${key} needs a value for ${field}`);
    data[field] = fit(kind, value);
  }
  for (const field of Object.keys(values)) if (!(field in fields)) throw new Error(`template ${key} has no field ${field}`);
  return data;
}
