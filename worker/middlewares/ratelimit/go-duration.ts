// Go's time.Duration.String(), for the X-Retry-In header Traefik sends: "1.5s", "250ms", "1m0s".

/** Format a whole number of nanoseconds as Go does. */
export function formatGoDuration(ns: number): string {
  const n = Math.trunc(ns);
  if (n === 0) return "0s";
  const sign = n < 0 ? "-" : "";
  const u = Math.abs(n);
  if (u < 1_000) return `${sign}${u}ns`;
  if (u < 1_000_000) return `${sign}${fraction(u, 3)}µs`;
  if (u < 1_000_000_000) return `${sign}${fraction(u, 6)}ms`;
  const hours = Math.floor(u / 3_600_000_000_000);
  const minutes = Math.floor((u % 3_600_000_000_000) / 60_000_000_000);
  const seconds = fraction(u % 60_000_000_000, 9);
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** value / 10^digits with the fraction's trailing zeros dropped (and the point, if nothing is left). */
function fraction(value: number, digits: number): string {
  const scale = 10 ** digits;
  const whole = Math.floor(value / scale);
  const frac = String(value % scale).padStart(digits, "0").replace(/0+$/, "");
  return frac === "" ? String(whole) : `${whole}.${frac}`;
}
