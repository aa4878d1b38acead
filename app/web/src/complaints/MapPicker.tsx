import type { TownArea } from "../../../shared/townProfile.js";
import { useI18n } from "../i18n/index.js";
import type { MapArea } from "./complaintsApi.js";

export interface Point {
  lat: number;
  long: number;
}

const WIDTH = 1000;
const GRID = 10;

/** The area's height in view units, so that a degree of longitude is drawn shorter than one of latitude (as on the ground). */
function heightOf(area: MapArea): number {
  const middle = ((area.south + area.north) / 2) * (Math.PI / 180);
  return Math.round((WIDTH * (area.north - area.south)) / ((area.east - area.west) * Math.cos(middle)));
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
export const round5 = (value: number) => Math.round(value * 1e5) / 1e5;

/**
 * A click-to-place picker over the municipality's bounding box, drawn here (a grid, the town's own
 * boundary when its profile has one, and a marker in SVG): no tile server, so it works in a town hall
 * that is offline. Keyboard: the arrow keys move the marker (Shift for bigger steps); the chosen point
 * is read out in the live region under the map.
 */
export function MapPicker(props: { area: MapArea; outline?: TownArea | null; value: Point | null; onChange: (point: Point) => void }) {
  const { t } = useI18n();
  const { area, value } = props;
  const height = heightOf(area);
  const latSpan = area.north - area.south;
  const longSpan = area.east - area.west;
  const toX = (long: number) => ((long - area.west) / longSpan) * WIDTH;
  const toY = (lat: number) => ((area.north - lat) / latSpan) * height;

  function place(event: MouseEvent) {
    const box = (event.currentTarget as SVGSVGElement).getBoundingClientRect();
    const x = clamp((event.clientX - box.left) / box.width, 0, 1);
    const y = clamp((event.clientY - box.top) / box.height, 0, 1);
    props.onChange({ lat: round5(area.north - y * latSpan), long: round5(area.west + x * longSpan) });
  }

  function move(event: KeyboardEvent) {
    const steps: Record<string, [number, number]> = { ArrowUp: [1, 0], ArrowDown: [-1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const step = steps[event.key];
    if (!step) return;
    event.preventDefault();
    const fraction = event.shiftKey ? 1 / 10 : 1 / 50;
    const from = value ?? { lat: (area.north + area.south) / 2, long: (area.west + area.east) / 2 };
    props.onChange({
      lat: round5(clamp(from.lat + step[0] * latSpan * fraction, area.south, area.north)),
      long: round5(clamp(from.long + step[1] * longSpan * fraction, area.west, area.east)),
    });
  }

  const lines = Array.from({ length: GRID - 1 }, (_, i) => i + 1);
  // GeoJSON rings, longitude first; a MultiPolygon is several polygons, each with its holes (even-odd fill).
  const polygons = !props.outline ? [] : props.outline.type === "Polygon" ? [props.outline.coordinates] : props.outline.coordinates;
  const outlinePath = polygons
    .flat()
    .map((ring) => `M ${ring.map(([long, lat]) => `${toX(long).toFixed(1)} ${toY(lat).toFixed(1)}`).join(" L ")} Z`)
    .join(" ");
  return (
    <div class="map-picker">
      <svg
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="application"
        // Lower case: on an SVG element Preact sets the attribute by this name, and only `tabindex` makes it focusable.
        tabindex={0}
        aria-label={t("complaints.mapLabel")}
        aria-describedby="map-keys"
        data-testid="map-picker"
        onClick={place}
        onKeyDown={move}
      >
        <rect class="map-picker__area" x="0" y="0" width={WIDTH} height={height} />
        {outlinePath && <path class="map-picker__town" d={outlinePath} fill-rule="evenodd" data-testid="map-town" />}
        {lines.map((i) => (
          <line key={`v${i}`} class="map-picker__grid" x1={(WIDTH * i) / GRID} y1="0" x2={(WIDTH * i) / GRID} y2={height} />
        ))}
        {lines.map((i) => (
          <line key={`h${i}`} class="map-picker__grid" x1="0" y1={(height * i) / GRID} x2={WIDTH} y2={(height * i) / GRID} />
        ))}
        <g class="map-picker__north" aria-hidden="true">
          <path d={`M ${WIDTH - 40} 70 L ${WIDTH - 25} 30 L ${WIDTH - 10} 70 Z`} />
          <text x={WIDTH - 10} y="98" text-anchor="end">
            {t("complaints.mapNorth")}
          </text>
        </g>
        {value && (
          <g class="map-picker__marker" transform={`translate(${toX(value.long)} ${toY(value.lat)})`} data-testid="map-marker">
            <circle r="18" />
            <line x1="-30" y1="0" x2="30" y2="0" />
            <line x1="0" y1="-30" x2="0" y2="30" />
          </g>
        )}
      </svg>
      <p id="map-keys" class="hint">
        {t("complaints.mapKeys")}
      </p>
    </div>
  );
}
