// The admin statistics' bar charts, without DOM so node can test them: bucket counts in, bar geometry
// and texts out. main.js draws them as SVG (attributes only, nothing inline for the CSP to refuse).

/**
 * Bars for `buckets` (`[{start, messages, activeUsers}]`, oldest first) showing `key`, in a box of
 * `width` × `height` user units: `{max, total, bars: [{x, y, width, height, value, start}]}`. The tallest
 * bar fills the height; a zero stays a 1-unit line so the time axis reads; bars leave a gap of `gap`.
 */
export function bars(buckets, key, { width = 480, height = 120, gap = 2 } = {}) {
  const values = buckets.map((b) => Math.max(0, Number(b[key]) || 0));
  const max = values.reduce((a, b) => Math.max(a, b), 0);
  const total = values.reduce((a, b) => a + b, 0);
  const slot = buckets.length ? width / buckets.length : 0;
  const barWidth = Math.max(1, slot - gap);
  return {
    max,
    total,
    bars: buckets.map((b, i) => {
      const h = max === 0 ? 1 : Math.max(1, Math.round((values[i] / max) * height * 100) / 100);
      return { x: Math.round(i * slot * 100) / 100, y: Math.round((height - h) * 100) / 100, width: Math.round(barWidth * 100) / 100,
        height: h, value: values[i], start: b.start };
    }),
  };
}

/** The bucket with the highest value (the first of equals), or null for no buckets or all zero. */
export function peak(buckets, key) {
  let best = null;
  for (const b of buckets) if ((Number(b[key]) || 0) > 0 && (best === null || b[key] > best[key])) best = b;
  return best;
}

/** Which of the buckets get a time label under the axis: about `labels` of them, evenly, the last always. */
export function labelled(count, labels = 6) {
  if (count <= 0) return [];
  const every = Math.max(1, Math.ceil(count / labels));
  const picked = [];
  for (let i = count - 1; i >= 0; i -= every) picked.unshift(i);
  return picked;
}
