import Taro from '@tarojs/taro';
import { promisify } from '../../utils/promisify';

export interface ChosenFile {
  filePath: string;
  fileName: string;
}

/**
 * Lets the person pick one CSV file: from a WeChat chat in the mini program (the only place a
 * phone keeps such files), with the browser's file dialog in H5. Null when they cancel.
 */
export async function chooseCsvFile(): Promise<ChosenFile | null> {
  if (process.env.TARO_ENV === 'h5') return chooseInBrowser();
  try {
    const { tempFiles } = await promisify<Taro.chooseMessageFile.Option, Taro.chooseMessageFile.SuccessCallbackResult>(
      Taro.chooseMessageFile,
      {
        count: 1,
        type: 'file',
        extension: ['csv', 'txt'],
      },
    );
    const file = tempFiles[0];
    return file ? { filePath: file.path, fileName: file.name } : null;
  } catch {
    return null; // cancelled
  }
}

function chooseInBrowser(): Promise<ChosenFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.csv,text/csv,text/plain';
    input.style.display = 'none';
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      input.remove();
      resolve(file ? { filePath: URL.createObjectURL(file), fileName: file.name } : null);
    });
    input.addEventListener('cancel', () => {
      input.remove();
      resolve(null);
    });
    document.body.appendChild(input);
    input.click();
  });
}
