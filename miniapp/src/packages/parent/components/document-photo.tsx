import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { TIP_LIMITS } from '@baoxue/shared';
import { enrolmentApi } from '../../../services/parents';
import { ensurePrivacyAgreed } from '../../../services/privacy';
import { messageOf } from '../../../services/request';

export interface DocumentPhoto {
  id: string;
  url: string;
}

const MAX_BYTES = TIP_LIMITS.photoMaxBytes;

/**
 * The photo of a document a deferral application needs, chosen the way a supervisor's evidence is:
 * the privacy guide first (choosing a photo is a privacy API), then chooseMedia, then sent at once so
 * the application carries only its id. The server checks the content and keeps it private.
 */
export function DocumentPhotoField({
  photo,
  error,
  onChange,
}: {
  photo: DocumentPhoto | null;
  error?: string;
  onChange: (photo: DocumentPhoto | null) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const choose = async () => {
    if (busy) return;
    setProblem(null);
    try {
      if (!(await ensurePrivacyAgreed())) return;
    } catch (failure) {
      setProblem(messageOf(failure));
      return;
    }
    let file: Taro.chooseMedia.ChooseMedia | undefined;
    try {
      const result = await Taro.chooseMedia({ count: 1, mediaType: ['image'], sourceType: ['album', 'camera'], sizeType: ['compressed'] });
      file = result.tempFiles[0];
    } catch (failure) {
      if (!/cancel/i.test(String((failure as { errMsg?: string })?.errMsg ?? ''))) setProblem('无法打开相册或相机，请稍后重试');
      return;
    }
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setProblem(`照片不能超过${MAX_BYTES / 1024 / 1024}MB，请换一张`);
      return;
    }
    setBusy(true);
    try {
      const uploaded = await enrolmentApi.uploadDocument({ filePath: file.tempFilePath, fileName: fileNameOf(file) });
      onChange({ id: uploaded.id, url: uploaded.url });
    } catch (failure) {
      setProblem(`照片没有上传成功：${messageOf(failure)}`);
    } finally {
      setBusy(false);
    }
  };

  const shown = problem ?? error;
  return (
    <View className="photo-field">
      {photo ? (
        <View className="photo-chosen">
          <Image className="photo-thumb" src={photo.url} mode="aspectFill" />
          <Text className="link" onClick={() => onChange(null)}>
            移除照片
          </Text>
        </View>
      ) : (
        <Button className="btn btn-plain photo-add" loading={busy} onClick={() => void choose()}>
          {busy ? '正在上传…' : '拍摄或选择证明照片'}
        </Button>
      )}
      {shown && <Text className="field-error">{shown}</Text>}
    </View>
  );
}

/** WeChat's temporary paths end in a usable file name; in H5 the browser's File has the real one. */
function fileNameOf(file: Taro.chooseMedia.ChooseMedia): string {
  if (file.originalFileObj?.name) return file.originalFileObj.name;
  const base = file.tempFilePath.split(/[/\\]/).pop() ?? '';
  return /\.(jpe?g|png|webp)$/i.test(base) ? base : 'document.jpg';
}
