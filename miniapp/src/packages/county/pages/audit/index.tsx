import { useState } from 'react';
import { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import { actorlessLabel, AUDIT_CATEGORIES, AUDIT_CATEGORY_KEYS } from '@baoxue/shared';
import type { AuditCategory, RequestQuery } from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { Field } from '../../../../components/field';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { useAction } from '../../../../hooks/use-action';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { auditApi, type AuditEntry } from '../../../../services/audit';
import { downloadFile } from '../../../../services/download';
import { today } from '../../../../utils/dates';
import { toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import '../../../../components/subpackage.css';
import '../../audit.css';

type Named = { id: string; name: string };

/**
 * 审计日志 (BRIEF §7): who read, revealed or exported which child's record, merged records, changed
 * roles or settings and signed in — when, and why. Filtered by child (opened from a case: "who has
 * seen this record"), by person (tap a name), by kind and by date; exported as .xlsx. Reading and
 * exporting the log are recorded in it too.
 */
export default function AuditPage() {
  const params = useRouter().params;
  const [child, setChild] = useState<Named | null>(
    params.childId ? { id: params.childId, name: decoded(params.childName) ?? '该儿童' } : null,
  );
  const [actor, setActor] = useState<Named | null>(null);
  const [category, setCategory] = useState<AuditCategory | null>(null);
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);

  const filters: RequestQuery<'auditExport'> = {
    childId: child?.id,
    actorId: actor?.id,
    category: category ?? undefined,
    from: from ?? undefined,
    to: to ?? undefined,
  };
  const entries = usePagedList((cursor) => auditApi.list({ ...filters, cursor, limit: 20 }), [child?.id, actor?.id, category, from, to]);
  const exporting = useAction(async () => {
    await downloadFile('auditExport', { query: filters, fileName: `审计日志-${today()}.xlsx` });
    toastSuccess('已导出');
  });

  return (
    <Screen className="list-page audit-page">
      <View className="card">
        <Text className="card-note">记录谁在何时查阅、导出或修改了哪些信息及理由。查阅和导出本日志也会被记录。</Text>
        {(child || actor) && (
          <View className="chips audit-filters">
            {child && (
              <View className="chip chip-active filter-child" onClick={() => setChild(null)}>
                儿童：{child.name} ✕
              </View>
            )}
            {actor && (
              <View className="chip chip-active filter-actor" onClick={() => setActor(null)}>
                操作人：{actor.name} ✕
              </View>
            )}
          </View>
        )}
        <View className="chips audit-categories">
          <View className={category === null ? 'chip chip-active' : 'chip'} onClick={() => setCategory(null)}>
            全部
          </View>
          {AUDIT_CATEGORY_KEYS.map((key) => (
            <View key={key} className={category === key ? 'chip chip-active' : 'chip'} onClick={() => setCategory(key)}>
              {AUDIT_CATEGORIES[key]}
            </View>
          ))}
        </View>
        <View className="audit-dates">
          <Field label="日期从">
            <DateField className="input-from" value={from} end={to ?? today()} placeholder="不限" onChange={setFrom} />
          </Field>
          <Field label="到">
            <DateField className="input-to" value={to} start={from ?? undefined} end={today()} placeholder="不限" onChange={setTo} />
          </Field>
        </View>
        <Button className="btn btn-plain btn-block export-audit" loading={exporting.busy} onClick={() => void exporting.run()}>
          导出为 Excel
        </Button>
      </View>
      <PagedList list={entries} empty="没有符合条件的记录">
        {(entry) => <EntryCard key={entry.id} entry={entry} onActor={(named) => setActor(named)} onChild={(named) => setChild(named)} />}
      </PagedList>
    </Screen>
  );
}

/** A page parameter as typed: WeChat and Taro's H5 router hand them over still percent-encoded. */
function decoded(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function EntryCard({ entry, onActor, onChild }: { entry: AuditEntry; onActor: (actor: Named) => void; onChild: (child: Named) => void }) {
  const { actor, child } = entry;
  return (
    <View className="card list-item audit-entry">
      <View className="list-item-head">
        <Text className="list-item-title">{entry.actionLabel}</Text>
        <Text className={`tag tag-audit-${entry.category}`}>{AUDIT_CATEGORIES[entry.category]}</Text>
      </View>
      <Text className="list-item-meta">{formatDateTime(entry.at)}</Text>
      <View className="audit-line">
        <Text className="audit-label">操作人</Text>
        {actor ? (
          <Text className="audit-link audit-actor" onClick={() => onActor({ id: actor.id, name: actor.name })}>
            {actor.name}
            {actor.unit ? `（${actor.unit}）` : ''}
          </Text>
        ) : (
          <Text>{actorlessLabel(entry.category)}</Text>
        )}
      </View>
      {child && (
        <View className="audit-line">
          <Text className="audit-label">儿童</Text>
          <Text className="audit-link audit-child" onClick={() => onChild({ id: child.id, name: child.name })}>
            {child.name}
          </Text>
        </View>
      )}
      <View className="audit-line">
        <Text className="audit-label">对象</Text>
        <Text>{entry.target}</Text>
      </View>
      {entry.reason && (
        <View className="audit-line audit-reason">
          <Text className="audit-label">理由</Text>
          <Text>{entry.reason}</Text>
        </View>
      )}
      {entry.details && <Text className="list-item-meta">{entry.details}</Text>}
    </View>
  );
}
