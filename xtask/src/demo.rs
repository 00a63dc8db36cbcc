//! `cargo xtask demo`: the reference central on loopback with the demo data, the demo kiosk
//! enrolled with it, and the kiosk window. Data lives in `target/demo/` (delete it to start
//! over); running it again reuses what is there.

use std::io::{BufRead as _, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::{cargo, root, run};

const LISTEN: &str = "127.0.0.1:8440";
const URL: &str = "https://127.0.0.1:8440";
const BRANCH: &str = "ALM-01";

/// Kills central when the demo ends, however it ends.
struct Central(Child);

impl Drop for Central {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The proctor id ЕУМЦ lists for the demo branch.
const DEMO_PROCTOR: &str = "p1";

fn central_cmd(data: &Path) -> Command {
    let mut c = Command::new(root().join("target/debug/synaq-central"));
    c.current_dir(root())
        .arg("--data")
        .arg(data)
        .args(["--base-url", URL]);
    c
}

/// Runs `cmd` and returns its standard output.
fn output(mut cmd: Command) -> Result<String> {
    let out = cmd.output().with_context(|| format!("{cmd:?}"))?;
    if !out.status.success() {
        bail!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Prepares central's data (idempotent) and starts it; returns it with its TLS fingerprint.
fn start_central(data: &Path) -> Result<(Central, String)> {
    let demo = root().join("assets/demo");
    let admin = |args: &[&str]| {
        let mut c = central_cmd(data);
        c.arg("admin").args(args);
        c
    };
    let mut c = admin(&["init", "--issuer-key"]);
    c.arg(demo.join("keys/demo-issuer.key"));
    run(c)?;
    run(admin(&[
        "branch-add",
        BRANCH,
        "Алматы қ. аумақтық өкілдігі",
    ]))?;
    let mut c = admin(&["roster-import"]);
    c.arg(demo.join("roster.toml"));
    run(c)?;
    let mut c = admin(&["publish-bank"]);
    c.arg(demo.join("demo.synaqbank"));
    run(c)?;
    // The demo branch's proctor on ЕУМЦ's staff list: central certifies only exams admitted
    // by staff it knows (add a proctor with this id on the kiosk).
    run(admin(&["staff-add", BRANCH, DEMO_PROCTOR, "Демо Проктор"]))?;
    let mut c = central_cmd(data);
    c.args(["serve", "--listen", LISTEN])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    let mut child = c.spawn().context("starting synaq-central")?;
    let stdout = child.stdout.take().expect("piped");
    let central = Central(child);
    // The first line says where it listens and which certificate kiosks pin.
    let mut line = String::new();
    let mut out = BufReader::new(stdout);
    out.read_line(&mut line)
        .context("reading synaq-central's first line")?;
    // Keep its output flowing (a full pipe would stall it).
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::stderr()));
    eprintln!("xtask: central: {}", line.trim());
    let fingerprint = line
        .split_whitespace()
        .skip_while(|w| *w != "fingerprint")
        .nth(1)
        .map(str::to_owned)
        .with_context(|| format!("no fingerprint in synaq-central's line {line:?}"))?;
    Ok((central, fingerprint))
}

/// Enrolls the demo kiosk once, with a fresh one-time code.
fn enroll(central_data: &Path, kiosk_data: &Path, fingerprint: &str) -> Result<()> {
    let marker = kiosk_data.join("enrolled-with-demo-central");
    if marker.exists() {
        return Ok(());
    }
    let mut c = central_cmd(central_data);
    c.args(["admin", "enroll-code", BRANCH]);
    let code = output(c)?
        .split_whitespace()
        .last()
        .map(str::to_owned)
        .context("synaq-central printed no enrollment code")?;
    let demo = root().join("assets/demo/keys");
    std::fs::create_dir_all(kiosk_data)?;
    let key = kiosk_data.join("kiosk.key");
    if !key.exists() {
        std::fs::copy(demo.join("demo-kiosk.key"), &key)?;
    }
    // Settle the connection first: central may still be starting its listener.
    std::thread::sleep(Duration::from_millis(300));
    let mut c = Command::new(root().join("target/debug/synaq"));
    c.current_dir(root())
        .args(["enroll", "--data"])
        .arg(kiosk_data)
        .args(["--central", URL, "--pin", fingerprint, "--branch", BRANCH])
        .args(["--code", &code, "--issuer-pub"])
        .arg(demo.join("demo-issuer.pub"));
    run(c)?;
    std::fs::write(&marker, URL)?;
    Ok(())
}

/// Central, enrollment, then the kiosk window; central stops when the window closes.
pub fn demo() -> Result<()> {
    let mut c = cargo();
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
    let base = root().join("target/demo");
    let (central_data, kiosk_data) = (base.join("central"), base.join("kiosk"));
    let (_central, fingerprint) = start_central(&central_data)?;
    enroll(&central_data, &kiosk_data, &fingerprint)?;
    eprintln!(
        "xtask: central {URL} (fingerprint {fingerprint}); kiosk data in {}; \
         certificates: {URL}/v/<number>",
        kiosk_data.display()
    );
    let mut c = Command::new(root().join("target/debug/synaq-kiosk"));
    c.current_dir(root())
        .env("SYNAQ_DATA_DIR", &kiosk_data)
        .env("SYNAQ_DEMO", "1")
        .env(
            "SYNAQ_CAMERA",
            format!(
                "fixture:{}:face-",
                root().join("assets/fixtures/frames").display()
            ),
        );
    run(c)
}
