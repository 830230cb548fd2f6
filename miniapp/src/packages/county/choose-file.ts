import Taro from '@tarojs/taro';
import { promisify } from '../../utils/promisify';

export interface ChosenFile {
  filePath: string;
  fileName: string;
}

interface FileKind {
  /** Extensions WeChat lets the person pick, without the dot. */
  extensions: string[];
  /** The browser file dialog's filter. */
  accept: string;
}

const SPREADSHEET: FileKind = {
  extensions: ['xlsx', 'csv'],
  accept: '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv',
};

/**
 * One Excel (.xlsx) or CSV file, the way officials hold their registries and division lists: from a
 * WeChat chat in the mini program (the only place a phone keeps such files), with the browser's file
 * dialog in H5. Null when they cancel.
 */
export function chooseSpreadsheetFile(): Promise<ChosenFile | null> {
  return chooseFile(SPREADSHEET);
}

async function chooseFile(kind: FileKind): Promise<ChosenFile | null> {
  if (process.env.TARO_ENV === 'h5') return chooseInBrowser(kind.accept);
  try {
    const { tempFiles } = await promisify<Taro.chooseMessageFile.Option, Taro.chooseMessageFile.SuccessCallbackResult>(
      Taro.chooseMessageFile,
      {
        count: 1,
        type: 'file',
        extension: kind.extensions,
      },
    );
    const file = tempFiles[0];
    return file ? { filePath: file.path, fileName: file.name } : null;
  } catch {
    return null; // cancelled
  }
}

function chooseInBrowser(accept: string): Promise<ChosenFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
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
