import { Button, Text, View } from '@tarojs/components';
import { GRADE_LABELS } from '@baoxue/shared';
import { Screen } from '../../../../components/screen';
import { Empty, ErrorNotice, Loading } from '../../../../components/status';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useLoader } from '../../../../hooks/use-loader';
import { useOnReturn } from '../../../../hooks/use-on-return';
import { PAGES } from '../../../../routes';
import { childrenApi, type BoundChild } from '../../../../services/parents';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { openPage } from '../../../../utils/navigation';
import '../../parent.css';

/** 我的孩子: the children this guardian bound, each with its school and subsidies; bind another or unbind. */
export default function ChildrenPage() {
  const user = useCurrentUser();
  const children = useLoader(() => (user ? childrenApi.mine() : null), [user?.id]);
  useOnReturn(() => void children.reload());
  const items = children.data?.items ?? [];

  return (
    <Screen className="list-page children-page">
      <Button className="btn btn-primary btn-block" onClick={() => openPage(PAGES.parentBind)}>
        绑定孩子
      </Button>
      {children.error && <ErrorNotice message={children.error} onRetry={() => void children.reload()} />}
      {children.loading && !children.data && <Loading />}
      {children.data && items.length === 0 && (
        <Empty text="还没有绑定孩子。请用入学通知书上的绑定码和孩子姓名绑定，也可以向班主任索取绑定码。" />
      )}
      {items.map((child) => (
        <ChildCard key={child.id} child={child} onUnbound={() => void children.reload()} />
      ))}
    </Screen>
  );
}

function ChildCard({ child, onUnbound }: { child: BoundChild; onUnbound: () => void }) {
  const unbinding = useAction(
    async () => {
      await childrenApi.unbind(child.id);
      toastSuccess('已解除绑定');
      onUnbound();
    },
    { staysBusy: true },
  );
  const school = [child.schoolName, child.grade ? GRADE_LABELS[child.grade] : null, child.className].filter(Boolean).join(' ');

  const unbind = async () => {
    if (!(await confirm('解除绑定', `解除后将不再收到${child.name}的通知和资助信息。需要时可以用绑定码重新绑定。`, '解除绑定'))) return;
    await unbinding.run();
  };

  return (
    <View className="card list-item child-card">
      <View className="list-item-head">
        <Text className="list-item-title">{child.name}</Text>
        <Text className="tag">{child.relation}</Text>
      </View>
      <Text className="list-item-line">{school || '尚未入学'}</Text>
      {child.idNumberMasked && <Text className="list-item-meta">身份证号 {child.idNumberMasked}</Text>}
      <Text className="list-item-meta">{formatDateTime(child.boundAt)} 绑定</Text>
      <View className="inline-actions">
        <Button className="btn btn-plain btn-small" loading={unbinding.busy} onClick={() => void unbind()}>
          解除绑定
        </Button>
        <Button className="btn btn-plain btn-small" onClick={() => openPage(PAGES.parentAccessHistory, { childId: child.id })}>
          查阅记录
        </Button>
        <Button className="btn btn-primary btn-small" onClick={() => openPage(PAGES.parentSubsidies, { childId: child.id })}>
          查看资助
        </Button>
      </View>
    </View>
  );
}
