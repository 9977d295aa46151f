/**
 * The numbers a copy test is judged by, from aggregate counts: each arm's
 * click-through rate with a 95% confidence interval (Wilson's score
 * interval, which behaves at small counts and near 0), and whether a
 * variant's rate differs from the control's (a two-sided two-proportion
 * z-test at the 5% level). Pure.
 */

/** Counts for one arm in one group (or all groups). */
export interface ArmCounts {
  impressions: number;
  clicks: number;
  dismissals: number;
}

/** Wilson's 95% score interval for `successes` out of `n`; [0, 0] when n is 0. */
export function wilson(successes: number, n: number, z = 1.959964): [number, number] {
  if (n <= 0) return [0, 0];
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** The standard normal distribution's CDF (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x) / Math.SQRT2);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The two-sided p-value that two click-through rates are equal (pooled two-proportion z-test); null when either has no impressions or nobody clicked at all. */
export function differencePValue(control: ArmCounts, variant: ArmCounts): number | null {
  const n1 = control.impressions, n2 = variant.impressions;
  if (n1 === 0 || n2 === 0) return null;
  const pooled = (control.clicks + variant.clicks) / (n1 + n2);
  if (pooled === 0 || pooled === 1) return null;
  const z = (variant.clicks / n2 - control.clicks / n1) / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  return 2 * (1 - normalCdf(Math.abs(z)));
}

/** One line of a report: a test's arm in a group (`all` for every group together). */
export interface ReportRow extends ArmCounts {
  test: string;
  variant: string;
  group: string;
  ctr: number;
  ci: [number, number];
  /** Against the control in the same group; null for the control itself or when it cannot be told. */
  p: number | null;
  verdict: 'control' | 'differs' | 'no clear difference' | 'too few clicks to tell' | 'no control seen yet';
}

/** Counts as read from the store, one kind of event per row. */
export interface CountRow {
  test: string;
  variant: string;
  group: string;
  kind: string;
  n: number;
}

/** Rows per test, arm and group, then per test and arm over all groups; the control first in each group. */
export function reportRows(counts: CountRow[]): ReportRow[] {
  const cells = new Map<string, ArmCounts & { test: string; variant: string; group: string }>();
  const add = (test: string, variant: string, group: string, kind: string, n: number) => {
    const key = `${test}|${group}|${variant}`;
    const cell = cells.get(key) ?? { test, variant, group, impressions: 0, clicks: 0, dismissals: 0 };
    if (kind === 'impression') cell.impressions += n;
    else if (kind === 'click') cell.clicks += n;
    else if (kind === 'dismiss') cell.dismissals += n;
    cells.set(key, cell);
  };
  for (const { test, variant, group, kind, n } of counts) {
    add(test, variant, group, kind, n);
    if (test !== '-') add(test, variant, 'all', kind, n);
  }
  const order = (a: { test: string; group: string; variant: string }, b: typeof a) =>
    (a.test === '-' ? 1 : 0) - (b.test === '-' ? 1 : 0) || a.test.localeCompare(b.test) || (a.group === b.group ? 0 : a.group === 'all' ? 1 : b.group === 'all' ? -1 : a.group.localeCompare(b.group)) ||
    (a.variant === 'control' ? -1 : b.variant === 'control' ? 1 : a.variant.localeCompare(b.variant));
  return [...cells.values()].sort(order).map((cell) => {
    const control = cells.get(`${cell.test}|${cell.group}|control`);
    const isControl = cell.variant === 'control' || cell.test === '-';
    const p = isControl || !control ? null : differencePValue(control, cell);
    const verdict = isControl ? 'control' : !control?.impressions ? 'no control seen yet' : p === null ? 'too few clicks to tell' : p < 0.05 ? 'differs' : 'no clear difference';
    return { ...cell, ctr: cell.impressions ? cell.clicks / cell.impressions : 0, ci: wilson(cell.clicks, cell.impressions), p, verdict };
  });
}
