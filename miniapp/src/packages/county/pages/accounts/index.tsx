import { useState } from 'react';
import { Button, Input, Text, View } from '@tarojs/components';
import { ROLE_LABELS, ROLES } from '@baoxue/shared';
import type { AccountView, Role } from '@baoxue/shared';
import { DataTable } from '../../../../components/data-table';
import { Screen } from '../../../../components/screen';
import { Segmented } from '../../../../components/segmented';
import { useAction } from '../../../../hooks/use-action';
import { useCurrentUser } from '../../../../hooks/use-current-user';
import { useDebounced } from '../../../../hooks/use-debounced';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { accountsApi } from '../../../../services/accounts';
import { confirm, toastSuccess } from '../../../../utils/feedback';
import { formatDateTime } from '../../../../utils/format';
import { roleTitle, unitName } from '../../../../utils/labels';
import { accountColumns } from '../../components/county-columns';
import '../../../../components/subpackage.css';

type RoleFilter = Role | 'all';

// parents sign in with WeChat and belong to no county: the county's list never holds one
const FILTERS: ReadonlyArray<{ value: RoleFilter; label: string }> = [
  { value: 'all', label: '全部' },
  ...ROLES.filter((role) => role !== 'parent').map((role) => ({ value: role, label: ROLE_LABELS[role] })),
];

export default function AccountsPage() {
  const me = useCurrentUser();
  const [role, setRole] = useState<RoleFilter>('all');
  const [query, setQuery] = useState('');
  const searchTerm = useDebounced(query.trim());
  const accounts = usePagedList(
    (cursor) => accountsApi.list({ cursor, role: role === 'all' ? undefined : role, q: searchTerm || undefined, limit: 20 }),
    [role, searchTerm],
  );
  const saving = useAction(async (account: AccountView, disabling: boolean) => {
    accounts.replace(await accountsApi.setDisabled(account.id, disabling), (a, b) => a.id === b.id);
    toastSuccess(disabling ? '已停用' : '已启用');
  });

  const toggle = async (account: AccountView) => {
    const disabling = !account.disabled;
    const question = disabling
      ? `停用后「${account.displayName}」将无法登录和使用保学通。`
      : `启用后「${account.displayName}」可以重新登录。`;
    if (!(await confirm(disabling ? '停用账号' : '启用账号', question, disabling ? '停用' : '启用'))) return;
    await saving.run(account, disabling);
  };

  return (
    <Screen className="list-page">
      <Input
        className="input input-small account-search"
        value={query}
        maxlength={20}
        placeholder="按姓名搜索账号"
        onInput={(event) => setQuery(event.detail.value)}
      />
      <Segmented choices={FILTERS} value={role} onChange={setRole} />
      <DataTable<AccountView>
        label="账号列表"
        list={accounts}
        empty={searchTerm ? `没有姓名含“${searchTerm}”的账号` : '没有账号'}
        rowKey={(account) => account.id}
        columns={accountColumns(me?.id ?? null, { run: (account) => void toggle(account), busyId: saving.running?.[0].id ?? null })}
        card={(account) => (
          <View key={account.id} className="card list-item">
            <View className="list-item-head">
              <Text className="list-item-title">{account.displayName}</Text>
              {account.disabled ? (
                <Text className="tag tag-revoked">已停用</Text>
              ) : (
                <Text className="tag">{ROLE_LABELS[account.role]}</Text>
              )}
            </View>
            <Text className="list-item-line">{roleTitle(account)}</Text>
            {account.unit && <Text className="list-item-line">单位：{unitName(account.unit)}</Text>}
            <Text className="list-item-meta">
              注册于 {formatDateTime(account.createdAt)}，最近使用 {formatDateTime(account.lastSeenAt)}
            </Text>
            {account.role === 'county_admin' ? (
              account.id !== me?.id && <Text className="list-item-meta">管理员账号由系统运维人员管理</Text>
            ) : (
              <View className="inline-actions">
                <Button
                  className="btn btn-plain btn-small account-toggle"
                  loading={saving.running?.[0].id === account.id}
                  onClick={() => void toggle(account)}
                >
                  {account.disabled ? '启用' : '停用'}
                </Button>
              </View>
            )}
          </View>
        )}
      />
    </Screen>
  );
}
