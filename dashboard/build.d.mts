// Types of build.mjs (plain JavaScript so that it runs before anything is built).
export interface BuiltFile {
  readonly name: string;
  readonly bytes: number;
  readonly gzip: number;
}
export declare const ROOT: string;
export declare const SRC: string;
export declare const DIST: string;
export declare function buildDashboard(options?: { outdir?: string; quiet?: boolean }): Promise<{ files: BuiltFile[]; ms: number }>;
export declare function sizes(dir?: string): Promise<BuiltFile[]>;
