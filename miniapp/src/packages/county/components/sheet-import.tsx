import { useState } from 'react';
import { Button, Text, View } from '@tarojs/components';
import type { ApiRowError } from '@baoxue/shared';
import { ensurePrivacyAgreed } from '../../../services/privacy';
import { ApiError, messageOf, type UploadInput } from '../../../services/request';
import type { SubsidyImportResult } from '../../../services/subsidy-office';
import { showError, toastSuccess } from '../../../utils/feedback';
import { chooseSpreadsheetFile } from '../choose-file';
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
  const [downloading, setDownloading] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const template = async () => {
    setDownloading(true);
    try {
      await downloadTemplate();
      toastSuccess('模板已下载');
    } catch (error) {
      showError(error);
    } finally {
      setDownloading(false);
    }
  };

  const pickAndImport = async () => {
    // Choosing a file from a WeChat chat is a privacy API.
    if (!(await ensurePrivacyAgreed())) return;
    const file = await chooseSpreadsheetFile();
    if (!file) return;
    setUploading(true);
    setOutcome(null);
    try {
      setOutcome({ kind: 'done', fileName: file.fileName, result: await importFile(file) });
      onImported();
    } catch (error) {
      setOutcome({
        kind: 'failed',
        fileName: file.fileName,
        message: failureMessage(error),
        rows: error instanceof ApiError ? error.rows : [],
      });
    } finally {
      setUploading(false);
    }
  };

  return (
    <>
      <View className="card">
        <Text className="card-title">{title}</Text>
        <Text className="card-note">{note}</Text>
        <Text className="card-note">任何一行有误时不会导入任何数据，并按行号和列名列出问题；同一文件重复导入不会产生重复数据。</Text>
        <View className="registry-actions">
          <Button className="btn btn-plain" loading={downloading} onClick={() => void template()}>
            下载模板
          </Button>
          <Button className="btn btn-primary" loading={uploading} onClick={() => void pickAndImport()}>
            {process.env.TARO_ENV === 'weapp' ? '从微信聊天中选择文件' : '选择文件导入'}
          </Button>
        </View>
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

function failureMessage(error: unknown): string {
  if (error instanceof ApiError && !error.rows.length) {
    const fields = Object.values(error.fields);
    if (fields.length) return fields.join('；');
  }
  return messageOf(error);
}
