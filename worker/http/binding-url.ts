// The syntax of a service-binding server URL, `binding://NAME[/path]`: pure parsing, so the schema
// can check server URLs and services/ can route them without either importing the other.

const BINDING_URL = /^binding:\/\/([A-Za-z_][A-Za-z0-9_]*)(\/.*)?$/;

export interface BindingTarget {
  readonly binding: string;
  /** The path after the name ("" when none): kept in front of the request path with preservePath. */
  readonly path: string;
}

export function parseBindingURL(url: string): BindingTarget | null {
  const match = BINDING_URL.exec(url);
  return match ? { binding: match[1]!, path: match[2] ?? "" } : null;
}
