import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { isReportLate, REPORT_KINDS, reportPeriodLabel } from '@baoxue/shared';
import { Menu } from '../../../../components/menu';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { PAGES } from '../../../../routes';
import { reportsApi, type MyReports } from '../../../../services/reports';
import { today } from '../../../../utils/dates';
import { openPage } from '../../../../utils/navigation';
import { recentPeriods, REPORT_STATUS_TEXT, REPORTING_UNITS } from '../../report-labels';
import '../../../../components/subpackage.css';
import '../../reports.css';

type Submits = NonNullable<MyReports['submits']>;

/**
 * 定期报告 (BRIEF §5a): a school's leader, a township's leaders and the county bureau make their own
 * unit's monthly (or quarterly) report here and send it up; whoever receives reports from the level
 * below (a township, the county, a prefecture or province) opens its units' reports side by side.
 */
export default function ReportsPage() {
  const mine = useLoader(() => reportsApi.mine(), []);
  useOnReturn(() => void mine.reload());
  return (
    <Screen className="list-page reports-page">
      {mine.error && <ErrorNotice message={mine.error} onRetry={() => void mine.reload()} />}
      {mine.loading && !mine.data && <Loading />}
      {mine.data && <Reports mine={mine.data} />}
    </Screen>
  );
}

function Reports({ mine }: { mine: MyReports }) {
  const nothing = !mine.submits && mine.reviews.length === 0;
  return (
    <>
      {mine.submits && <OwnReport submits={mine.submits} recent={mine.recent} />}
      {mine.reviews.length > 0 && (
        <View className="section">
          <Text className="section-title">下级报告</Text>
          <Menu
            entries={mine.reviews.map((review) => ({
              title: `${REPORTING_UNITS[review.kind]}${REPORT_KINDS[review.kind]}`,
              description: `${review.periodLabel}：各单位上报情况和主要数字并列对照，逾期、退回的标红`,
              onClick: () => openPage(PAGES.reportList, { kind: review.kind, period: review.period }),
            }))}
          />
        </View>
      )}
      {nothing && <Text className="section-note">您的账号不需要上报或审核定期报告。</Text>}
      <Text className="footnote">
        学校每月向乡镇上报月报，乡镇每月向县教育局上报月报，县教育局每季度向市、省教育局上报季报。报告数字由系统按本单位、本期的数据生成，与上期对照；上级审核通过后锁定，不再随数据变化。
      </Text>
    </>
  );
}

/** The caller's own unit's report: the period due now (or one of the three before), made or opened. */
function OwnReport({ submits, recent }: { submits: Submits; recent: MyReports['recent'] }) {
  const periods = recentPeriods(submits.period, 4);
  const [period, setPeriod] = useState(submits.period);
  const current = period === submits.period;
  const report =
    (current ? submits.report : null) ??
    recent.find((item) => item.kind === submits.kind && item.period === period && item.unit.id === submits.unit.id) ??
    null;
  const late = current && (report ? report.late : isReportLate(null, submits.dueOn, today()));
  const generating = useAction(async () => {
    const made = await reportsApi.open({ kind: submits.kind, period });
    openPage(PAGES.report, { id: made.id });
  });

  return (
    <View className="card own-report">
      <Text className="card-title">
        {submits.unit.name}
        {REPORT_KINDS[submits.kind]}
      </Text>
      <Segmented choices={periods} value={period} onChange={setPeriod} />
      <Text className="report-meta">报告期：{reportPeriodLabel(period)}</Text>
      {current && <Text className="report-meta">上报期限：{submits.dueOn}</Text>}
      <View className="report-tags">
        <Text className={`report-status report-status-${report ? report.status : 'missing'}`}>
          {REPORT_STATUS_TEXT[report ? report.status : 'missing']}
        </Text>
        {late && <Text className="report-status report-late">已逾期</Text>}
      </View>
      {report ? (
        <Button className="btn btn-primary btn-block" onClick={() => openPage(PAGES.report, { id: report.id })}>
          打开报告
        </Button>
      ) : (
        <Button className="btn btn-primary btn-block" loading={generating.busy} onClick={() => void generating.run()}>
          生成本期报告
        </Button>
      )}
    </View>
  );
}
