import { useI18n } from "../i18n/index.js";

/**
 * Hand-written SVG charts for the dashboards. The drawing is for the eye (aria-hidden); the same figures
 * are in a table for screen readers, and every number is also written beside its bar, so nothing
 * depends on colour or on seeing the shapes. The drawing scales to its box: it fits a 360 px screen.
 */
export interface BarRow {
  label: string;
  value: number;
  /** The value as written beside the bar and in the table ("12 days", "3"). */
  text: string;
  tone?: "good" | "bad" | "warn";
  /** The label is data from the ledger (a permit number), not a translated word. */
  data?: boolean;
}

const WIDTH = 320;
const ROW = 40;
const VALUE_SPACE = 72;

export function BarChart(props: {
  title: string;
  rows: BarRow[];
  marker?: { value: number; label: string; text: string };
  testId?: string;
}) {
  const { t } = useI18n();
  const { rows, marker } = props;
  const max = Math.max(
    1e-9,
    ...rows.map((row) => row.value),
    marker?.value ?? 0
  );
  const barSpace = WIDTH - VALUE_SPACE;
  const top = marker ? 18 : 0;
  const height = top + rows.length * ROW + 4;
  const x = (value: number) => (value / max) * barSpace;
  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption class="chart__title">{props.title}</figcaption>
      {rows.length === 0 ? (
        <p class="hint">{t("dashboards.none")}</p>
      ) : (
        <>
          <svg
            class="chart__svg"
            viewBox={`0 0 ${WIDTH} ${height}`}
            width="100%"
            aria-hidden="true"
            focusable="false"
          >
            {rows.map((row, i) => {
              const y = top + i * ROW;
              return (
                <g key={i} class={`bar bar--${row.tone ?? "plain"}`}>
                  <text
                    x="0"
                    y={y + 13}
                    class="bar__label"
                    translate={row.data ? false : undefined}
                  >
                    {row.label}
                  </text>
                  <rect
                    x="0"
                    y={y + 18}
                    width={barSpace}
                    height="14"
                    class="bar__track"
                    rx="2"
                  />
                  <rect
                    x="0"
                    y={y + 18}
                    width={Math.max(row.value > 0 ? 2 : 0, x(row.value))}
                    height="14"
                    class="bar__fill"
                    rx="2"
                  />
                  <text x={barSpace + 6} y={y + 30} class="bar__value">
                    {row.text}
                  </text>
                </g>
              );
            })}
            {marker && (
              <g class="chart__marker">
                <line
                  x1={x(marker.value)}
                  x2={x(marker.value)}
                  y1="14"
                  y2={height}
                />
                <text
                  x={Math.min(x(marker.value), barSpace - 4)}
                  y="11"
                  text-anchor="end"
                >
                  {marker.label}
                </text>
              </g>
            )}
          </svg>
          {/* A table ignores a 1 px width: its wrapper is what is hidden. */}
          <div class="visually-hidden">
            <table>
              <caption>{props.title}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("dashboards.item")}</th>
                  <th scope="col">{t("dashboards.count")}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row, i) => (
                  <tr key={i}>
                    <th scope="row" translate={row.data ? false : undefined}>
                      {row.label}
                    </th>
                    <td>{row.text}</td>
                  </tr>
                ))}
                {marker && (
                  <tr>
                    <th scope="row">{marker.label}</th>
                    <td>{marker.text}</td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </>
      )}
    </figure>
  );
}

/** A progress bar: the share drawn, the same share written out in `text`. */
export function ProgressBar(props: {
  label: string;
  percent: number;
  text: string;
  labelIsData?: boolean;
}) {
  const width = Math.max(0, Math.min(100, props.percent));
  return (
    <div class="progress">
      <p
        class="progress__label"
        translate={props.labelIsData ? false : undefined}
      >
        {props.label}
      </p>
      <svg
        class="progress__svg"
        viewBox="0 0 100 6"
        preserveAspectRatio="none"
        width="100%"
        height="14"
        aria-hidden="true"
        focusable="false"
      >
        <rect x="0" y="0" width="100" height="6" class="bar__track" rx="1" />
        <rect x="0" y="0" width={width} height="6" class="bar__fill" rx="1" />
      </svg>
      <p class="progress__text">{props.text}</p>
    </div>
  );
}

/** Headline figures: a number large, what it counts below. */
export function Figures(props: {
  items: Array<{ label: string; value: string; testId?: string }>;
}) {
  return (
    <dl class="figures">
      {props.items.map((item) => (
        <div class="figure" key={item.label} data-testid={item.testId}>
          <dt>{item.label}</dt>
          <dd>{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
