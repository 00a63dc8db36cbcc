//! Test support for the packaging tests: the packages built by `cargo xtask package`, a clean
//! Debian 12 root made with `mmdebstrap` (cached as a tarball), commands inside it, and the
//! search for a secret in every file of it.
//!
//! The root tests need root (chroot, mounts); `cargo xtask test` runs them through `sudo` when
//! it is not root.
#![forbid(unsafe_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};

/// The suites the root is made from: Debian 12 and its updates, as a branch PC has them
/// (the packages' `Depends` come from the build host's libraries, which may be security updates).
pub const MIRRORS: [&str; 3] = [
    "deb http://deb.debian.org/debian bookworm main",
    "deb http://deb.debian.org/debian bookworm-updates main",
    "deb http://deb.debian.org/debian-security bookworm-security main",
];

/// `mmdebstrap` arguments before the suite; with [`MIRRORS`] they name the cached tarball.
/// `apt` variant: apt, dpkg and the required packages, nothing else (no systemd: the
/// packages must pull it).
pub const MMDEBSTRAP_ARGS: [&str; 3] = ["--variant=apt", "--mode=root", "--format=tar"];

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("tests/packaging is two levels down")
        .to_path_buf()
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| {
            if p.is_absolute() {
                p
            } else {
                workspace().join(p)
            }
        })
        .unwrap_or_else(|| workspace().join("target"))
}

/// Screenshots and logs: `target/packaging/`.
pub fn out_dir() -> PathBuf {
    let d = target_dir().join("packaging");
    fs::create_dir_all(&d).expect("target/packaging");
    d
}

pub fn cache_dir() -> PathBuf {
    let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
    let d = home.join(".cache/synaq");
    fs::create_dir_all(&d).expect("~/.cache/synaq");
    d
}

pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Runs a command, echoing it; fails with its output when it fails.
pub fn run(cmd: &mut Command) -> Result<Output> {
    let line = format!("{cmd:?}");
    eprintln!("$ {line}");
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .with_context(|| format!("cannot start {line}"))?;
    if !out.status.success() {
        bail!(
            "failed ({}): {line}\n--- stdout\n{}\n--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(out)
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The packages of one build.
#[derive(Debug, Clone)]
pub struct Debs {
    pub version: String,
    pub kiosk: PathBuf,
    pub session: PathBuf,
    pub central: PathBuf,
}

impl Debs {
    pub fn all(&self) -> [&Path; 3] {
        [&self.kiosk, &self.session, &self.central]
    }
}

/// Both builds the tests use: the workspace's version, and the same relabelled one step
/// newer (the upgrade). Both with test ЕУМЦ keys as `--eumc-keys`.
#[derive(Debug)]
pub struct Builds {
    pub current: Debs,
    pub newer: Debs,
    /// The ЕУМЦ keys the packages were built with (`issuer.pub`, `evidence.pub`, and their
    /// secrets).
    pub eumc_keys: PathBuf,
    pub seconds: f64,
}

/// Builds the packages once per test binary with `cargo xtask package`.
pub fn builds() -> &'static Builds {
    static B: OnceLock<Builds> = OnceLock::new();
    B.get_or_init(|| build_packages().expect("cargo xtask package"))
}

/// cargo, without the `CARGO_PKG_*`/`CARGO_MANIFEST_*` variables of this test: ring's build
/// script reruns when they change, which would rebuild the release binaries.
pub fn cargo() -> Command {
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.current_dir(workspace());
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("CARGO_") && k != "CARGO_TARGET_DIR" && k != "CARGO_HOME" {
            c.env_remove(&*k);
        }
    }
    c
}

fn build_packages() -> Result<Builds> {
    let t = Instant::now();
    let base = out_dir();
    // ЕУМЦ's keys for the test builds: the demo issuer's and evidence keys, whose secrets the
    // tests hold (the exam fixture re-issues the demo bank, signed by that issuer, to the
    // installed kiosk's sealed key). Nothing else of the demo is installed or used.
    let keys = base.join("eumc-keys");
    fs::create_dir_all(&keys)?;
    let demo = workspace().join("assets/demo/keys");
    for (from, to) in [
        ("demo-issuer.pub", "issuer.pub"),
        ("demo-issuer.key", "issuer.key"),
        ("demo-evidence.pub", "evidence.pub"),
        ("demo-evidence.key", "evidence.key"),
    ] {
        fs::copy(demo.join(from), keys.join(to))?;
    }
    let version = xtask_version()?;
    let newer_version = format!("{version}+upgradetest");
    let build = |out: &Path, version: &str, no_build: bool| -> Result<Debs> {
        if out.exists() {
            fs::remove_dir_all(out)?;
        }
        let mut c = cargo();
        c.args(["run", "--quiet", "-p", "xtask", "--", "package", "--out"])
            .arg(out)
            .args(["--version", version, "--eumc-keys"])
            .arg(&keys);
        if no_build {
            c.arg("--no-build");
        }
        eprintln!("$ {c:?}");
        let status = c.stdin(Stdio::null()).status()?;
        ensure!(status.success(), "cargo xtask package failed ({status})");
        Ok(Debs {
            version: version.to_string(),
            kiosk: out.join(format!("synaq-kiosk_{version}_amd64.deb")),
            session: out.join(format!("synaq-kiosk-session_{version}_all.deb")),
            central: out.join(format!("synaq-central_{version}_amd64.deb")),
        })
    };
    let current = build(&base.join("debs"), &version, false)?;
    let newer = build(&base.join("debs-newer"), &newer_version, true)?;
    for d in current.all().into_iter().chain(newer.all()) {
        ensure!(d.is_file(), "{} was not built", d.display());
    }
    Ok(Builds {
        current,
        newer,
        eumc_keys: keys,
        seconds: t.elapsed().as_secs_f64(),
    })
}

/// The version `cargo xtask package` gives by default: the workspace version, revision 1.
fn xtask_version() -> Result<String> {
    let text = fs::read_to_string(workspace().join("Cargo.toml"))?;
    let section = text
        .split("[workspace.package]")
        .nth(1)
        .context("[workspace.package]")?;
    let v = section
        .lines()
        .find_map(|l| {
            l.strip_prefix("version")?
                .trim_start()
                .strip_prefix('=')
                .map(|v| v.trim().trim_matches('"').to_string())
        })
        .context("workspace version")?;
    Ok(format!("{v}-1"))
}

/// FNV-1a, to name the cached root after the arguments that made it (stable across Rust
/// versions, unlike `DefaultHasher`).
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The cached clean root: `~/.cache/synaq/debian12-root-<hash of the mmdebstrap args>.tar`,
/// made on first use. Returns its path and how long making it took (None when cached).
pub fn cached_root_tarball() -> Result<(PathBuf, Option<f64>)> {
    let mut parts: Vec<&str> = MMDEBSTRAP_ARGS.to_vec();
    parts.push("bookworm");
    parts.extend(MIRRORS);
    let tar = cache_dir().join(format!("debian12-root-{:016x}.tar", fnv1a(&parts)));
    if tar.is_file() {
        return Ok((tar, None));
    }
    let t = Instant::now();
    let partial = tar.with_extension("tar.partial");
    run(Command::new("mmdebstrap")
        .args(MMDEBSTRAP_ARGS)
        .arg("bookworm")
        .arg(&partial)
        .args(MIRRORS))?;
    fs::rename(&partial, &tar)?;
    Ok((tar, Some(t.elapsed().as_secs_f64())))
}

/// A fresh copy of the clean root in a temp dir, with /proc, /sys, /dev (and /dev/pts)
/// mounted; everything is unmounted when it is dropped, also when a test panics.
#[derive(Debug)]
pub struct Root {
    dir: Option<tempfile::TempDir>,
    mounts: Vec<PathBuf>,
}

impl Root {
    pub fn new() -> Result<Root> {
        ensure!(
            is_root(),
            "the clean-root tests need root (chroot, mount): run them as root or through \
             `cargo xtask test`, which uses sudo"
        );
        let (tar, made) = cached_root_tarball()?;
        match made {
            Some(s) => println!(
                "packaging: mmdebstrap made the clean root in {s:.0} s (cached in {})",
                tar.display()
            ),
            None => println!("packaging: clean root from the cache ({})", tar.display()),
        }
        // Not under /tmp: the root holds a few hundred MB once WebKit is in.
        let parent = target_dir().join("packaging/roots");
        fs::create_dir_all(&parent)?;
        let dir = tempfile::Builder::new()
            .prefix("root-")
            .tempdir_in(&parent)?;
        let t = Instant::now();
        run(Command::new("tar")
            .args(["-x", "-p", "--numeric-owner", "-f"])
            .arg(&tar)
            .arg("-C")
            .arg(dir.path()))?;
        println!(
            "packaging: unpacked the root in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        let mut root = Root {
            dir: Some(dir),
            mounts: Vec::new(),
        };
        root.mount(&["--bind", "/dev"], "dev")?;
        root.mount(&["--bind", "/dev/pts"], "dev/pts")?;
        // Shared memory of its own (wlroots' keymaps, WebKit): /dev/shm is a mount of its own
        // on the host, not part of the /dev bind.
        root.mount(
            &["-t", "tmpfs", "-o", "mode=1777,size=256m", "tmpfs"],
            "dev/shm",
        )?;
        root.mount(&["-t", "proc", "proc"], "proc")?;
        root.mount(&["-t", "sysfs", "sysfs"], "sys")?;
        fs::copy("/etc/resolv.conf", root.path().join("etc/resolv.conf"))?;
        Ok(root)
    }

    pub fn path(&self) -> &Path {
        self.dir
            .as_ref()
            .expect("the root is there until dropped")
            .path()
    }

    /// A path inside the root (`/etc/x` → `<root>/etc/x`).
    pub fn join(&self, inside: &str) -> PathBuf {
        self.path().join(inside.trim_start_matches('/'))
    }

    /// Mounts something on `at` inside the root; unmounted on drop (last first).
    pub fn mount(&mut self, args: &[&str], at: &str) -> Result<()> {
        let target = self.join(at);
        fs::create_dir_all(&target)?;
        run(Command::new("mount").args(args).arg(&target))?;
        self.mounts.push(target);
        Ok(())
    }

    /// Unmounts everything this root mounted (before booting it with systemd-nspawn, which
    /// mounts its own).
    pub fn unmount_all(&mut self) -> Result<()> {
        while let Some(m) = self.mounts.pop() {
            run(Command::new("umount").arg(&m))?;
        }
        Ok(())
    }

    pub fn unmount(&mut self, at: &str) -> Result<()> {
        let target = self.join(at);
        run(Command::new("umount").arg(&target))?;
        self.mounts.retain(|m| *m != target);
        Ok(())
    }

    /// A shell command inside the root (chroot), with a plain environment.
    pub fn sh(&self, script: &str) -> Command {
        let mut c = Command::new("chroot");
        c.arg(self.path())
            .args(["/bin/sh", "-c", script])
            .env_clear()
            .env(
                "PATH",
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            )
            .env("LANG", "C.UTF-8")
            .env("DEBIAN_FRONTEND", "noninteractive")
            .env("HOME", "/root");
        c
    }

    /// Runs a shell command inside the root and returns its output; fails when it fails.
    pub fn ok(&self, script: &str) -> Result<Output> {
        run(&mut self.sh(script))
    }

    /// Runs a shell command inside the root, success or not.
    pub fn try_sh(&self, script: &str) -> Result<Output> {
        eprintln!("$ (root) {script}");
        Ok(self.sh(script).stdin(Stdio::null()).output()?)
    }

    /// Every regular file of the root (mounted file systems left out).
    pub fn files(&self) -> Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        let mut stack = vec![self.path().to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in fs::read_dir(&dir)? {
                let e = e?;
                let p = e.path();
                let t = e.file_type()?;
                if t.is_dir() {
                    if !self.mounts.contains(&p) {
                        stack.push(p);
                    }
                } else if t.is_file() {
                    out.push(p);
                }
            }
        }
        Ok(out)
    }
}

impl Drop for Root {
    fn drop(&mut self) {
        for m in self.mounts.iter().rev() {
            let ok = Command::new("umount")
                .arg(m)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                let _ = Command::new("umount").arg("-l").arg(m).status();
            }
        }
        if std::env::var_os("SYNAQ_KEEP_ROOT").is_some() {
            if let Some(d) = self.dir.take() {
                eprintln!(
                    "packaging: kept the root in {} (SYNAQ_KEEP_ROOT)",
                    d.keep().display()
                );
            }
        }
    }
}

/// The secrets in a kiosk key TOML (base64 fields): the X25519 secret, the Ed25519 PKCS#8
/// document and the Ed25519 seed inside it (as crates/synaq-store/tests/engine.rs reads them).
pub fn kiosk_secrets(toml: &str) -> Result<Vec<Vec<u8>>> {
    use base64::Engine as _;
    let field = |name: &str| -> Result<Vec<u8>> {
        let line = toml
            .lines()
            .find(|l| l.starts_with(&format!("{name} = ")))
            .with_context(|| format!("no {name} in the kiosk key"))?;
        let b64 = line.split('"').nth(1).context("a quoted value")?;
        Ok(base64::engine::general_purpose::STANDARD.decode(b64)?)
    };
    let x = field("x25519_secret")?;
    let pkcs8 = field("ed25519_pkcs8")?;
    ensure!(x.len() == 32, "an X25519 secret is 32 bytes");
    ensure!(
        pkcs8.len() >= 48
            && pkcs8[2..16]
                == [
                    0x02, 0x01, 0x01, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04,
                    0x20
                ],
        "an Ed25519 PKCS#8 document (RFC 8410)"
    );
    let seed = pkcs8[16..48].to_vec();
    Ok(vec![x, seed, pkcs8])
}

/// Each secret as raw bytes, lower and upper hex, base64 and base64url (any 30-byte stretch
/// from the start, so the encoding is found at any alignment of the text around it).
pub fn needles(secrets: &[Vec<u8>]) -> Vec<(String, Vec<u8>)> {
    use base64::Engine as _;
    let b64 = &base64::engine::general_purpose::STANDARD;
    let b64url = &base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut out = Vec::new();
    for (i, s) in secrets.iter().enumerate() {
        out.push((format!("secret {i} raw"), s.clone()));
        out.push((format!("secret {i} hex"), hex::encode(s).into_bytes()));
        out.push((format!("secret {i} HEX"), hex::encode_upper(s).into_bytes()));
        for shift in 0..3 {
            let part = &s[shift..shift + 27];
            out.push((
                format!("secret {i} base64 (from byte {shift})"),
                b64.encode(part).into_bytes(),
            ));
            out.push((
                format!("secret {i} base64url (from byte {shift})"),
                b64url.encode(part).into_bytes(),
            ));
        }
    }
    out
}

/// Files (and which form) holding any needle.
pub fn search(files: &[PathBuf], needles: &[(String, Vec<u8>)]) -> Result<(Vec<String>, u64)> {
    let finders: Vec<_> = needles
        .iter()
        .map(|(name, n)| (name, memchr::memmem::Finder::new(n)))
        .collect();
    let mut hits = Vec::new();
    let mut bytes = 0;
    for f in files {
        let Ok(data) = fs::read(f) else { continue };
        bytes += data.len() as u64;
        for (name, finder) in &finders {
            if finder.find(&data).is_some() {
                hits.push(format!("{}: {name}", f.display()));
            }
        }
    }
    Ok((hits, bytes))
}

/// Polls `f` every `every` until it returns Some or `limit` passes.
pub fn wait_for<T>(
    limit: Duration,
    every: Duration,
    mut f: impl FnMut() -> Option<T>,
) -> Option<T> {
    let t = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if t.elapsed() > limit {
            return None;
        }
        std::thread::sleep(every);
    }
}
