import { useEffect, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { Button, Text, View } from '@tarojs/components';
import {
  CASE_SOURCES,
  isOpenCase,
  CASE_STATUS_LABELS,
  PRIORITY_GROUPS,
  returnToTriageRequest,
  revealTipsterRequest,
  splitTipRequest,
} from '@baoxue/shared';
import type { Me } from '@baoxue/shared';
import { childFacts } from '../../../../components/case-card';
import { CaseAction, ROUTING_RULE_LABELS } from '../../../../components/case-labels';
import { DetailRow } from '../../../../components/detail-row';
import { ReasonDialog } from '../../../../components/reason-dialog';
import { RouteCaseForm } from '../../../../components/route-case-form';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { PAGES } from '../../../../routes';
import { casesApi, type CaseDetailView } from '../../../../services/cases';
import { tipsApi } from '../../../../services/tips';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { goBack, pageUrl } from '../../../../utils/navigation';
import { AcceptPanel } from '../../components/accept-panel';
import { CaseTip, type Tipster } from '../../components/case-tip';
import { MergePanel } from '../../components/merge-panel';

type Dialog = { kind: 'reveal'; tipId: string } | { kind: 'split'; tipId: string } | { kind: 'return' };
type Panel = 'accept' | 'merge' | 'route' | null;

/** One case, for the township that handles it and for the county (which can open any in the county). */
export default function CasePage() {
  const user = useCurrentUser();
  const { id } = useRouter().params;
  const detail = useLoader(() => (user && id ? casesApi.get(id) : null), [user?.id, id]);
  useOnReturn(() => void detail.reload());

  useEffect(() => {
    if (detail.data) void Taro.setNavigationBarTitle({ title: `${detail.data.child.name}的案件` });
  }, [detail.data?.child.name]);

  return (
    <Screen className="detail-page case-page">
      {!id && <Empty text="没有指定案件" />}
      {detail.error && <ErrorNotice message={detail.error} onRetry={() => void detail.reload()} />}
      {detail.loading && !detail.data && <Loading />}
      {detail.data && user && <CaseView detail={detail.data} user={user} reload={detail.reload} />}
    </Screen>
  );
}

function CaseView({ detail, user, reload }: { detail: CaseDetailView; user: Me; reload: () => Promise<void> }) {
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [tipsters, setTipsters] = useState<Record<string, Tipster>>({});
  const can = (action: string) => detail.actions.includes(action);
  const toggle = (next: Panel) => setPanel(panel === next ? null : next);

  const afterChange = async (message: string) => {
    setPanel(null);
    toastSuccess(message);
    await reload();
  };

  const openCase = (caseId: string) => void Taro.redirectTo({ url: pageUrl(PAGES.officialCase, { id: caseId }) });

  const split = async (tipId: string, reason: string) => {
    const created = await casesApi.splitTip(tipId, reason);
    setDialog(null);
    await reload();
    if (await confirm('已拆分为新案件', `这条线索已成为${created.child.name}的新案件。`, '查看新案件')) openCase(created.id);
  };

  const facts = childFacts(detail.child);
  return (
    <>
      <View className={detail.overdue ? 'card case-head case-head-overdue' : 'card case-head'}>
        <View className="list-item-head">
          <Text className="case-child-name">{detail.child.name}</Text>
          <View className="tags">
            {detail.overdue && <Text className="tag tag-overdue">已超期</Text>}
            <Text className={`tag tag-status-${detail.status}`}>{CASE_STATUS_LABELS[detail.status]}</Text>
          </View>
        </View>
        {facts && <Text className="list-item-meta">{facts}</Text>}
        {detail.child.priorityGroups.length > 0 && (
          <View className="tags">
            {detail.child.priorityGroups.map((group) => (
              <Text key={group} className="tag tag-priority">
                {PRIORITY_GROUPS[group]}
              </Text>
            ))}
          </View>
        )}
        <DetailRow label="居住地">{detail.place ?? '不清楚'}</DetailRow>
        <DetailRow label="负责乡镇">{detail.townshipName ?? '县教育局待分派'}</DetailRow>
        {detail.schoolName && <DetailRow label="学校">{detail.schoolName}</DetailRow>}
        <DetailRow label="包抓干部">{detail.assigneeName ?? '尚未指定'}</DetailRow>
        <DetailRow label="来源">{`${CASE_SOURCES[detail.source]}，共 ${detail.tipCount} 条线索`}</DetailRow>
        <DetailRow label="收到时间">{formatDateTime(detail.openedAt)}</DetailRow>
        {detail.dueAt && <DetailRow label="办理期限">{`${formatDateTime(detail.dueAt)}${detail.overdue ? '（已超期）' : ''}`}</DetailRow>}
      </View>

      {(can(CaseAction.accept) || can(CaseAction.returnToTriage) || can(CaseAction.merge) || can(CaseAction.route)) && (
        <View className="card">
          <Text className="card-title">办理</Text>
          {can(CaseAction.accept) && (
            <Button
              className={panel === 'accept' ? 'btn btn-plain btn-block' : 'btn btn-primary btn-block'}
              onClick={() => toggle('accept')}
            >
              受理并指定包抓干部
            </Button>
          )}
          {panel === 'accept' && <AcceptPanel detail={detail} userId={user.id} onAccepted={() => void afterChange('已受理')} />}
          {can(CaseAction.route) && (
            <Button className="btn btn-primary btn-block" onClick={() => toggle('route')}>
              分派到乡镇
            </Button>
          )}
          {panel === 'route' && (
            <RouteCaseForm caseId={detail.id} countyCode={detail.countyCode} onRouted={() => void afterChange('已分派')} />
          )}
          {can(CaseAction.merge) && (
            <Button className="btn btn-plain btn-block" onClick={() => toggle('merge')}>
              与其他案件合并
            </Button>
          )}
          {panel === 'merge' && (
            <MergePanel
              detail={detail}
              onMerged={(into) => {
                toastSuccess('已合并');
                openCase(into.id);
              }}
            />
          )}
          {can(CaseAction.returnToTriage) && (
            <Button className="btn btn-danger btn-block" onClick={() => setDialog({ kind: 'return' })}>
              非本乡镇，退回
            </Button>
          )}
        </View>
      )}

      <View className="section">
        <Text className="section-title">线索（{detail.tips.length}）</Text>
        {detail.tips.map((tip, index) => (
          <CaseTip
            key={tip.id}
            tip={tip}
            index={index}
            tipster={tipsters[tip.id] ?? null}
            onReveal={() => setDialog({ kind: 'reveal', tipId: tip.id })}
            onSplit={isOpenCase(detail.status) && detail.tips.length > 1 ? () => setDialog({ kind: 'split', tipId: tip.id }) : null}
          />
        ))}
      </View>

      <View className="card">
        <Text className="card-title">分派记录</Text>
        {detail.routings.length === 0 && <Text className="list-item-meta">暂无</Text>}
        {detail.routings.map((routing, index) => (
          <View key={`${routing.at}-${index}`} className="history-item">
            <Text className="history-title">
              {routing.townshipCode ? `分派到${routing.townshipName ?? routing.townshipCode}` : '转县教育局分派'}
              {routing.schoolName ? `，同时告知${routing.schoolName}` : ''}
            </Text>
            <Text className="list-item-meta">
              {formatDateTime(routing.at)} · {ROUTING_RULE_LABELS[routing.rule]}
              {routing.byName ? ` · ${routing.byName}` : ''}
            </Text>
            {routing.reason && <Text className="history-note">原因：{routing.reason}</Text>}
          </View>
        ))}
      </View>

      <View className="card">
        <Text className="card-title">办理记录</Text>
        {detail.events.length === 0 && <Text className="list-item-meta">暂无</Text>}
        <View className="timeline">
          {detail.events.map((event, index) => (
            <View key={`${event.at}-${index}`} className="timeline-item timeline-item-done">
              <View className="timeline-dot" />
              <View className="timeline-text">
                <Text className="timeline-title">{event.summary}</Text>
                <Text className="timeline-meta">
                  {formatDateTime(event.at)}
                  {event.byName ? ` · ${event.byName}` : ''}
                </Text>
              </View>
            </View>
          ))}
        </View>
      </View>

      {dialog?.kind === 'reveal' && (
        <ReasonDialog
          title="查看线索提供人"
          note="为保护提供人，查看需说明理由，查看记录会留存备查。"
          placeholder="例如：线索中的住址不清，需要向提供人核实"
          confirmText="查看"
          schema={revealTipsterRequest}
          onCancel={() => setDialog(null)}
          onConfirm={async (reason) => {
            const tipster = await tipsApi.reveal(dialog.tipId, reason);
            setTipsters((current) => ({ ...current, [dialog.tipId]: tipster }));
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'split' && (
        <ReasonDialog
          title="拆分为新案件"
          note="这条线索说的不是本案件的孩子时，把它拆分出来单独办理。"
          placeholder="例如：同名不同人，年龄和住址都不一致"
          confirmText="拆分"
          schema={splitTipRequest}
          onCancel={() => setDialog(null)}
          onConfirm={(reason) => split(dialog.tipId, reason)}
        />
      )}
      {dialog?.kind === 'return' && (
        <ReasonDialog
          title="非本乡镇，退回县级分派"
          note="退回后案件回到县教育局的待分派队列，由县里重新分派；原因会记入分派记录。"
          placeholder="例如：该村已划归其他乡镇，孩子实际住在寨河镇"
          confirmText="退回"
          schema={returnToTriageRequest}
          onCancel={() => setDialog(null)}
          onConfirm={async (reason) => {
            await casesApi.returnToTriage(detail.id, reason);
            setDialog(null);
            toastSuccess('已退回');
            goBack();
          }}
        />
      )}
    </>
  );
}
