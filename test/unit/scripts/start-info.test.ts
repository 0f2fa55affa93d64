// What `npm start` prints about the dashboard: the URL from wrangler's arguments and wrangler.toml,
// and where the token comes from.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dashboardInfo, readDevVars } from "../../../scripts/start-info.ts";

const toml = readFileSync(new URL("../../../wrangler.toml", import.meta.url), "utf8");

describe("npm start's dashboard line", () => {
  it("defaults to wrangler.toml's [dev] address and admin base", () => {
    expect(dashboardInfo([], {}, toml).url).toBe("http://127.0.0.1:8787/__switchyard/dashboard/");
  });

  it("follows --port, --ip and an ADMIN_BASE_PATH given as --var or in .dev.vars", () => {
    expect(dashboardInfo(["--port", "9000"], {}, toml).url).toBe("http://127.0.0.1:9000/__switchyard/dashboard/");
    expect(dashboardInfo(["--port=9001", "--ip", "0.0.0.0"], {}, toml).url).toBe("http://127.0.0.1:9001/__switchyard/dashboard/");
    expect(dashboardInfo(["--var", "ADMIN_BASE_PATH:/ops/"], {}, toml).url).toBe("http://127.0.0.1:8787/ops/dashboard/");
    expect(dashboardInfo([], { ADMIN_BASE_PATH: "admin" }, toml).url).toBe("http://127.0.0.1:8787/admin/dashboard/");
  });

  it("says where the token comes from, or how to set one", () => {
    expect(dashboardInfo(["--var", "ADMIN_TOKEN:x"], {}, toml).signIn).toMatch(/--var ADMIN_TOKEN/);
    expect(dashboardInfo(["--var", "POLL_INTERVAL_MS:1", "ADMIN_TOKEN:x"], {}, toml).signIn).toMatch(/--var ADMIN_TOKEN/);
    expect(dashboardInfo([], { ADMIN_TOKEN: "y" }, toml).signIn).toMatch(/\.dev\.vars/);
    expect(dashboardInfo([], {}, toml).signIn).toMatch(/npm start -- --var ADMIN_TOKEN:change-me/);
  });

  it("reads .dev.vars lines", () => {
    expect(readDevVars('# c\nADMIN_TOKEN="a b"\nX = 1\nbad line\nY=\'q\'\n')).toEqual({ ADMIN_TOKEN: "a b", X: "1", Y: "q" });
  });
});
