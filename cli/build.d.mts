// Types of build.mjs (plain JavaScript so that it runs before anything is built).
export declare const ROOT: string;
export declare const DIST: string;
export declare const BUNDLE: string;
export declare const MANIFEST: string;
export declare function buildCli(options?: { outdir?: string; quiet?: boolean }): Promise<{ bundle: string; inputs: string[]; ms: number }>;
