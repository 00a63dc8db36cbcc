//! `cargo xtask load [ARGS…]`: the load benchmark (`tests/load`, issue 15) in release: two
//! `synaq-central serve` processes over HTTPS on loopback, a million certificates preloaded,
//! 500 simulated kiosks pushing real signed results with sealed evidence, then the public
//! check under 200 concurrent clients. ARGS go to `synaq-load` (`--kiosks N --per-kiosk M
//! --certificates N --checks N --database URL --evidence local|s3://…`; `--help`); the report
//! is written to `target/load/report-<backend>.json`. A benchmark, not a test: it fails only
//! when something went wrong, never on a time.

use anyhow::Result;

use crate::{cargo, root, run, target_dir};

/// Builds `synaq-central` and `synaq-load` in release and runs the benchmark with `args`.
pub fn load(args: &[String]) -> Result<()> {
    let mut c = cargo();
    c.args([
        "build",
        "--release",
        "-p",
        "synaq-central",
        "-p",
        "synaq-load",
    ]);
    // `cargo run` gave this process `CARGO_MANIFEST_DIR` and `CARGO_PKG_*`; passed on, they
    // reach the dependencies' build scripts (ring reruns on `CARGO_MANIFEST_DIR`) and rebuild
    // half the tree. The user's own settings (`CARGO_HOME`, `CARGO_TARGET_DIR`) stay.
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("CARGO_") && k != "CARGO_HOME" && k != "CARGO_TARGET_DIR" {
            c.env_remove(&*k);
        }
    }
    run(c)?;
    let release = target_dir().join("release");
    let mut c = std::process::Command::new(release.join("synaq-load"));
    c.current_dir(root())
        .arg("--central-bin")
        .arg(release.join("synaq-central"))
        .arg("--out")
        .arg(target_dir().join("load"))
        // `cargo xtask load portal …`: the portal benchmark.
        .args(args.iter().map(|a| {
            if a == "portal" {
                "--portal"
            } else {
                a.as_str()
            }
        }));
    run(c)
}
