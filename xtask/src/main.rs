//! `cargo xtask`: the project's commands, in Rust so they run wherever cargo does.
//!
//! - `demo`: install what is missing, build, start the reference central on loopback with the
//!   demo bank and roster, enroll the demo kiosk with it, and open the kiosk window.
//! - `test`: everything CI runs (formatting, lints, Rust and UI tests, stale bindings, e2e, the
//!   Debian packages in a clean Debian 12 root).
//! - `e2e`: only the WebDriver suite in the real window (under `xvfb-run`).
//! - `setup`: only install what is missing (apt packages, tauri-driver, Garage, npm modules).
//! - `bindings`: regenerate `ui/src/lib/bindings.ts` from the Rust types.
//! - `demo-bank`: rebuild `assets/demo/demo.synaqbank` from the demo sources and demo keys.
//! - `soak [N]`: the crash loop with N kills (default 5000).
//! - `bench bank`: open a 20,000-question bank against a SHA-512 + AES-GCM floor.
//! - `bench engine`: durable answer commit against write + fdatasync; exam assembly.
//! - `bench central`: result ingest against Ed25519 verify + one SQLite insert.
//! - `bench app`: the release kiosk in its window: cold start, answer-to-saved, memory vs Chromium.
//! - `bench proctor`: CPU time per webcam frame (decode, checks, seal) and peak memory.
//! - `bench certificate`: render the paper certificate (PDF) against Ed25519 sign + write.
//! - `load [ARGS…]`: central under load (two processes, a million certificates, 500 kiosks
//!   pushing with evidence, the public check under 200 clients); see `tests/load`.
//! - `package [--out DIR] [--version V] [--eumc-keys DIR] [--no-build]`: the Debian packages
//!   from `packaging/` (see packaging/README.md).
#![forbid(unsafe_code)]

use std::env;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{bail, Context, Result};

mod demo;
mod load;
mod package;

/// Debian packages the kiosk builds and its e2e tests run with (see docs/ARCHITECTURE.md).
const APT_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "libclang-dev",
    "libv4l-dev",
    "webkit2gtk-driver",
    "xvfb",
    // synaq-paper's tests read the certificate PDF back: pdftotext, pdffonts, pdftoppm,
    // zbarimg, qpdf --check.
    "poppler-utils",
    "zbar-tools",
    "qpdf",
    // The office printer in e2e: a private CUPS scheduler with a virtual PDF printer.
    "cups",
    "printer-driver-cups-pdf",
    // The public verification page's script runs in a real browser in the loop tests; the
    // portal's walk drives it through chromedriver.
    "chromium",
    "chromium-driver",
    // Central on PostgreSQL: the loop and fraud suites run again on a temporary cluster.
    "postgresql",
    // `cargo xtask package`: dpkg-deb, dpkg-shlibdeps, strip (binutils), the central's man pages.
    "dpkg-dev",
    "binutils",
    "help2man",
    // tests/packaging: lint the packages, make a clean Debian 12 root, run the kiosk session
    // (cage nested in Xvfb, with Xwayland) and capture it (`import` from ImageMagick).
    "lintian",
    "mmdebstrap",
    "cage",
    "xwayland",
    "imagemagick",
    // ...and boot the root with systemd as PID 1 (systemd-nspawn).
    "systemd-container",
];

/// tauri-driver 2.x drives WebKitWebDriver; 3.0 is an alpha with another protocol.
const TAURI_DRIVER_VERSION: &str = "^2";

/// Garage, the S3-compatible store central's evidence tests run a three-node cluster of
/// (`tests/loop/src/garage.rs` names the same version).
const GARAGE_VERSION: &str = "2.5.0";

const USAGE: &str =
    "usage: cargo xtask <demo | test | e2e | setup | bindings | demo-bank | package | load [ARGS…] | soak [N] | bench bank|engine|central|app|proctor|certificate>";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(),
        Some("test") => test(),
        Some("e2e") => setup().and_then(|_| ui_build()).and_then(|_| e2e()),
        Some("setup") => setup(),
        Some("bindings") => bindings(),
        Some("demo-bank") => demo_bank(),
        Some("package") => package::package(&args[1..]),
        Some("load") => load::load(&args[1..]),
        Some("soak") => {
            // The crash loop with thousands of kills (the normal test run has 200).
            let kills = args.get(1).map_or("5000", String::as_str);
            let mut c = cargo();
            c.args([
                "test",
                "--release",
                "-p",
                "synaq-crash",
                "--",
                "--nocapture",
            ])
            .env("SYNAQ_SOAK", kills);
            run(c)
        }
        Some("bench") => match args.get(1).map(String::as_str) {
            Some("bank") => {
                let mut c = cargo();
                c.args(["bench", "-p", "synaq-seal", "--bench", "bank"]);
                run(c)
            }
            Some("engine") => {
                let mut c = cargo();
                c.args(["bench", "-p", "synaq-store", "--bench", "engine"]);
                run(c).and_then(|_| {
                    let mut c = cargo();
                    c.args(["bench", "-p", "synaq-core", "--bench", "assembly"]);
                    run(c)
                })
            }
            Some("app") => bench_app(),
            Some("proctor") => {
                let mut c = cargo();
                c.args(["bench", "-p", "synaq-proctor", "--bench", "frame"]);
                run(c)
            }
            Some("central") => {
                let mut c = cargo();
                c.args(["bench", "-p", "synaq-central", "--bench", "ingest"]);
                run(c)
            }
            Some("certificate") => {
                let mut c = cargo();
                c.args(["bench", "-p", "synaq-paper", "--bench", "certificate"]);
                run(c)
            }
            _ => {
                eprintln!(
                    "usage: cargo xtask bench <bank | engine | central | app | proctor | certificate>"
                );
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Where cargo builds: `CARGO_TARGET_DIR` when set, else `target/` in the workspace.
fn target_dir() -> PathBuf {
    env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root().join(p) })
        .unwrap_or_else(|| root().join("target"))
}

fn cargo() -> Command {
    let mut c = Command::new(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.current_dir(root());
    c
}

fn npm() -> Command {
    let mut c = Command::new("npm");
    c.current_dir(root().join("ui"));
    c
}

/// Runs a command, echoing it, and fails with the command line when it fails.
fn run(mut cmd: Command) -> Result<()> {
    let line = format!("{cmd:?}").replace('"', "");
    eprintln!("$ {line}");
    let status = cmd
        .status()
        .with_context(|| format!("cannot start: {line}"))?;
    if !status.success() {
        bail!("failed ({status}): {line}");
    }
    Ok(())
}

fn on_path(bin: &str) -> Option<PathBuf> {
    env::var_os("PATH").and_then(|paths| {
        env::split_paths(&paths)
            .map(|p| p.join(bin))
            .find(|p| p.is_file())
    })
}

fn cargo_bin(bin: &str) -> Option<PathBuf> {
    on_path(bin).or_else(|| {
        let home = env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
        Some(home.join("bin").join(bin)).filter(|p| p.is_file())
    })
}

fn missing_apt_packages() -> Vec<&'static str> {
    APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| {
            let out = Command::new("dpkg-query")
                .args(["-W", "-f=${db:Status-Status}", p])
                .output();
            !matches!(out, Ok(o) if o.status.success() && o.stdout == b"installed")
        })
        .collect()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Installs what the project needs and is missing; does nothing when all is there.
fn setup() -> Result<()> {
    let missing = missing_apt_packages();
    if !missing.is_empty() {
        if on_path("apt-get").is_none() {
            bail!(
                "these Debian packages are missing and there is no apt-get to install them: {}",
                missing.join(" ")
            );
        }
        eprintln!("xtask: installing Debian packages: {}", missing.join(" "));
        let apt = |args: &[&str]| {
            let mut c = if is_root() {
                Command::new("apt-get")
            } else {
                let mut c = Command::new("sudo");
                c.arg("apt-get");
                c
            };
            c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
            c
        };
        run(apt(&["update", "-qq"]))?;
        let mut install = apt(&["install", "-y", "-qq"]);
        install.args(&missing);
        run(install)?;
    }
    if cargo_bin("tauri-driver").is_none() {
        eprintln!("xtask: installing tauri-driver {TAURI_DRIVER_VERSION}");
        let mut c = cargo();
        c.args([
            "install",
            "tauri-driver",
            "--locked",
            "--version",
            TAURI_DRIVER_VERSION,
        ]);
        run(c)?;
    }
    install_garage()?;
    if on_path("npm").is_none() {
        bail!("npm is missing: install Node.js 20 or newer with npm");
    }
    let ui = root().join("ui");
    let stamp = ui.join("node_modules/.package-lock.json");
    let stale = match (stamp.metadata(), ui.join("package-lock.json").metadata()) {
        (Ok(s), Ok(l)) => s.modified()? < l.modified()?,
        _ => true,
    };
    if stale {
        let mut c = npm();
        c.args(["ci", "--no-audit", "--no-fund"]);
        run(c)?;
    }
    Ok(())
}

/// `~/.cache/synaq` (or `$XDG_CACHE_HOME/synaq`): tools built once and kept across checkouts.
fn tool_cache() -> Result<PathBuf> {
    env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .map(|c| c.join("synaq"))
        .context("neither XDG_CACHE_HOME nor HOME is set: no place to cache Garage")
}

/// Builds Garage once (`cargo install --locked`, several minutes) into the tool cache as
/// `bin/garage-<version>`; does nothing when that file is there.
fn install_garage() -> Result<()> {
    let cache = tool_cache()?;
    let bin = cache.join("bin").join(format!("garage-{GARAGE_VERSION}"));
    if bin.is_file() {
        return Ok(());
    }
    eprintln!(
        "xtask: building Garage {GARAGE_VERSION} once for the object-store tests (several minutes); cached as {}",
        bin.display()
    );
    let root = cache.join(format!("garage-{GARAGE_VERSION}"));
    let mut c = cargo();
    c.args(["install", "garage", "--locked", "--version"])
        .arg(format!("={GARAGE_VERSION}"))
        .arg("--root")
        .arg(&root)
        // Its own build directory: never mixed with the workspace's target.
        .env("CARGO_TARGET_DIR", cache.join("garage-build"));
    run(c)?;
    std::fs::create_dir_all(cache.join("bin"))?;
    let tmp = bin.with_extension("tmp");
    std::fs::copy(root.join("bin/garage"), &tmp)
        .with_context(|| format!("copying the built garage into {}", bin.display()))?;
    std::fs::rename(&tmp, &bin)?;
    let _ = std::fs::remove_dir_all(cache.join("garage-build"));
    Ok(())
}

fn ui_build() -> Result<()> {
    // The kiosk embeds ui/dist at compile time, so the UI is built before any Rust build.
    let mut c = npm();
    c.args(["run", "build", "--silent"]);
    run(c)
}

fn missing_display() -> bool {
    let set = |v: &str| env::var_os(v).is_some_and(|s| !s.is_empty());
    cfg!(target_os = "linux") && !set("DISPLAY") && !set("WAYLAND_DISPLAY")
}

fn demo() -> Result<()> {
    if missing_display() {
        bail!(
            "no display to open the kiosk on (DISPLAY and WAYLAND_DISPLAY are unset): \
             run it in a desktop session, or as `xvfb-run cargo xtask demo`"
        );
    }
    setup()?;
    ui_build()?;
    demo::demo()
}

/// Rebuilds the demo bank with the committed demo keys (valid ten years, so the demo and its
/// tests keep working). The version is raised each time: kiosks never accept an older one.
fn demo_bank() -> Result<()> {
    let demo = root().join("assets/demo");
    let out = demo.join("demo.synaqbank");
    let version = std::fs::read(&out)
        .ok()
        .and_then(|b| b.get(29..).map(<[u8]>::to_vec))
        .and_then(|h| {
            let text = String::from_utf8_lossy(&h).into_owned();
            let v = text.split("\"version\":").nth(1)?;
            v.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse::<u64>()
                .ok()
        })
        .map_or(1, |v| v + 1);
    let mut c = cargo();
    c.args([
        "run",
        "--quiet",
        "-p",
        "synaq-cli",
        "--",
        "bank",
        "build",
        "--source",
    ])
    .arg(&demo)
    .arg("--issuer-key")
    .arg(demo.join("keys/demo-issuer.key"))
    .arg("--recipient")
    .arg(demo.join("keys/demo-kiosk.pub"))
    .args(["--series", "eumc-demo", "--version", &version.to_string()])
    .args(["--valid-days", "3650", "--out"])
    .arg(&out);
    run(c)
}

fn bindings() -> Result<()> {
    let mut c = cargo();
    c.args([
        "test",
        "-p",
        "synaq-kiosk",
        "--lib",
        "typescript_bindings_are_fresh",
    ])
    .env("SYNAQ_UPDATE_BINDINGS", "1");
    run(c)?;
    eprintln!("xtask: wrote ui/src/lib/bindings.ts");
    Ok(())
}

/// The release kiosk measured in its real window (Chromium, from `setup`, for the comparison).
fn bench_app() -> Result<()> {
    setup()?;
    ui_build()?;
    let mut c = cargo();
    c.args(["build", "--release", "-p", "synaq-kiosk"]);
    run(c)?;
    let driver =
        cargo_bin("tauri-driver").context("tauri-driver is missing: run `cargo xtask setup`")?;
    let mut c = Command::new("xvfb-run");
    c.current_dir(root())
        .args(["-a", "-s", "-screen 0 1280x800x24"])
        .arg(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["run", "--quiet", "-p", "synaq-e2e", "--bin", "bench-app"])
        .env("SYNAQ_KIOSK_BIN", root().join("target/release/synaq-kiosk"))
        .env("SYNAQ_TAURI_DRIVER", driver)
        .env("SYNAQ_E2E_OUT", root().join("target/e2e"))
        .env_remove("WEBKIT_DISABLE_COMPOSITING_MODE");
    run(c)
}

fn e2e() -> Result<()> {
    let mut c = cargo();
    // The kiosk, and the central and admin tool the sync scenario runs next to it.
    c.args([
        "build",
        "-p",
        "synaq-kiosk",
        "-p",
        "synaq-central",
        "-p",
        "synaq-cli",
    ]);
    run(c)?;
    let driver =
        cargo_bin("tauri-driver").context("tauri-driver is missing: run `cargo xtask setup`")?;
    let out = target_dir().join("e2e");
    if out.exists() {
        std::fs::remove_dir_all(&out).context("cannot clear target/e2e")?;
    }
    let mut c = Command::new("xvfb-run");
    // A 1366×768 screen: the most common laptop size in the offices; the suite sizes the
    // window to 1280×800, 1366×768 and 1280×720 in turn.
    c.current_dir(root())
        .args(["-a", "-s", "-screen 0 1366x800x24"])
        .arg(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["test", "-p", "synaq-e2e", "--", "--test-threads=1"])
        // `cargo xtask e2e NAME`: only the scenarios whose test name contains NAME.
        .args(env::args().skip(2))
        .env("SYNAQ_KIOSK_BIN", target_dir().join("debug/synaq-kiosk"))
        .env("SYNAQ_TAURI_DRIVER", driver)
        .env("SYNAQ_E2E_OUT", &out)
        // The kiosk's own WebKit settings (main.rs) are what is tested.
        .env_remove("WEBKIT_DISABLE_COMPOSITING_MODE");
    run(c)?;
    let shots = std::fs::read_dir(&out)
        .map(|d| d.filter_map(Result::ok).count())
        .unwrap_or(0);
    eprintln!("xtask: {shots} screenshots in {}", out.display());
    Ok(())
}

/// tests/packaging: lintian, then the packages in a clean Debian 12 root (mmdebstrap, chroot,
/// mounts: as root, through sudo otherwise).
fn packaging_tests() -> Result<()> {
    let cargo_bin = env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut c = if is_root() {
        Command::new(&cargo_bin)
    } else {
        let mut c = Command::new("sudo");
        c.arg("--preserve-env").arg(&cargo_bin);
        c
    };
    c.current_dir(root())
        .args([
            // Release: the search of the whole root for the kiosk's secret reads ~1 GB.
            "test",
            "--release",
            "-p",
            "synaq-packaging",
            "--",
            "--test-threads=1",
            "--nocapture",
        ])
        .env("CARGO_TARGET_DIR", target_dir());
    run(c)
}

fn test() -> Result<()> {
    type Step = (&'static str, fn() -> Result<()>);
    let steps: [Step; 10] = [
        ("setup", setup),
        ("cargo fmt --check", || {
            let mut c = cargo();
            c.args(["fmt", "--all", "--", "--check"]);
            run(c)
        }),
        ("ui build", ui_build),
        ("ui type check (svelte-check)", || {
            let mut c = npm();
            c.args(["run", "check", "--silent"]);
            run(c)
        }),
        ("ui unit tests (vitest)", || {
            let mut c = npm();
            c.args(["test", "--silent"]);
            run(c)
        }),
        ("cargo clippy", || {
            let mut c = cargo();
            c.args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]);
            run(c)
        }),
        ("rust tests, with the stale-bindings check", || {
            let mut c = cargo();
            c.args([
                "test",
                "--workspace",
                "--exclude",
                "synaq-e2e",
                "--exclude",
                "synaq-packaging",
            ]);
            run(c)
        }),
        (
            "central on PostgreSQL: the loop and fraud suites again",
            || {
                // The same tests, every central of them on a temporary PostgreSQL 15 cluster
                // (tests/loop/src/postgres.rs); the PostgreSQL-only tests ran in the step before.
                for (package, tests) in [
                    (
                        "synaq-loop",
                        &[
                            "loop",
                            "evidence",
                            "media",
                            "object_store",
                            "operations",
                            "demo",
                            "portal",
                            "portal_browser",
                        ][..],
                    ),
                    ("synaq-fraud", &["attacks"][..]),
                ] {
                    let mut c = cargo();
                    c.args(["test", "-p", package]);
                    for t in tests {
                        c.args(["--test", t]);
                    }
                    c.env("SYNAQ_TEST_DATABASE", "postgres");
                    run(c)?;
                }
                Ok(())
            },
        ),
        ("e2e in the real window", e2e),
        ("packages in a clean Debian 12 root", packaging_tests),
    ];
    let total = Instant::now();
    for (i, (name, step)) in steps.iter().enumerate() {
        eprintln!("\n==> [{}/{}] {name}", i + 1, steps.len());
        let t = Instant::now();
        if let Err(e) = step() {
            eprintln!("\nxtask test: step '{name}' failed");
            println!("xtask: {i} passed, 1 failed");
            return Err(e);
        }
        eprintln!("    {name}: ok in {:.0?}", t.elapsed());
    }
    eprintln!("\nxtask test: all steps passed in {:.0?}", total.elapsed());
    println!("xtask: {} passed, 0 failed", steps.len());
    Ok(())
}
