import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import type { ApiRowError } from '@baoxue/shared';
import { ensurePrivacyAgreed } from '../../../services/privacy';
import { ApiError, messageOf, type UploadInput } from '../../../services/request';
import type { SubsidyImportResult } from '../../../services/subsidy-office';
import { useAction } from '../../../hooks/use-action';
import { toastSuccess } from '../../../utils/feedback';
import { chooseSpreadsheetFile } from '../choose-file';
import '../county.css';
import '../registry.css';

type Outcome =
  | { kind: 'done'; fileName: string; result: SubsidyImportResult }
  | { kind: 'failed'; fileName: string; message: string; rows: ApiRowError[] };

interface Props {
  title: string;
  note: string;
  downloadTemplate: () => Promise<void>;
  importFile: (file: UploadInput) => Promise<SubsidyImportResult>;
  /** After a successful import, e.g. to reload the list below. */
  onImported: () => void;
}

/**
 * An Excel sheet of the student-aid office (eligible pupils, payments): the template, then the
 * filled file. The server checks every row first and writes nothing while any is wrong, naming
 * each problem by row and column; the same file imported again changes nothing.
 */
export function SheetImport({ title, note, downloadTemplate, importFile, onImported }: Props) {
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  return (
    <>
      <View className="card">
        <Text className="card-title">{title}</Text>
        <Text className="card-note">{note}</Text>
        <Text className="card-note">任何一行有误时不会导入任何数据，并按行号和列名列出问题；同一文件重复导入不会产生重复数据。</Text>
        <SheetFileActions
          downloadTemplate={downloadTemplate}
          importFile={importFile}
          onStart={() => setOutcome(null)}
          onImported={(fileName, result) => {
            setOutcome({ kind: 'done', fileName, result });
            onImported();
          }}
          onFailed={(fileName, error) =>
            setOutcome({ kind: 'failed', fileName, message: failureMessage(error), rows: error instanceof ApiError ? error.rows : [] })
          }
        />
      </View>
      {outcome?.kind === 'done' && (
        <View className="card import-result import-completed">
          <Text className="card-title">导入完成</Text>
          <Text className="list-item-line">{outcome.fileName}</Text>
          <Text className="list-item-line import-counts">
            共 {outcome.result.rows} 行：新增 {outcome.result.created}，更新 {outcome.result.updated}，未变 {outcome.result.unchanged}。
          </Text>
          {outcome.result.notified > 0 && <Text className="list-item-meta">{outcome.result.notified} 笔已到账的资助已通知家长。</Text>}
        </View>
      )}
      {outcome?.kind === 'failed' && (
        <View className="card import-result import-failed">
          <Text className="card-title">未导入</Text>
          <Text className="list-item-line">
            {outcome.fileName}：{outcome.message}
          </Text>
          <View className="row-errors">
            {outcome.rows.map((row, index) => (
              <Text key={`${row.line}-${row.column ?? ''}-${index}`} className="row-error">
                第 {row.line} 行{row.column ? `（${row.column}）` : ''}：{row.message}
              </Text>
            ))}
          </View>
        </View>
      )}
    </>
  );
}

/**
 * 下载模板 and 选择文件: the template, then a spreadsheet chosen (a privacy API: the guide first) and
 * sent to `importFile`; what came of it goes to the caller, which shows it its own way.
 */
export function SheetFileActions<R>({
  downloadTemplate,
  importFile,
  onStart,
  onImported,
  onFailed,
}: {
  downloadTemplate: () => Promise<void>;
  importFile: (file: UploadInput) => Promise<R>;
  /** A file was chosen and is being sent: the previous outcome is stale. */
  onStart: () => void;
  onImported: (fileName: string, result: R) => void;
  onFailed: (fileName: string, error: unknown) => void;
}) {
  const downloading = useAction(async () => {
    await downloadTemplate();
    toastSuccess('模板已下载');
  });
  const uploading = useAction(async (file: UploadInput) => {
    onStart();
    try {
      onImported(file.fileName, await importFile(file));
    } catch (error) {
      onFailed(file.fileName, error);
    }
  });

  const pickAndImport = async () => {
    if (!(await ensurePrivacyAgreed())) return;
    const file = await chooseSpreadsheetFile();
    if (file) await uploading.run(file);
  };

  return (
    <View className="registry-actions">
      <Button className="btn btn-plain" loading={downloading.busy} onClick={() => void downloading.run()}>
        下载模板
      </Button>
      <Button className="btn btn-primary" loading={uploading.busy} onClick={() => void pickAndImport()}>
        {process.env.TARO_ENV === 'weapp' ? '从微信聊天中选择文件' : '选择文件导入'}
      </Button>
    </View>
  );
}

/** An import refused as a whole: the fields' messages (e.g. the file's type) unless the rows say it. */
export function failureMessage(error: unknown): string {
  if (error instanceof ApiError && !error.rows.length) {
    const fields = Object.values(error.fields);
    if (fields.length) return fields.join('；');
  }
  return messageOf(error);
}
