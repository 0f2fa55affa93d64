// Where the admin API is, from the page's own address: the dashboard lives at <base>/dashboard/,
// so the base is the path before the last "/dashboard" segment (a base of "/" is the empty string).
export function basePath(pathname: string): string {
  const match = /^(.*?)\/dashboard(?:\/[^/]*)?$/.exec(pathname);
  if (!match) return pathname.replace(/\/[^/]*$/, "");
  return match[1]!;
}
