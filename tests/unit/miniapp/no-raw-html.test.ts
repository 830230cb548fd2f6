import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/**
 * Text people typed reaches the mini program's pages (names, observations, notes). React escapes
 * it as long as nothing injects raw markup; this keeps every way of doing so out of the sources.
 */
const SOURCES = resolve(__dirname, '../../../miniapp/src');
const RAW_MARKUP = /dangerouslySetInnerHTML|\bRichText\b|<rich-text|\b(inner|outer)HTML\b|insertAdjacentHTML|document\.write/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(tsx?|jsx?)$/.test(entry.name) ? [path] : [];
  });
}

describe('the mini program renders text, never markup', () => {
  it('has no raw-HTML rendering in miniapp/src', () => {
    const files = sourceFiles(SOURCES);
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ line, index }))
        .filter(({ line }) => RAW_MARKUP.test(line))
        .map(({ line, index }) => `${relative(SOURCES, file)}:${index + 1}: ${line.trim()}`),
    );
    expect(offending).toEqual([]);
  });
});
