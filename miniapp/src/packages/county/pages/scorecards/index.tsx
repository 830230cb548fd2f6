import { useState } from 'react';
import { Button, Input, Text, Textarea, View } from '@tarojs/components';
import { CIRCULAR_COMMENT_MAX, CIRCULAR_TITLE_MAX, publishCircularRequest, schoolYearOf, schoolYearRange } from '@baoxue/shared';
import { DateField } from '../../../../components/date-field';
import { Field, FormError } from '../../../../components/field';
import { ScorecardTable } from '../../../../components/scorecard-table';
import { Screen } from '../../../../components/screen';
import { Segmented, type Choice } from '../../../../components/segmented';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useForm } from '../../../../hooks/use-form';
import { useLoader } from '../../../../hooks/use-loader';
import { PAGES } from '../../../../routes';
import { circularsApi } from '../../../../services/circulars';
import { scorecardsApi, type ScorecardTable as Table } from '../../../../services/scorecards';
import { today } from '../../../../utils/dates';
import { openPage } from '../../../../utils/navigation';
import { randomUuid } from '../../../../utils/uuid';
import '../../../../components/field.css';
import '../../../../components/subpackage.css';
import './index.css';

const TABLES: ReadonlyArray<Choice<Table>> = [
  { value: 'township', label: '各乡镇' },
  { value: 'school', label: '各学校' },
];

/**
 * 考核排名 (BRIEF §5a): the county's townships — or, for the county admin, its schools — ranked on
 * their case work in a period: time to acknowledge, verification and first visit on time, overdue
 * work, children returned and relapsed, supervisors' tips confirmed. Each figure shows what it is
 * computed from, and every formula is written out below the table. Counts only, no child named.
 * The county admin publishes the table on screen as a 通报 to every township and school.
 */
export default function ScorecardsPage() {
  const user = useCurrentUser();
  const yearStart = schoolYearRange(schoolYearOf(today())).from;
  const [from, setFrom] = useState<string>(yearStart);
  const [to, setTo] = useState<string>(today());
  const [table, setTable] = useState<Table>('township');
  const county = user?.role === 'county_admin';
  const card = useLoader(() => (user ? scorecardsApi.get({ by: county ? table : undefined, from, to }) : null), [user, table, from, to]);

  return (
    <Screen className="list-page scorecard-page">
      {county && <Segmented choices={TABLES} value={table} onChange={setTable} />}
      <View className="card scorecard-period">
        <Text className="field-label">统计期间</Text>
        <View className="scorecard-dates">
          <DateField className="input-from" value={from} end={to} onChange={(day) => day && setFrom(day)} />
          <Text className="scorecard-dash">至</Text>
          <DateField className="input-to" value={to} start={from} end={today()} onChange={(day) => day && setTo(day)} />
        </View>
      </View>
      {card.error && <ErrorNotice message={card.error} onRetry={() => void card.reload()} />}
      {card.loading && <Loading />}
      {card.data && !card.loading && <ScorecardTable card={card.data} />}
      {county && card.data && !card.loading && card.data.by !== 'county' && (
        <PublishForm by={card.data.by} from={card.data.from} to={card.data.to} />
      )}
    </Screen>
  );
}

/**
 * 发布通报: the table on screen (its units and period) with a title and an optional comment. The
 * server recomputes and locks the figures; one key per form, so a retried tap publishes once.
 */
function PublishForm({ by, from, to }: { by: Table; from: string; to: string }) {
  const [idempotencyKey] = useState(randomUuid);
  const form = useForm(publishCircularRequest, { title: `关于${from}至${to}控辍保学工作考核情况的通报` });
  const publish = () =>
    form.submit(
      async (body) => {
        const circular = await circularsApi.publish(body);
        openPage(PAGES.circular, { id: circular.id });
      },
      { by: by === 'school' ? 'school' : 'township', from, to, idempotencyKey },
    );
  return (
    <View className="card circular-publish">
      <Text className="card-title">发布通报</Text>
      <Field label="通报标题" error={form.errors.title}>
        <Input
          className="input"
          value={form.values.title ?? ''}
          maxlength={CIRCULAR_TITLE_MAX}
          onInput={(event) => form.set('title', event.detail.value)}
        />
      </Field>
      <Field label="通报意见（表扬、批评，可不填）" error={form.errors.comment}>
        <Textarea
          className="textarea"
          value={form.values.comment ?? ''}
          maxlength={CIRCULAR_COMMENT_MAX}
          placeholder="如：十里镇受理及时，予以表扬；寨河镇逾期较多，予以通报批评，限期整改。"
          onInput={(event) => form.set('comment', event.detail.value)}
        />
      </Field>
      {(form.errors.from || form.errors.to || form.errors.by) && (
        <FormError message={form.errors.to ?? form.errors.from ?? form.errors.by ?? null} />
      )}
      <Text className="card-note">发布时按上面的统计期间重新计算并锁定排名，编发文号，发给全县各乡镇负责人和各学校，发布后不再改变。</Text>
      <FormError message={form.formError} />
      <Button className="btn btn-primary btn-block" loading={form.submitting} onClick={() => void publish()}>
        发布通报
      </Button>
      <Button className="btn btn-plain btn-block" onClick={() => openPage(PAGES.circulars)}>
        已发布的通报
      </Button>
    </View>
  );
}
