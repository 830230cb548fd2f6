import { useEffect } from 'react';
import Taro from '@tarojs/taro';
import { Canvas } from '@tarojs/components';
import type { Rag } from '@baoxue/shared';
import { percent } from '../registry-shared';

export interface RateBar {
  label: string;
  rate: number;
  rag: Rag;
}

/** The part of a canvas node both platforms give: WeChat's Canvas 2D node and the browser's <canvas>. */
interface CanvasNode {
  width: number;
  height: number;
  getContext(type: '2d'): CanvasRenderingContext2D | null;
}

const RAG_COLOURS: Record<Rag, string> = { green: '#16a34a', amber: '#f59e0b', red: '#dc2626' };
const ROW_HEIGHT = 28;
const BAR_HEIGHT = 14;
const TOP = 30;
const BOTTOM = 24;
const VALUE_WIDTH = 52;
const FONT = '12px -apple-system, "PingFang SC", "Noto Sans CJK SC", sans-serif';

export function chartHeight(bars: number): number {
  return TOP + Math.max(bars, 1) * ROW_HEIGHT + BOTTOM;
}

/**
 * A horizontal bar per unit, coloured red/amber/green against the target, with the target as a
 * dashed line. Drawn with the Canvas 2D API, which WeChat and the browser share, so no chart
 * library weighs on the package.
 */
export function RateChart({ id, bars, target }: { id: string; bars: RateBar[]; target: number }) {
  const height = chartHeight(bars.length);

  useEffect(() => {
    let cancelled = false;
    let attempts = 0;
    // The canvas node exists only once the platform has rendered it: look again briefly if not yet.
    // Node and size are asked separately: Taro's H5 query answers a `node` request with the node alone.
    const attempt = () => {
      Taro.createSelectorQuery()
        .select(`#${id}`)
        .fields({ node: true })
        .select(`#${id}`)
        .fields({ size: true })
        .exec((results: [{ node?: CanvasNode } | null, { width?: number; height?: number } | null]) => {
          if (cancelled) return;
          const [found, size] = results;
          if (found?.node && size?.width && size.height) {
            draw(found.node, size.width, size.height, bars, target);
          } else if (attempts++ < 20) {
            setTimeout(attempt, 50);
          }
        });
    };
    Taro.nextTick(attempt);
    return () => {
      cancelled = true;
    };
  }, [id, bars, target, height]);

  return <Canvas type="2d" id={id} className="rate-chart" style={{ height: `${height}px` }} />;
}

function draw(canvas: CanvasNode, width: number, height: number, bars: RateBar[], target: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const ratio = Taro.getWindowInfo().pixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  ctx.scale(ratio, ratio);
  ctx.clearRect(0, 0, width, height);
  ctx.font = FONT;
  ctx.textBaseline = 'middle';

  const labelWidth = Math.min(120, Math.round(width * 0.3));
  const left = labelWidth + 8;
  const right = width - VALUE_WIDTH;
  const plotWidth = Math.max(right - left, 10);
  // Room for twice the target, or the highest rate, whichever is larger.
  const scaleMax = Math.max(target * 2, ...bars.map((bar) => bar.rate), 0.001) * 1.1;
  const x = (rate: number) => left + (rate / scaleMax) * plotWidth;

  bars.forEach((bar, index) => {
    const middle = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2;
    ctx.fillStyle = '#374151';
    ctx.textAlign = 'right';
    ctx.fillText(fitText(ctx, bar.label, labelWidth), labelWidth, middle);
    ctx.fillStyle = RAG_COLOURS[bar.rag];
    // A zero rate still gets a sliver, so every unit shows a row.
    ctx.fillRect(left, middle - BAR_HEIGHT / 2, Math.max(x(bar.rate) - left, 2), BAR_HEIGHT);
    ctx.fillStyle = '#1f2937';
    ctx.textAlign = 'left';
    ctx.fillText(percent(bar.rate), Math.min(x(bar.rate), right) + 4, middle);
  });

  // The target line, dashed, labelled above the bars.
  const targetX = x(target);
  ctx.strokeStyle = '#1f6feb';
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 3]);
  ctx.beginPath();
  ctx.moveTo(targetX, TOP - 4);
  ctx.lineTo(targetX, TOP + bars.length * ROW_HEIGHT);
  ctx.stroke();
  ctx.setLineDash([]);
  ctx.fillStyle = '#1f6feb';
  ctx.textAlign = targetX > width / 2 ? 'right' : 'left';
  ctx.fillText(`目标 ≤ ${percent(target)}`, targetX, TOP / 2 - 2);

  // The axis: from 0 to the scale's end.
  const axisY = TOP + bars.length * ROW_HEIGHT + 4;
  ctx.strokeStyle = '#d1d5db';
  ctx.beginPath();
  ctx.moveTo(left, axisY);
  ctx.lineTo(right, axisY);
  ctx.stroke();
  ctx.fillStyle = '#9ca3af';
  ctx.textAlign = 'left';
  ctx.fillText('0', left, axisY + 10);
  ctx.textAlign = 'right';
  ctx.fillText(percent(scaleMax), right, axisY + 10);
}

/** Shortens a long name (a school's full name) with an ellipsis to fit the label column. */
function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > maxWidth) cut = cut.slice(0, -1);
  return `${cut}…`;
}
