// A uPlot chart in React: made once per mount, fed new data and resized with its box. uPlot draws
// on a canvas, so the figures are also given as a table for screen readers (the caller's job).
import { useEffect, useRef } from 'react';
import uPlot, { type AlignedData, type Options } from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function UPlotChart({ options, data, label, testId, height = 220 }: { options: Omit<Options, 'width' | 'height'>; data: AlignedData; label: string; testId: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  // Options shape the chart (series, axes): a new set makes a new chart. Data alone is swapped in.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot({ ...options, width: Math.max(200, el.clientWidth), height }, data, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
    // Data is applied by the effect below; rebuilding the chart for it would flash.
  }, [options, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  const points = data[0]?.length ?? 0;
  return <div ref={box} className="an-chart" role="img" aria-label={label} data-testid={testId} data-points={points} />;
}
