import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { CASE_STATUS_LABELS, CASE_STATUSES, DROPOUT_CAUSES, PRIORITY_GROUPS } from '@baoxue/shared';
import type { CaseStatus, DropoutCause, Me, PriorityGroup, SchoolView } from '@baoxue/shared';
import { DivisionPicker } from '../../../components/division-picker';
import { Field } from '../../../components/field';
import { SchoolPicker } from '../../../components/school-picker';
import { Segmented } from '../../../components/segmented';

/** The inbox's filters (listCasesQuery); every one is optional. */
export interface CaseFilters {
  status?: CaseStatus;
  overdueOnly: boolean;
  /** The filters a dashboard figure opens the inbox with: open cases, due later today, returned or closed in a month (`2026-12`). */
  open?: boolean;
  dueToday?: boolean;
  returnedIn?: string;
  closedIn?: string;
  priorityGroup?: PriorityGroup;
  cause?: DropoutCause;
  /** A township or village, with its name for the summary line. */
  place?: { code: string; name: string };
  school?: { id: string; name: string };
}

export const NO_FILTERS: CaseFilters = { overdueOnly: false };

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The filters a link opens the inbox with (a dashboard figure's: `?overdue=true`, `?returnedIn=2026-12`). */
export function filtersFromLink(params: Partial<Record<string, string>>): CaseFilters {
  const month = (value: string | undefined) => (value && MONTH.test(value) ? value : undefined);
  return {
    overdueOnly: params.overdue === 'true',
    open: params.open === 'true' || undefined,
    dueToday: params.dueToday === 'true' || undefined,
    returnedIn: month(params.returnedIn),
    closedIn: month(params.closedIn),
  };
}

/** 2026-12 → 2026年12月. */
const monthLabel = (month: string) => `${month.slice(0, 4)}年${Number(month.slice(5, 7))}月`;

const STATUSES = [
  { value: 'all', label: '全部' },
  ...CASE_STATUSES.map((status) => ({ value: status, label: CASE_STATUS_LABELS[status] })),
];
const GROUPS = Object.keys(PRIORITY_GROUPS) as PriorityGroup[];
const CAUSES = Object.keys(DROPOUT_CAUSES) as DropoutCause[];

/** What the filters say, in a few words: 劝返中 · 因贫 · 吴明村. */
export function describeFilters(filters: CaseFilters): string {
  return [
    filters.status && CASE_STATUS_LABELS[filters.status],
    filters.overdueOnly && '只看超期',
    filters.dueToday && '今日到期',
    filters.open && '在办',
    filters.returnedIn && `${monthLabel(filters.returnedIn)}返校`,
    filters.closedIn && `${monthLabel(filters.closedIn)}销号`,
    filters.priorityGroup && PRIORITY_GROUPS[filters.priorityGroup],
    filters.cause && DROPOUT_CAUSES[filters.cause],
    filters.place?.name,
    filters.school?.name,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * The filters of the inbox: status, overdue, priority group, cause, village and school. Edited here
 * and applied together, so the list is not reloaded on every tap.
 */
export function CaseFilterPanel({ user, value, onApply }: { user: Me; value: CaseFilters; onApply: (filters: CaseFilters) => void }) {
  const [draft, setDraft] = useState<CaseFilters>(value);
  const patch = (next: Partial<CaseFilters>) => setDraft({ ...draft, ...next });
  const unitCode = user.unit?.kind === 'division' ? user.unit.code : null;

  return (
    <View className="card filter-panel">
      <Field label="状态">
        <Segmented
          choices={STATUSES}
          value={draft.status ?? 'all'}
          onChange={(status) => patch({ status: status === 'all' ? undefined : (status as CaseStatus) })}
        />
      </Field>
      <Field label="期限">
        <Segmented
          choices={[
            { value: 'any', label: '不限' },
            { value: 'overdue', label: '只看超期' },
            { value: 'today', label: '今日到期' },
          ]}
          value={draft.overdueOnly ? 'overdue' : draft.dueToday ? 'today' : 'any'}
          onChange={(choice) => patch({ overdueOnly: choice === 'overdue', dueToday: choice === 'today' || undefined })}
        />
      </Field>
      <Field label="重点群体">
        <View className="chips">
          {GROUPS.map((group) => (
            <View
              key={group}
              className={draft.priorityGroup === group ? 'chip chip-active' : 'chip'}
              onClick={() => patch({ priorityGroup: draft.priorityGroup === group ? undefined : group })}
            >
              {PRIORITY_GROUPS[group]}
            </View>
          ))}
        </View>
      </Field>
      <Field label="辍学原因">
        <View className="chips">
          {CAUSES.map((cause) => (
            <View
              key={cause}
              className={draft.cause === cause ? 'chip chip-active' : 'chip'}
              onClick={() => patch({ cause: draft.cause === cause ? undefined : cause })}
            >
              {DROPOUT_CAUSES[cause]}
            </View>
          ))}
        </View>
      </Field>
      {user.unit?.kind !== 'school' && (
        <Field label="乡镇或村">
          <DivisionPicker
            value={draft.place?.code ?? unitCode}
            minLevel="township"
            onChange={(division) =>
              patch({ place: division && division.code !== unitCode ? { code: division.code, name: division.name } : undefined })
            }
          />
        </Field>
      )}
      <Field label="学校">
        <SchoolPicker
          value={draft.school?.id ?? null}
          actionable
          onChange={(school: SchoolView) =>
            patch({ school: draft.school?.id === school.id ? undefined : { id: school.id, name: school.name } })
          }
        />
        {draft.school && (
          <Text className="link" onClick={() => patch({ school: undefined })}>
            不限学校
          </Text>
        )}
      </Field>
      <View className="inline-actions">
        <Button className="btn btn-plain btn-small" onClick={() => setDraft(NO_FILTERS)}>
          清除
        </Button>
        <Button className="btn btn-primary btn-small" onClick={() => onApply(draft)}>
          应用筛选
        </Button>
      </View>
    </View>
  );
}
