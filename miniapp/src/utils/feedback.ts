import Taro from '@tarojs/taro';
import { messageOf } from '../services/request';

export function toastSuccess(title: string): void {
  void Taro.showToast({ title, icon: 'success', duration: 1500 });
}

/** Toasts cut long text, so errors that need reading use a modal. */
export function showError(error: unknown): void {
  void Taro.showModal({ title: '没有成功', content: messageOf(error), showCancel: false, confirmText: '知道了' });
}

export async function confirm(title: string, content: string, confirmText = '确定'): Promise<boolean> {
  const { confirm: confirmed } = await Taro.showModal({ title, content, confirmText, cancelText: '取消' });
  return confirmed;
}
