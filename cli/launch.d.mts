// Types of launch.mjs (plain JavaScript: it runs before anything is known to be built).
export type BundleState =
  | { state: "current"; bundle: string }
  | { state: "missing"; bundle: string }
  | { state: "stale"; bundle: string; changed: string };
export declare function bundleState(dist?: string, root?: string): BundleState;
export declare function entry(options?: {
  dist?: string;
  root?: string;
  env?: Record<string, string | undefined>;
  warn?: (line: string) => void;
  rebuild?: () => Promise<unknown>;
}): Promise<string>;
