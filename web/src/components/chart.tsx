// Charts with uPlot (small enough for the first-load budget): a line chart over days and a bar
// chart over categories. Colours and labels come from the caller; the canvas gets an ARIA label
// and a visually hidden table carries the same numbers for screen readers.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { formatNumber } from '../format';

export interface Series {
  label: string;
  values: number[];
  stroke: string;
  fill?: string;
}

interface Props {
  title: string;
  x: number[]; // unix seconds (time) or indices (categories)
  xLabels?: string[]; // category names (bar chart)
  series: Series[];
  bars?: boolean;
  height?: number;
  formatX?: (v: number) => string;
  xTitle: string; // the legend's name of the x values (day, category)
}

export function Chart({ title, x, xLabels, series, bars, height = 220, formatX, xTitle }: Props) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const width = Math.max(260, el.clientWidth || 600);
    const barPaths = bars ? uPlot.paths.bars!({ size: [0.6, 60] }) : undefined;
    const opts: uPlot.Options = {
      width,
      height,
      legend: { show: !bars },
      cursor: { show: true, drag: { x: false, y: false } },
      scales: { x: { time: !xLabels }, y: { range: (_u, min, max) => [Math.min(0, min), Math.max(1, max)] } },
      axes: [
        {
          values: (_u, splits) =>
            splits.map((v) => (xLabels ? (xLabels[Math.round(v)] ?? '') : formatX ? formatX(v) : String(v))),
          ...(xLabels ? { splits: () => x } : {}),
        },
        { values: (_u, splits) => splits.map((v) => formatNumber(v)) },
      ],
      series: [
        { label: xTitle, value: (_u, v) => (v == null ? '' : xLabels ? (xLabels[Math.round(v)] ?? '') : formatX ? formatX(v) : String(v)) },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.stroke,
          fill: s.fill ?? (bars ? s.stroke : undefined),
          width: bars ? 1 : 2,
          paths: barPaths,
          points: { show: false },
          value: (_u: uPlot, v: number | null) => (v == null ? '' : formatNumber(v)),
        })),
      ],
    };
    const plot = new uPlot(opts, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = () => plot.setSize({ width: Math.max(260, el.clientWidth), height });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [JSON.stringify([x, xLabels, series.map((s) => [s.label, s.values])])]);
  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      <div ref={host} role="img" aria-label={title} />
      <div class="sr-only">
      <table>
        <caption>{title}</caption>
        <tbody>
          {x.map((xv, i) => (
            <tr>
              <th scope="row">{xLabels ? xLabels[i] : formatX ? formatX(xv) : xv}</th>
              {series.map((s) => (
                <td>
                  {s.label}: {formatNumber(s.values[i] ?? 0)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
