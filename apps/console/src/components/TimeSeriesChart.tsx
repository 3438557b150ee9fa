import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: Array<number | null>;
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563', '#65a30d', '#9333ea'];

/** A uPlot time series (Grafana's panels use it): x in Unix seconds (or plain numbers with `xLabel`), one line per series. */
export function TimeSeriesChart({ title, times, series, unit, xLabel }: { title: string; times: number[]; series: Series[]; unit?: string; xLabel?: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const options: uPlot.Options = {
      title,
      width: Math.max(320, element.clientWidth),
      height: 240,
      scales: xLabel ? { x: { time: false } } : undefined,
      series: [xLabel ? { label: xLabel } : {}, ...series.map((line, index) => ({ label: line.label, stroke: COLORS[index % COLORS.length], width: 2, value: (_: uPlot, value: number | null) => (value === null ? '—' : `${Number(value.toFixed(2))}${unit ? ` ${unit}` : ''}`) }))],
      axes: [{}, { size: unit ? 70 : 50, values: (_: uPlot, ticks: number[]) => ticks.map((tick) => `${tick}${unit ? ` ${unit}` : ''}`) }],
    };
    const chart = new uPlot(options, [times, ...series.map((line) => line.values)] as uPlot.AlignedData, element);
    // User Timing: when the chart was drawn (uPlot draws in its constructor), for the console benchmark.
    performance.mark(`chart drawn: ${title}`);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, element.clientWidth), height: 240 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [title, times, series, unit, xLabel]);
  return <div className="chart" ref={container} role="img" aria-label={`${title} chart`} />;
}
