import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Button, Image, Text, View } from '@tarojs/components';
import { TIP_LIMITS } from '@baoxue/shared';
import { ensurePrivacyAgreed } from '../services/privacy';
import { messageOf, type UploadInput } from '../services/request';
import './photo-field.css';

export interface UploadedPhoto {
  id: string;
  url: string;
}

const MAX_MB = TIP_LIMITS.photoMaxBytes / 1024 / 1024;

/**
 * One optional photo (a tip's evidence, a deferral's document): chosen after the privacy guide is
 * agreed (a privacy API), sent at once so the form itself carries only its id, shown as a thumbnail
 * that can be previewed or removed. The server checks the content (JPG, PNG or WebP, at most 8 MB)
 * and keeps it private.
 */
export function PhotoField({
  photo,
  error,
  onChange,
  upload,
  addText,
  tooLargeHint,
  defaultFileName,
}: {
  photo: UploadedPhoto | null;
  error?: string;
  onChange: (photo: UploadedPhoto | null) => void;
  upload: (file: UploadInput) => Promise<UploadedPhoto>;
  /** The button's text while no photo is chosen. */
  addText: string;
  /** Said after 照片不能超过…MB，. */
  tooLargeHint: string;
  /** For a temporary path that does not end in an image name. */
  defaultFileName: string;
}) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [broken, setBroken] = useState(false);

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
    if (file.size > TIP_LIMITS.photoMaxBytes) {
      setProblem(`照片不能超过${MAX_MB}MB，${tooLargeHint}`);
      return;
    }
    setBusy(true);
    try {
      const uploaded = await upload({ filePath: file.tempFilePath, fileName: fileNameOf(file, defaultFileName) });
      setBroken(false);
      onChange({ id: uploaded.id, url: uploaded.url });
    } catch (failure) {
      setProblem(`照片没有上传成功：${messageOf(failure)}`);
    } finally {
      setBusy(false);
    }
  };

  const preview = () => {
    if (photo && !broken) void Taro.previewImage({ urls: [photo.url], current: photo.url });
  };

  const shown = problem ?? error;
  return (
    <View className="photo-field">
      {photo ? (
        <View className="photo-chosen">
          {broken ? (
            <View className="photo-thumb photo-thumb-placeholder">照片已上传</View>
          ) : (
            <Image className="photo-thumb" src={photo.url} mode="aspectFill" onClick={preview} onError={() => setBroken(true)} />
          )}
          <Text className="link" onClick={() => onChange(null)}>
            移除照片
          </Text>
        </View>
      ) : (
        <Button className="btn btn-plain photo-add" loading={busy} onClick={() => void choose()}>
          {busy ? '正在上传…' : addText}
        </Button>
      )}
      {shown && <Text className="field-error">{shown}</Text>}
    </View>
  );
}

/** WeChat's temporary paths end in a usable file name; in H5 the browser's File has the real one. */
function fileNameOf(file: Taro.chooseMedia.ChooseMedia, fallback: string): string {
  if (file.originalFileObj?.name) return file.originalFileObj.name;
  const base = file.tempFilePath.split(/[/\\]/).pop() ?? '';
  return /\.(jpe?g|png|webp)$/i.test(base) ? base : fallback;
}
