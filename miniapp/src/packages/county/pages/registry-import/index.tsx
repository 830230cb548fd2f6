import { useState } from 'react';
import { Text, View } from '@tarojs/components';
import { IMPORT_STATUSES, REGISTRY_KINDS } from '@baoxue/shared';
import type { RegistryKind } from '@baoxue/shared';
import { PagedList } from '../../../../components/paged-list';
import { Screen } from '../../../../components/screen';
import { Segmented, type Choice } from '../../../../components/segmented';
import { usePagedList } from '../../../../hooks/use-paged-list';
import { registryApi, type RegistryImport } from '../../../../services/registry';
import { formatDateTime } from '../../../../utils/format';
import { failureMessage, SheetFileActions } from '../../components/sheet-import';
import { usePolling } from '../../registry-shared';
import '../../county.css';
import '../../../../components/subpackage.css';
import '../../registry.css';

const KINDS: ReadonlyArray<Choice<RegistryKind>> = [
  { value: 'household', label: '户籍' },
  { value: 'roster', label: '学籍' },
  { value: 'absence', label: '缺勤' },
  { value: 'poverty', label: '困难家庭' },
];

const KIND_NOTES: Record<RegistryKind, string> = {
  household: '公安户籍中的适龄儿童：身份证号、姓名、户籍所在村，可附监护人。用于比对谁没有学籍（失学）。',
  roster: '各校在籍学生：学籍号、姓名、学校、年级，可附身份证号、户籍村和监护人。导入后每名学生生成家长绑定码。',
  absence: '学校上报的缺勤：学籍号、日期、是否请假。达到县里的缺勤规则会提醒学校或按疑似辍学立案。',
  poverty: '脱贫户、监测户、低保、特困、孤儿、残疾人员名单：身份证号、姓名、类别。用于标记重点关注的孩子。',
};

/**
 * 名册导入: the county's registries as officials hold them (Excel or CSV). The server checks every
 * row first and writes nothing while any row is wrong, so the person sees each problem by row and
 * column and imports the corrected file again; a large file shows its progress while it runs.
 */
export default function RegistryImportPage() {
  const [kind, setKind] = useState<RegistryKind>('household');
  const [current, setCurrent] = useState<RegistryImport | null>(null);
  const [uploadError, setUploadError] = useState<{ fileName: string; error: string } | null>(null);
  const history = usePagedList((cursor) => registryApi.imports({ cursor, limit: 10 }), []);

  usePolling(current?.status === 'running', async () => {
    if (!current) return;
    const next = await registryApi.importGet(current.id);
    setCurrent(next);
    if (next.status !== 'running') history.replace(next, (a, b) => a.id === b.id);
  });

  return (
    <Screen className="form-page registry-import-page">
      <View className="card">
        <Text className="card-title">导入名册</Text>
        <Segmented choices={KINDS} value={kind} onChange={setKind} />
        <Text className="card-note registry-kind-note">
          {REGISTRY_KINDS[kind]}：{KIND_NOTES[kind]}
        </Text>
        <Text className="card-note">
          请按模板填写（Excel 或 CSV）。文件中任何一行有误时不会导入任何数据，并按行号和列名列出问题；同一文件重复导入不会产生重复数据。
        </Text>
        <SheetFileActions
          downloadTemplate={() => registryApi.downloadTemplate(kind)}
          importFile={(file) => registryApi.importFile(kind, file)}
          onStart={() => {
            setUploadError(null);
            setCurrent(null);
          }}
          onImported={(_fileName, started) => {
            setCurrent(started);
            void history.reload();
          }}
          onFailed={(fileName, error) => setUploadError({ fileName, error: failureMessage(error) })}
        />
      </View>
      {uploadError && (
        <View className="card import-result import-failed">
          <Text className="card-title">未导入</Text>
          <Text className="list-item-line">
            {uploadError.fileName}：{uploadError.error}
          </Text>
        </View>
      )}
      {current && <ImportResult record={current} />}
      <Text className="section-title registry-section-title">导入记录</Text>
      <PagedList list={history} empty="还没有导入过名册">
        {(record) => <HistoryItem key={record.id} record={record} active={record.id === current?.id} onClick={() => setCurrent(record)} />}
      </PagedList>
    </Screen>
  );
}

/** What went wrong before the server could start the import (too large, wrong type, network). */
function ImportResult({ record }: { record: RegistryImport }) {
  return (
    <View className={`card import-result import-${record.status}`}>
      <View className="list-item-head">
        <Text className="card-title">{resultTitle(record)}</Text>
        <Text className={`tag tag-import-${record.status}`}>{IMPORT_STATUSES[record.status]}</Text>
      </View>
      <Text className="list-item-line">
        {REGISTRY_KINDS[record.kind]} · {record.fileName}
      </Text>
      {record.status === 'running' && <Progress record={record} />}
      {record.status === 'completed' && (
        <Text className="list-item-line import-counts">
          共 {record.total ?? record.processed} 行：新增 {record.created}，更新 {record.updated}，未变 {record.unchanged}。
        </Text>
      )}
      {record.status === 'failed' && <RowErrors record={record} />}
      <Text className="list-item-meta">
        {record.createdByName ?? '—'} · {formatDateTime(record.createdAt)} 开始
        {record.finishedAt ? ` · ${formatDateTime(record.finishedAt)} 结束` : ''}
      </Text>
    </View>
  );
}

function resultTitle(record: RegistryImport): string {
  if (record.status === 'running') return '正在导入';
  if (record.status === 'completed') return '导入完成';
  // The status tag beside it already says 未导入.
  return '导入失败';
}

/** Rows read while checking (the total is not known yet), then rows written against the total. */
function Progress({ record }: { record: RegistryImport }) {
  const share = record.total ? Math.min(1, record.processed / record.total) : null;
  return (
    <View className="import-progress">
      <View className="progress-track">
        <View
          className={share === null ? 'progress-bar progress-bar-unknown' : 'progress-bar'}
          style={{ width: `${Math.round((share ?? 0.3) * 100)}%` }}
        />
      </View>
      <Text className="list-item-line progress-text">
        {record.total === null
          ? `正在逐行校验，已读 ${record.processed} 行…`
          : `校验通过，正在写入 ${record.processed} / ${record.total} 行`}
      </Text>
    </View>
  );
}

function RowErrors({ record }: { record: RegistryImport }) {
  const hidden = record.errorCount - record.errors.length;
  return (
    <View className="row-errors">
      <Text className="list-item-line">
        {record.errorCount > 0
          ? `发现 ${record.errorCount} 处问题，文件中的数据都没有导入。请修改后重新导入。`
          : '文件中的数据都没有导入。'}
      </Text>
      {record.errors.map((error, index) => (
        <Text key={`${error.line}-${error.column ?? ''}-${index}`} className="row-error">
          {error.line > 0 ? `第 ${error.line} 行${error.column ? `（${error.column}）` : ''}：` : ''}
          {error.message}
        </Text>
      ))}
      {hidden > 0 && <Text className="list-item-meta">另有 {hidden} 处问题未列出，请先修改以上各行。</Text>}
    </View>
  );
}

function HistoryItem({ record, active, onClick }: { record: RegistryImport; active: boolean; onClick: () => void }) {
  return (
    <View className={active ? 'card list-item import-history import-history-active' : 'card list-item import-history'} onClick={onClick}>
      <View className="list-item-head">
        <Text className="list-item-title">{REGISTRY_KINDS[record.kind]}</Text>
        <Text className={`tag tag-import-${record.status}`}>{IMPORT_STATUSES[record.status]}</Text>
      </View>
      <Text className="list-item-line">{record.fileName}</Text>
      <Text className="list-item-meta">
        {record.status === 'completed'
          ? `共 ${record.total ?? record.processed} 行 · 新增 ${record.created} · 更新 ${record.updated}`
          : record.status === 'failed'
            ? `${record.errorCount} 处问题`
            : `已处理 ${record.processed} 行`}
      </Text>
      <Text className="list-item-meta">
        {record.createdByName ?? '—'} · {formatDateTime(record.createdAt)}
      </Text>
    </View>
  );
}
