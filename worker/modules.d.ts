// Wrangler bundles YAML files as text (see [[rules]] in wrangler.toml).
declare module "*.yaml" {
  const text: string;
  export default text;
}
