//! `cargo xtask bench app`: the kiosk measured in its real window (release build, Xvfb).
//!
//! - Cold start: from asking WebDriver for a session to the first usable screen.
//! - Answer to "saved" mark, measured inside the page (click → mark in the DOM), p50 / p95,
//!   during a 120-question exam.
//! - Memory: the sum of PSS (`/proc/*/smaps_rollup`) of the kiosk and its WebKit processes
//!   idle on the language screen and during that exam, next to Chromium (`--kiosk`, same Xvfb)
//!   showing the same built UI, and next to an empty Tauri app (`tests/e2e/empty-app`, built
//!   here in release, started the same way) as the baseline.
//!
//! Reports numbers and ratios; asserts nothing about time.
#![forbid(unsafe_code)]

use std::net::TcpListener;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use synaq_e2e::Kiosk;
use synaq_store::staff::{self, StaffRole};

type Result<T> = synaq_e2e::Result<T>;

fn staffed() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let db = synaq_store::open_db(&dir.path().join("kiosk.sqlite3")).unwrap();
    staff::add(
        &db,
        "p1",
        "Proctor",
        StaffRole::Proctor,
        "proctor-pass-1",
        0,
    )
    .unwrap();
    staff::add(&db, "admin", "Admin", StaffRole::Admin, "admin-pass-1", 0).unwrap();
    dir
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// PSS and anonymous memory in kB of `root` and every descendant process, by process:
/// (name, pid, PSS, anonymous). PSS splits shared pages among all processes mapping them, so it
/// drops while any other WebKit app runs on the machine; anonymous memory does not.
fn pss_procs(root: u32) -> Vec<(String, u32, u64, u64)> {
    let mut parent = std::collections::HashMap::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            // The field after the parenthesised name: state, then ppid.
            if let Some(rest) = stat.rsplit(')').next() {
                if let Some(ppid) = rest
                    .split_whitespace()
                    .nth(1)
                    .and_then(|p| p.parse::<u32>().ok())
                {
                    parent.insert(pid, ppid);
                }
            }
        }
    }
    let in_tree = |mut p: u32| loop {
        if p == root {
            return true;
        }
        match parent.get(&p) {
            Some(&pp) if pp != 0 && pp != p => p = pp,
            _ => return false,
        }
    };
    parent
        .keys()
        .filter(|&&p| in_tree(p))
        .map(|&p| {
            let rollup =
                std::fs::read_to_string(format!("/proc/{p}/smaps_rollup")).unwrap_or_default();
            let field = |name: &str| -> u64 {
                rollup
                    .lines()
                    .find(|l| l.starts_with(name))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0)
            };
            let pss = field("Pss:");
            let uss = field("Anonymous:");
            let name = std::fs::read_to_string(format!("/proc/{p}/comm"))
                .unwrap_or_default()
                .trim()
                .to_owned();
            (name, p, pss, uss)
        })
        .collect()
}

/// PSS in kB of `root` and every descendant process.
fn pss_tree(root: u32) -> u64 {
    pss_procs(root).iter().map(|p| p.2).sum()
}

/// PSS of the app process, the WebKit network and web processes and anything else, in kB.
#[derive(Debug, Clone, Copy, Default)]
struct Pss {
    app: u64,
    network: u64,
    web: u64,
    other: u64,
    uss: u64,
}

impl Pss {
    fn of(root: u32) -> Pss {
        let mut m = Pss::default();
        for (name, pid, kb, uss) in pss_procs(root) {
            m.uss += uss;
            // `comm` is cut at 15 bytes: "WebKitNetworkPr", "WebKitWebProces".
            let slot = if pid == root {
                &mut m.app
            } else if name.starts_with("WebKitNetwork") {
                &mut m.network
            } else if name.starts_with("WebKitWebProc") {
                &mut m.web
            } else {
                &mut m.other
            };
            *slot += kb;
        }
        m
    }

    fn total(&self) -> u64 {
        self.app + self.network + self.web + self.other
    }
}

impl std::fmt::Display for Pss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} MB (app {}, network {}, web {}, other {}; anonymous {})",
            self.total() / 1024,
            self.app / 1024,
            self.network / 1024,
            self.web / 1024,
            self.other / 1024,
            self.uss / 1024
        )
    }
}

fn target_dir() -> std::path::PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        Into::into,
    )
}

/// The WebKit and JavaScriptCore settings the kiosk gave its web process (main.rs sets them
/// before GTK starts), read from that process's environment.
fn webkit_env_of(root: u32) -> Vec<(String, String)> {
    pss_procs(root)
        .iter()
        .filter(|p| p.0.starts_with("WebKitWebProc"))
        .filter_map(|p| std::fs::read(format!("/proc/{}/environ", p.1)).ok())
        .flat_map(|env| {
            env.split(|&b| b == 0)
                .filter_map(|kv| {
                    let (k, v) = std::str::from_utf8(kv).ok()?.split_once('=')?;
                    // WEBKIT_INSPECTOR_SERVER is WebKitWebDriver's, set for each app it starts.
                    ((k.starts_with("WEBKIT_") || k.starts_with("JSC_"))
                        && k != "WEBKIT_INSPECTOR_SERVER")
                        .then(|| (k.to_owned(), v.to_owned()))
                })
                .collect::<Vec<_>>()
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// The empty Tauri app (`tests/e2e/empty-app`), built in release and started like the kiosk
/// (through tauri-driver) with `env`, idle on its one-line page.
fn empty_app_pss(env: &[(String, String)]) -> Result<Pss> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("empty-app/Cargo.toml");
    let status = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "build",
            "--quiet",
            "--release",
            "--locked",
            "--manifest-path",
        ])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(target_dir())
        .status()?;
    if !status.success() {
        return Err(format!("cannot build {}", manifest.display()).into());
    }
    let bin = target_dir().join("release/synaq-empty-app");
    let kiosk = std::env::var_os("SYNAQ_KIOSK_BIN");
    // Kiosk::start launches whatever SYNAQ_KIOSK_BIN names.
    std::env::set_var("SYNAQ_KIOSK_BIN", &bin);
    let env: Vec<(&str, &Path)> = env
        .iter()
        .map(|(k, v)| (k.as_str(), Path::new(v)))
        .collect();
    let started = Kiosk::start(&env);
    if let Some(k) = kiosk {
        std::env::set_var("SYNAQ_KIOSK_BIN", k);
    }
    let k = started?;
    k.wait_one("#empty")?;
    std::thread::sleep(SETTLE);
    let root = pid_of("synaq-empty-app").ok_or("the empty app process was not found")?;
    let pss = Pss::of(root);
    drop(k);
    Ok(pss)
}

/// How long a window is left idle before its memory is read.
const SETTLE: Duration = Duration::from_secs(5);

/// The newest process whose program ends with `needle`: an app from an earlier run may still
/// be exiting.
fn pid_of(needle: &str) -> Option<u32> {
    let started = |pid: u32| {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Field 22, start time: the 20th after the parenthesised name.
        stat.rsplit(')')
            .next()?
            .split_whitespace()
            .nth(19)?
            .parse::<u64>()
            .ok()
    };
    std::fs::read_dir("/proc")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let pid = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let cmd = std::fs::read_to_string(format!("/proc/{pid}/cmdline")).ok()?;
            cmd.split('\0')
                .next()
                .filter(|first| first.ends_with(needle))?;
            Some((started(pid)?, pid))
        })
        .max()
        .map(|(_, pid)| pid)
}

fn cold_start() -> Result<f64> {
    let dir = staffed();
    let t = Instant::now();
    let k = Kiosk::start(&[("SYNAQ_DATA_DIR", dir.path())])?;
    k.wait_one("[data-testid=lang-kk]")?;
    Ok(t.elapsed().as_secs_f64() * 1000.0)
}

/// What the exam run measured: answer-to-saved times, memory idle and during the exam, and the
/// WebKit settings the kiosk gave its web process.
struct ExamRun {
    saved_ms: Vec<f64>,
    idle: Pss,
    exam: Pss,
    webkit_env: Vec<(String, String)>,
}

fn exam(kiosk_bin: &str) -> Result<ExamRun> {
    let dir = staffed();
    let k = Kiosk::start(&[("SYNAQ_DATA_DIR", dir.path())])?;
    let root = pid_of(Path::new(kiosk_bin).file_name().unwrap().to_str().unwrap())
        .ok_or("the kiosk process was not found")?;
    k.wait_one("[data-testid=lang-kk]")?;
    std::thread::sleep(SETTLE);
    let idle = Pss::of(root);
    k.click("[data-testid=lang-kk]")?;
    k.click("[data-testid=staff-entry]")?;
    k.type_into("[data-testid=login-id]", "p1")?;
    k.type_into("[data-testid=login-password]", "proctor-pass-1")?;
    k.click("[data-testid=login-submit]")?;
    k.type_into("[data-testid=proctor-iin]", "951103401587")?;
    k.click("[data-testid=match-cat-4]")?;
    k.click("[data-testid=document-checked]")?;
    // The reference photo: a picture with a camera, a "no camera" status without one.
    k.click("[data-testid=take-photo]")?;
    k.wait_one("[data-testid=reference-photo], [data-testid=camera-status]")?;
    k.click("[data-testid=proctor-start]")?;
    k.click("[data-testid=identity-confirm]")?;
    k.click("[data-testid=rules-start]")?;
    let mut samples = Vec::new();
    for i in 0..60 {
        k.wait_texts("[data-testid=question-counter]", "question", |t| {
            t.first()
                .is_some_and(|s| s.contains(&format!(" {}-", i + 1)))
        })?;
        let ms = k.script(
            "const t = performance.now();
             document.querySelector('[data-testid=option-2]').click();
             return new Promise(done => {
               const look = () => document.querySelector('[data-testid=saved-mark]')
                 ? done(performance.now() - t) : setTimeout(look, 1);
               look();
             });",
        )?;
        samples.push(ms.as_f64().unwrap_or(f64::NAN));
        k.click("[data-testid=next]")?;
    }
    let pss = Pss::of(root);
    Ok(ExamRun {
        saved_ms: samples,
        idle,
        exam: pss,
        webkit_env: webkit_env_of(root),
    })
}

fn chromium_pss() -> Result<Option<u64>> {
    let Some(chromium) = ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .find(|p| Path::new(p).exists())
    else {
        return Ok(None);
    };
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/dist");
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let mut server = Command::new("python3")
        .args([
            "-m",
            "http.server",
            "--bind",
            "127.0.0.1",
            &port.to_string(),
        ])
        .current_dir(&dist)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let profile = tempfile::tempdir()?;
    let mut browser = Command::new(chromium)
        .args([
            "--kiosk",
            "--no-sandbox",
            "--no-first-run",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            &format!("--user-data-dir={}", profile.path().display()),
            &format!("http://127.0.0.1:{port}/"),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    std::thread::sleep(Duration::from_secs(8));
    let pss = pss_tree(browser.id());
    let _ = browser.kill();
    let _ = browser.wait();
    let _ = server.kill();
    let _ = server.wait();
    Ok(Some(pss))
}

fn main() -> std::result::Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let kiosk_bin = std::env::var("SYNAQ_KIOSK_BIN")?;
    let mut starts = (0..3).map(|_| cold_start()).collect::<Result<Vec<_>>>()?;
    let ExamRun {
        saved_ms: mut saved,
        idle,
        exam,
        webkit_env,
    } = exam(&kiosk_bin)?;
    let empty = empty_app_pss(&[])?;
    let empty_tuned = empty_app_pss(&webkit_env)?;
    let chromium = chromium_pss()?;
    let pss = exam.total();
    println!("kiosk: {kiosk_bin}");
    println!(
        "cold start to first usable screen: median {:.0} ms (3 runs; target < 1500 ms; includes WebDriver session setup)",
        percentile(&mut starts, 0.5)
    );
    println!(
        "answer click to saved mark, {} answers in a 120-question exam: p50 {:.1} ms, p95 {:.1} ms (target p95 < 50 ms)",
        saved.len(),
        percentile(&mut saved, 0.5),
        percentile(&mut saved, 0.95)
    );
    println!("memory, kiosk + WebKit processes (sum of PSS), idle on the language screen: {idle}");
    println!("memory, kiosk + WebKit processes (sum of PSS), during the exam: {exam}");
    println!(
        "empty Tauri app, WebKit defaults: {} MB; kiosk − empty = {} MB (target ≤ 40) [idle: {} MB]",
        empty.total() / 1024,
        (pss as i64 - empty.total() as i64) / 1024,
        (idle.total() as i64 - empty.total() as i64) / 1024
    );
    println!("  by process: {empty}");
    let names: Vec<String> = webkit_env.iter().map(|(k, v)| format!("{k}={v}")).collect();
    println!(
        "empty Tauri app with the kiosk's WebKit settings ({}): {} MB; kiosk − empty = {} MB (target ≤ 40) [idle: {} MB]",
        names.join(" "),
        empty_tuned.total() / 1024,
        (pss as i64 - empty_tuned.total() as i64) / 1024,
        (idle.total() as i64 - empty_tuned.total() as i64) / 1024
    );
    println!("  by process: {empty_tuned}");
    match chromium {
        Some(c) => println!(
            "memory, Chromium --kiosk with the same UI (idle on the language screen): {} MB; ratio kiosk/Chromium {:.2} (target ≤ 0.60) [idle kiosk/Chromium {:.2}]",
            c / 1024,
            pss as f64 / c.max(1) as f64,
            idle.total() as f64 / c.max(1) as f64
        ),
        None => println!("Chromium is not installed: `apt-get install chromium` for the comparison"),
    }
    Ok(())
}
