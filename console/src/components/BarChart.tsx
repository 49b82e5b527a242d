// A bar chart (Chart.js, drawn on a canvas) with the same figures in a table for those who
// read rather than look, and for screen readers. Labels come translated from the caller.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../app/i18n';
import { formatNumber } from '../i18n/format';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export interface Series { label: string; values: number[]; colour: string }

interface Props { title: string; labels: string[]; series: Series[]; labelHeader: string; testId: string }

export function BarChart({ title, labels, series, labelHeader, testId }: Props) {
  const { t, lang } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.values, backgroundColor: s.colour })) },
      options: {
        animation: false,
        maintainAspectRatio: false,
        locale: lang === 'ar' ? 'ar-u-nu-latn' : lang,
        scales: {
          x: { reverse: lang === 'ar' },
          y: { beginAtZero: true, position: lang === 'ar' ? 'right' : 'left', ticks: { precision: 0 } },
        },
        plugins: { legend: { rtl: lang === 'ar', position: 'bottom' } },
      },
    });
    return () => chart.destroy();
  }, [labels, series, lang]);
  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div class="chart-canvas">
        <canvas ref={canvas} role="img" aria-label={title} />
      </div>
      <details>
        <summary>{t('dashboard.figures')}</summary>
        <table class="messages">
          <thead>
            <tr>
              <th scope="col">{labelHeader}</th>
              {series.map((s) => <th key={s.label} scope="col">{s.label}</th>)}
            </tr>
          </thead>
          <tbody>
            {labels.map((label, i) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {series.map((s) => <td key={s.label}>{formatNumber(s.values[i] ?? 0, lang)}</td>)}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
