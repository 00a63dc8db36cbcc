//! The three Debian packages, proven the way a branch would use them.
//!
//! - `lintian_finds_no_errors_in_any_package`: lintian on every .deb; warnings are printed
//!   (those accepted are overridden in the package, with the reason next to the override).
//! - `the_kiosk_package_alone_changes_nothing_but_its_own_files`: what a developer's desktop
//!   gets from `synaq-kiosk` alone.
//! - `the_packages_install_run_and_upgrade_in_a_clean_debian_12_root`: a clean Debian 12 root
//!   made with mmdebstrap (cached in `~/.cache/synaq/`, a fresh copy per run); the three
//!   packages installed with apt-get (which pulls WebKitGTK, cage, systemd…); files, users,
//!   `systemd-analyze verify` of the units; the installed kiosk's `--version` and
//!   `--self-check` (without the credential it fails, with the credential decrypted as
//!   systemd would, into a tmpfs, it passes); the kiosk session for real; the kiosk's secret in
//!   no file of the root; a clear `kiosk.key` of an older install moved into the credential
//!   and destroyed; an upgrade keeping data, key and an exam in progress; the downgrade
//!   refused; removing and purging the session; finally the root booted with systemd-nspawn:
//!   synaq-central.service active under its hardening, and the kiosk key handed over by
//!   systemd's own `LoadCredentialEncrypted=`.
//!
//! The session: there is no systemd as PID 1 in a chroot, so the test reads the installed
//! unit (`User=`, `Environment=`, `ExecStart=`, `Restart=`, `RestartSec=`) and runs exactly
//! that command as that user inside the root (a mount namespace whose root is the Debian root,
//! with `pivot_root`, so WebKit's bubblewrap sandbox works as on a real PC), with cage nested in
//! an Xvfb on the host (`WLR_BACKENDS=x11 WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1`; the X
//! socket is bind-mounted into the root). A small supervisor loop in this test stands in for
//! systemd's `Restart=always` with the unit's `RestartSec=`. Screenshots go to
//! `target/packaging/`.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use synaq_packaging::{
    builds, kiosk_secrets, needles, out_dir, run, search, stdout, wait_for, Root,
};

const KIOSK_USER: &str = "synaq-kiosk";
const CENTRAL_USER: &str = "synaq-central";
const DATA: &str = "/var/lib/synaq-kiosk";
const CRED: &str = "/etc/synaq/credstore/synaq-kiosk-key.cred";
const CRED_NAME: &str = "synaq-kiosk-key";
const MEDIA_RULE: &str = "/lib/udev/rules.d/80-synaq-kiosk-media.rules";
const SESSION_UNIT: &str = "/lib/systemd/system/synaq-kiosk-session.service";
const CENTRAL_UNIT: &str = "/lib/systemd/system/synaq-central.service";
/// Where systemd would put the decrypted credential for the session.
const CRED_DIR: &str = "/run/credentials/synaq-kiosk-session.service";

#[test]
fn lintian_finds_no_errors_in_any_package() -> Result<()> {
    let b = builds();
    let mut errors = Vec::new();
    for deb in b.current.all() {
        // --fail-on none: lintian's own exit status is not the verdict, the tags are.
        let out = Command::new("lintian")
            .args([
                "--fail-on",
                "none",
                "--info",
                "--display-info",
                "--show-overrides",
            ])
            .arg(deb)
            .output()
            .context("lintian (apt-get install lintian)")?;
        let text = stdout(&out);
        println!("lintian {}:", deb.display());
        if text.trim().is_empty() {
            println!("  (no tags)");
        }
        // Tags only (E error, W warning, I info, O overridden), not their explanations.
        for line in text.lines().filter(|l| !l.starts_with("N:")) {
            println!("  {line}");
            if line.starts_with("E: ") {
                errors.push(line.to_string());
            }
        }
    }
    ensure!(errors.is_empty(), "lintian errors:\n{}", errors.join("\n"));
    Ok(())
}

/// A developer may install the application alone: it must not touch the desktop (no units,
/// no PAM or logind settings, no maintainer script but the downgrade check).
#[test]
fn the_kiosk_package_alone_changes_nothing_but_its_own_files() -> Result<()> {
    let deb = &builds().current.kiosk;
    let list = stdout(&run(Command::new("dpkg-deb").arg("--contents").arg(deb))?);
    for line in list.lines() {
        let path = line.split_whitespace().last().unwrap_or_default();
        let allowed = [
            "./usr/bin/",
            "./usr/lib/synaq-kiosk/",
            "./usr/share/",
            "./etc/synaq/",
        ]
        .iter()
        .any(|p| path.starts_with(p) || p.starts_with(path));
        ensure!(allowed, "synaq-kiosk ships {path}");
    }
    let control = tempfile::tempdir()?;
    run(Command::new("dpkg-deb")
        .arg("--control")
        .arg(deb)
        .arg(control.path()))?;
    let mut scripts: Vec<String> = fs::read_dir(control.path())?
        .map(|e| Ok(e?.file_name().to_string_lossy().into_owned()))
        .collect::<Result<_>>()?;
    scripts.sort();
    ensure!(
        scripts == ["conffiles", "control", "md5sums", "preinst"],
        "synaq-kiosk's control files: {scripts:?}"
    );
    Ok(())
}

#[test]
fn the_packages_install_run_and_upgrade_in_a_clean_debian_12_root() -> Result<()> {
    let b = builds();
    println!(
        "packaging: cargo xtask package (both builds) took {:.0} s",
        b.seconds
    );
    for d in b.current.all() {
        println!(
            "packaging: {} {:.1} MB",
            d.file_name().unwrap().to_string_lossy(),
            fs::metadata(d)?.len() as f64 / 1e6
        );
    }
    let mut root = Root::new()?;
    let archives = ArchiveCache::restore(&root)?;

    // Install, as a branch's IT person would: apt-get with the three files.
    let t_install = Instant::now();
    install(&root, &b.current.all())?;
    let install_s = t_install.elapsed().as_secs_f64();
    println!("packaging: apt-get install of the three packages took {install_s:.0} s");
    archives.save(&root)?;
    // As after any install: the downloaded packages are not part of the system.
    root.ok("apt-get clean")?;

    files_users_and_units(&root)?;
    kiosk_binary(&root, &b.current.version)?;

    // The key, as the session gets it: decrypted by systemd-creds into memory (tmpfs).
    let toml = decrypt_credential(&root)?;
    let secrets = kiosk_secrets(&toml)?;
    self_check(&mut root)?;

    let t_session = Instant::now();
    let session = Session::start(&mut root)?;
    let first = session.wait_for_screen("first-screen", Duration::from_secs(90))?;
    let first_screen_s = t_session.elapsed().as_secs_f64();
    println!(
        "packaging: session start to first screen {first_screen_s:.1} s; install to first screen {:.0} s",
        install_s + first_screen_s
    );
    let back = session.kill_kiosk_and_wait_for_it_back(&first)?;
    println!("packaging: killed kiosk back on its first screen in {back:.1} s");
    session.stop();
    root.unmount(CRED_DIR)?;
    ensure!(
        !root.join(&format!("{DATA}/kiosk.key")).exists(),
        "the kiosk in the session wrote kiosk.key although it had the credential"
    );

    // No clear copy of the secret anywhere: every file of the root, including /var and /etc.
    let planted = migrate_clear_key(&root)?;
    let mut all = needles(&secrets);
    all.extend(needles(&kiosk_secrets(&planted)?));
    ensure!(
        all.iter()
            .any(|(_, n)| memchr::memmem::find(toml.as_bytes(), n).is_some()),
        "the needles are wrong: none found in the key they come from"
    );
    let t = Instant::now();
    let files = root.files()?;
    let (hits, bytes) = search(&files, &all)?;
    println!(
        "packaging: searched {} files ({:.0} MB) for the kiosk secrets in {:.1} s",
        files.len(),
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    ensure!(
        hits.is_empty(),
        "the kiosk secret in clear:\n{}",
        hits.join("\n")
    );

    upgrade_and_downgrade(&mut root, b)?;
    remove_and_purge_the_session(&root)?;
    boot_with_systemd(&mut root)?;
    Ok(())
}

/// The root booted for real (systemd-nspawn --boot, systemd 252 as its PID 1, a private
/// network): synaq-central.service runs under its hardening, and a service with the
/// session's `User=` and `LoadCredentialEncrypted=` gets the kiosk key from systemd itself
/// (`--self-check` passes). The session unit itself cannot start in a container (no tty1,
/// no DRM): its `Restart=` is covered by the supervisor above.
fn boot_with_systemd(root: &mut Root) -> Result<()> {
    use std::os::unix::process::CommandExt as _;
    root.unmount_all()?;
    let log = fs::File::create(out_dir().join("nspawn.log"))?;
    let mut nspawn = Command::new("systemd-nspawn")
        .args([
            "--quiet",
            "--boot",
            "--register=no",
            "--keep-unit",
            "--private-network",
        ])
        .arg("--directory")
        .arg(root.path())
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("systemd-nspawn (apt-get install systemd-container)")?;
    let result = (|| -> Result<()> {
        let t = Instant::now();
        let init = wait_for(Duration::from_secs(30), Duration::from_millis(200), || {
            descendants(nspawn.id())
                .into_iter()
                .find(|p| comm(*p).as_deref() == Some("systemd"))
        })
        .context("no systemd in the container")?;
        let inside = |args: &[&str]| {
            let mut c = Command::new("nsenter");
            c.args(["-t", &init.to_string(), "-m", "-u", "-i", "-n", "-p", "--"])
                .args(args);
            c
        };
        let state = inside(&["systemctl", "is-system-running", "--wait"]).output()?;
        println!(
            "packaging: the root booted with systemd in {:.1} s: {}",
            t.elapsed().as_secs_f64(),
            stdout(&state).trim()
        );
        let active = wait_for(Duration::from_secs(20), Duration::from_millis(500), || {
            let o = inside(&["systemctl", "is-active", "synaq-central"])
                .output()
                .ok()?;
            (stdout(&o).trim() == "active").then_some(())
        });
        let journal = stdout(&run(&mut inside(&[
            "journalctl",
            "-u",
            "synaq-central",
            "--no-pager",
            "-o",
            "cat",
        ]))?);
        println!("synaq-central.service:\n{journal}");
        ensure!(active.is_some(), "synaq-central.service is not active");
        ensure!(
            journal.contains("listening on https://127.0.0.1:8440"),
            "central is not listening"
        );
        let check = inside(&[
            "systemd-run",
            "--wait",
            "--pipe",
            "--quiet",
            "--property=User=synaq-kiosk",
            &format!("--property=LoadCredentialEncrypted={CRED_NAME}:{CRED}"),
            &format!("--property=Environment=SYNAQ_DATA_DIR={DATA}"),
            "/usr/bin/synaq-kiosk",
            "--self-check",
        ])
        .output()?;
        println!(
            "synaq-kiosk --self-check with the credential from systemd:\n{}{}",
            stdout(&check),
            String::from_utf8_lossy(&check.stderr)
        );
        ensure!(
            check.status.success(),
            "--self-check under systemd failed: {}",
            check.status
        );
        Ok(())
    })();
    // SIGTERM: nspawn asks the container's systemd to power off.
    let _ = Command::new("kill")
        .args(["-TERM", &nspawn.id().to_string()])
        .status();
    if wait_for(Duration::from_secs(30), Duration::from_millis(200), || {
        nspawn.try_wait().ok().flatten()
    })
    .is_none()
    {
        kill_tree(nspawn.id());
        let _ = nspawn.wait();
    }
    result
}

/// Removing the session gives the consoles and Ctrl+Alt+Del back; data, key and user stay,
/// also on purge (they hold results and the kiosk's identity).
fn remove_and_purge_the_session(root: &Root) -> Result<()> {
    let kept = || -> Result<()> {
        for f in [CRED, DATA] {
            ensure!(root.join(f).exists(), "{f} is gone");
        }
        root.ok(&format!("getent passwd {KIOSK_USER}"))?;
        Ok(())
    };
    root.ok("apt-get remove -y -q synaq-kiosk-session")?;
    for unit in ["getty@tty1.service", "ctrl-alt-del.target"] {
        let link = root.join(&format!("/etc/systemd/system/{unit}"));
        ensure!(
            fs::symlink_metadata(&link).is_err(),
            "{unit} is still masked after removal"
        );
    }
    ensure!(
        fs::symlink_metadata(
            root.join("/etc/systemd/system/graphical.target.wants/synaq-kiosk-session.service")
        )
        .is_err()
            || !root.join(SESSION_UNIT).exists(),
        "the removed session is still enabled"
    );
    kept()?;
    root.ok("apt-get purge -y -q synaq-kiosk-session")?;
    kept()?;
    // The application alone still runs.
    root.ok("synaq-kiosk --version")?;
    Ok(())
}

fn install(root: &Root, debs: &[&Path]) -> Result<()> {
    let dir = root.join("/tmp/debs");
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::create_dir_all(&dir)?;
    let mut args = String::new();
    for d in debs {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        fs::copy(d, dir.join(&name))?;
        args.push_str(&format!(" /tmp/debs/{name}"));
    }
    root.ok("apt-get update -qq")?;
    // unsafe-io: dpkg without its fsyncs (a throwaway root; twice as fast here).
    let out = root.ok(&format!(
        "apt-get install -y -q -o DPkg::Options::=--force-unsafe-io{args} 2>&1"
    ))?;
    let text = stdout(&out);
    for line in text.lines().filter(|l| l.starts_with("synaq")) {
        println!("  {line}");
    }
    Ok(())
}

/// The downloaded packages of the dependencies, kept in `~/.cache/synaq/apt-archives` so a
/// later run does not download them again.
struct ArchiveCache(PathBuf);

impl ArchiveCache {
    fn restore(root: &Root) -> Result<ArchiveCache> {
        let cache = synaq_packaging::cache_dir().join("apt-archives");
        fs::create_dir_all(&cache)?;
        let dest = root.join("/var/cache/apt/archives");
        let mut n = 0;
        for e in fs::read_dir(&cache)? {
            let e = e?;
            if e.file_name().to_string_lossy().ends_with(".deb") {
                fs::copy(e.path(), dest.join(e.file_name()))?;
                n += 1;
            }
        }
        println!("packaging: {n} cached .deb files put in the root's apt archives");
        Ok(ArchiveCache(cache))
    }

    fn save(&self, root: &Root) -> Result<()> {
        for e in fs::read_dir(root.join("/var/cache/apt/archives"))? {
            let e = e?;
            let name = e.file_name();
            let to = self.0.join(&name);
            if name.to_string_lossy().ends_with(".deb") && !to.exists() {
                // Whole files only: another run may be reading the cache.
                let part = self.0.join(format!(".{}.part", name.to_string_lossy()));
                fs::copy(e.path(), &part)?;
                fs::rename(&part, to)?;
            }
        }
        Ok(())
    }
}

fn files_users_and_units(root: &Root) -> Result<()> {
    for f in [
        "/usr/bin/synaq-kiosk",
        "/usr/bin/synaq-central",
        "/usr/bin/synaq",
        "/usr/share/applications/synaq-kiosk.desktop",
        "/usr/share/man/man1/synaq-kiosk.1.gz",
        "/usr/share/man/man1/synaq-central.1.gz",
        "/usr/share/man/man1/synaq.1.gz",
        "/usr/share/doc/synaq-kiosk/copyright",
        "/usr/share/doc/synaq-kiosk/changelog.Debian.gz",
        "/usr/share/doc/synaq-kiosk-session/copyright",
        "/usr/share/doc/synaq-central/copyright",
        SESSION_UNIT,
        CENTRAL_UNIT,
        "/usr/lib/systemd/logind.conf.d/synaq-kiosk-session.conf",
        "/etc/pam.d/synaq-kiosk-session",
        MEDIA_RULE,
        "/etc/synaq/central.env",
        "/etc/synaq/issuer.pub",
        "/etc/synaq/evidence.pub",
        CRED,
        // The host key systemd-creds encrypted with (no TPM2 in a chroot): not the null key.
        "/var/lib/systemd/credential.secret",
    ] {
        ensure!(root.join(f).is_file(), "{f} is missing after install");
    }
    let passwd = |user: &str| -> Result<Vec<String>> {
        let out = root.ok(&format!("getent passwd {user}"))?;
        Ok(stdout(&out).trim().split(':').map(str::to_string).collect())
    };
    let k = passwd(KIOSK_USER)?;
    ensure!(
        k[5] == DATA && k[6] == "/usr/sbin/nologin",
        "{KIOSK_USER}: {k:?}"
    );
    ensure!(
        k[2].parse::<u32>()? < 1000,
        "{KIOSK_USER} is a system user: {k:?}"
    );
    let c = passwd(CENTRAL_USER)?;
    ensure!(c[5] == "/var/lib/synaq-central", "{CENTRAL_USER}: {c:?}");
    let stat = stdout(&root.ok(&format!(
        "stat -c '%U %a' {DATA} {CRED} /etc/synaq/credstore"
    ))?);
    ensure!(
        stat.lines().collect::<Vec<_>>() == ["synaq-kiosk 700", "root 600", "root 700"],
        "owners and modes of the data dir, the credential and the credstore: {stat}"
    );
    // Enabled for the next boot; no getty on tty1; Ctrl+Alt+Del masked.
    for (link, target) in [
        (
            "/etc/systemd/system/graphical.target.wants/synaq-kiosk-session.service",
            SESSION_UNIT,
        ),
        (
            "/etc/systemd/system/multi-user.target.wants/synaq-central.service",
            CENTRAL_UNIT,
        ),
        ("/etc/systemd/system/getty@tty1.service", "/dev/null"),
        ("/etc/systemd/system/ctrl-alt-del.target", "/dev/null"),
    ] {
        let to = fs::read_link(root.join(link)).with_context(|| format!("{link} is not a link"))?;
        ensure!(to == Path::new(target), "{link} → {}", to.display());
    }
    let verify = root.try_sh(&format!(
        "SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no {SESSION_UNIT} {CENTRAL_UNIT} 2>&1"
    ))?;
    let text = stdout(&verify);
    println!("systemd-analyze verify:\n{text}");
    ensure!(
        verify.status.success(),
        "systemd-analyze verify failed:\n{text}"
    );
    let ours: Vec<_> = text.lines().filter(|l| l.contains("synaq")).collect();
    ensure!(
        ours.is_empty(),
        "systemd-analyze verify on our units:\n{}",
        ours.join("\n")
    );
    Ok(())
}

fn kiosk_binary(root: &Root, deb_version: &str) -> Result<()> {
    let upstream = deb_version.rsplit_once('-').map_or(deb_version, |(u, _)| u);
    let v = stdout(&root.ok("synaq-kiosk --version")?);
    ensure!(
        v.trim() == format!("synaq-kiosk {upstream}"),
        "synaq-kiosk --version printed {v:?}"
    );
    // The man page documents every option --help lists.
    let help = stdout(&root.ok("synaq-kiosk --help")?);
    let man = stdout(&root.ok("zcat /usr/share/man/man1/synaq-kiosk.1.gz")?).replace("\\-", "-");
    for word in help.split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']') {
        let flag = word.trim_end_matches(['.', ':']);
        if flag.starts_with("--") && flag.len() > 2 {
            ensure!(
                man.contains(flag),
                "synaq-kiosk(1) does not document {flag}"
            );
        }
    }
    let v = stdout(&root.ok("synaq-central --version")?);
    ensure!(
        v.contains(upstream),
        "synaq-central --version printed {v:?}"
    );
    Ok(())
}

fn decrypt_credential(root: &Root) -> Result<String> {
    let out = root.ok(&format!(
        "systemd-creds decrypt --name={CRED_NAME} {CRED} -"
    ))?;
    let toml = stdout(&out);
    ensure!(
        toml.contains("x25519_secret = "),
        "the credential is not a kiosk key"
    );
    Ok(toml)
}

fn self_check(root: &mut Root) -> Result<()> {
    let as_kiosk = |env: &str| {
        format!(
            "cd {DATA} && runuser -u {KIOSK_USER} -- env {env} SYNAQ_DATA_DIR={DATA} \
             synaq-kiosk --self-check 2>&1"
        )
    };
    let without = root.try_sh(&as_kiosk(""))?;
    let text = stdout(&without);
    println!("synaq-kiosk --self-check without the credential:\n{text}");
    ensure!(
        without.status.code() == Some(1),
        "--self-check without the credential should fail with 1: {}",
        without.status
    );
    ensure!(
        text.contains(CRED_NAME) || text.to_lowercase().contains("credential"),
        "--self-check without the credential should say the credential is missing"
    );
    // As systemd does for LoadCredentialEncrypted=: a tmpfs, readable by the unit's user only.
    mount_credential(root)?;
    let with = root.try_sh(&as_kiosk(&format!("CREDENTIALS_DIRECTORY={CRED_DIR}")))?;
    let text = stdout(&with);
    println!("synaq-kiosk --self-check with the credential:\n{text}");
    ensure!(
        with.status.success(),
        "--self-check failed: {}",
        with.status
    );
    ensure!(
        !root.join(&format!("{DATA}/kiosk.key")).exists(),
        "the kiosk wrote kiosk.key although the credential was there"
    );
    Ok(())
}

/// The unit as systemd would run it.
struct Unit {
    user: String,
    env: BTreeMap<String, String>,
    exec: Vec<String>,
    restart: String,
    restart_sec: f64,
}

fn read_unit(path: &Path) -> Result<Unit> {
    let text = fs::read_to_string(path)?;
    let mut unit = Unit {
        user: String::new(),
        env: BTreeMap::new(),
        exec: Vec::new(),
        restart: String::new(),
        restart_sec: 0.1,
    };
    for line in text.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        match k {
            "User" => unit.user = v.to_string(),
            "Environment" => {
                let (name, value) = v.split_once('=').context("Environment=NAME=VALUE")?;
                ensure!(
                    !value.contains(['"', '\'', ' ']),
                    "quoted Environment= is not parsed here"
                );
                unit.env.insert(name.to_string(), value.to_string());
            }
            "ExecStart" => {
                ensure!(
                    !v.contains(['"', '\'', '$']),
                    "ExecStart= with quotes or $ is not parsed here"
                );
                unit.exec = v.split_whitespace().map(str::to_string).collect();
            }
            "Restart" => unit.restart = v.to_string(),
            "RestartSec" => unit.restart_sec = v.trim_end_matches('s').parse()?,
            _ => {}
        }
    }
    ensure!(
        !unit.user.is_empty() && !unit.exec.is_empty(),
        "User= and ExecStart= in the unit"
    );
    Ok(unit)
}

/// Xvfb on the host, the session's command in the root, and the supervisor standing in for
/// `Restart=always`.
struct Session {
    xvfb: Child,
    display: String,
    stop: Arc<AtomicBool>,
    child_pid: Arc<AtomicU32>,
    starts: Arc<AtomicU32>,
    supervisor: Option<std::thread::JoinHandle<()>>,
}

impl Session {
    fn start(root: &mut Root) -> Result<Session> {
        let unit = read_unit(&root.join(SESSION_UNIT))?;
        ensure!(unit.restart == "always", "Restart={}", unit.restart);
        let n = (90..200)
            .find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
            .context("a free X display")?;
        let display = format!(":{n}");
        let mut xvfb = Command::new("Xvfb")
            .args([
                &display,
                "-screen",
                "0",
                "1024x768x24",
                "-nolisten",
                "tcp",
                "-noreset",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("Xvfb (apt-get install xvfb)")?;
        if wait_for(Duration::from_secs(10), Duration::from_millis(100), || {
            Path::new(&format!("/tmp/.X11-unix/X{n}"))
                .exists()
                .then_some(())
        })
        .is_none()
        {
            let _ = xvfb.kill();
            bail!("Xvfb {display} did not start");
        }
        root.mount(&["--bind", "/tmp/.X11-unix"], "/tmp/.X11-unix")?;
        let uid = stdout(&root.ok(&format!("id -u {}", unit.user))?)
            .trim()
            .to_string();
        root.ok(&format!(
            "install -d -o {u} -g {u} -m 0700 /run/user/{uid}",
            u = unit.user
        ))?;

        let mut env: Vec<String> = vec![
            format!("HOME={DATA}"),
            format!("USER={}", unit.user),
            format!("LOGNAME={}", unit.user),
            "PATH=/usr/local/bin:/usr/bin:/bin".into(),
            "LANG=C.UTF-8".into(),
            format!("XDG_RUNTIME_DIR=/run/user/{uid}"),
            format!("CREDENTIALS_DIRECTORY={CRED_DIR}"),
        ];
        env.extend(unit.env.iter().map(|(k, v)| format!("{k}={v}")));
        // Nested in the Xvfb instead of a DRM device (no GPU, no seat in a test).
        env.extend([
            format!("DISPLAY={display}"),
            "WLR_BACKENDS=x11".into(),
            "WLR_RENDERER=pixman".into(),
            "WLR_LIBINPUT_NO_DEVICES=1".into(),
        ]);
        let mut argv: Vec<String> = vec![
            "unshare".into(),
            "--mount".into(),
            "--propagation".into(),
            "private".into(),
            "--fork".into(),
            "--".into(),
            "/bin/sh".into(),
            "-ec".into(),
            // The root as the namespace's root (pivot_root, not chroot: bubblewrap may not
            // create user namespaces from a chroot), then the unit's command as its user.
            "mount --rbind \"$0\" \"$0\"; cd \"$0\"; pivot_root . mnt; cd /; umount -l /mnt; \
             cd /var/lib/synaq-kiosk; exec \"$@\""
                .into(),
            root.path().display().to_string(),
            "runuser".into(),
            "-u".into(),
            unit.user.clone(),
            "--".into(),
            "env".into(),
            "-i".into(),
        ];
        argv.extend(env);
        argv.extend(unit.exec.iter().cloned());
        println!("packaging: session command: {}", argv.join(" "));

        let stop = Arc::new(AtomicBool::new(false));
        let child_pid = Arc::new(AtomicU32::new(0));
        let starts = Arc::new(AtomicU32::new(0));
        let log_path = out_dir().join("session.log");
        let log = fs::File::create(&log_path)?;
        let restart = Duration::from_secs_f64(unit.restart_sec);
        let supervisor = {
            let (stop, child_pid, starts) = (stop.clone(), child_pid.clone(), starts.clone());
            std::thread::spawn(move || {
                use std::os::unix::process::CommandExt as _;
                while !stop.load(Ordering::SeqCst) {
                    let spawned = Command::new(&argv[0])
                        .args(&argv[1..])
                        .process_group(0)
                        .stdin(Stdio::null())
                        .stdout(log.try_clone().expect("log"))
                        .stderr(log.try_clone().expect("log"))
                        .spawn();
                    let mut child = match spawned {
                        Ok(c) => c,
                        Err(e) => {
                            eprintln!("packaging: cannot start the session: {e}");
                            return;
                        }
                    };
                    starts.fetch_add(1, Ordering::SeqCst);
                    child_pid.store(child.id(), Ordering::SeqCst);
                    loop {
                        if stop.load(Ordering::SeqCst) {
                            kill_tree(child.id());
                            let _ = child.wait();
                            return;
                        }
                        if let Ok(Some(_)) = child.try_wait() {
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    // Restart=always, RestartSec= of the unit.
                    std::thread::sleep(restart);
                }
            })
        };
        println!("packaging: session log in {}", log_path.display());
        Ok(Session {
            xvfb,
            display,
            stop,
            child_pid,
            starts,
            supervisor: Some(supervisor),
        })
    }

    fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let png = out_dir().join(format!("{name}.png"));
        run(Command::new("import")
            .args(["-display", &self.display, "-window", "root"])
            .arg(&png))?;
        Ok(png)
    }

    /// Waits until the screen shows something and stays the same for a second (the page
    /// has rendered): the kiosk's first screen.
    fn wait_for_screen(&self, name: &str, limit: Duration) -> Result<PathBuf> {
        let t = Instant::now();
        let mut last: Option<Vec<u8>> = None;
        loop {
            let png = self.screenshot(name)?;
            let pixels = pixels(&png)?;
            if spread(&pixels) > 0.03 {
                if last.as_ref() == Some(&pixels) {
                    return Ok(png);
                }
                last = Some(pixels);
            } else {
                last = None;
            }
            if t.elapsed() > limit {
                bail!(
                    "no kiosk screen within {limit:?}: see {} and {}",
                    png.display(),
                    out_dir().join("session.log").display()
                );
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    fn kiosk_pid(&self) -> Option<u32> {
        let ancestor = self.child_pid.load(Ordering::SeqCst);
        descendants(ancestor)
            .into_iter()
            .find(|p| comm(*p).as_deref() == Some("synaq-kiosk"))
    }

    /// Kills the kiosk (SIGKILL, as a crash) and waits for the session to bring it back on
    /// the same screen; returns the seconds that took.
    fn kill_kiosk_and_wait_for_it_back(&self, first: &Path) -> Result<f64> {
        let pid = self
            .kiosk_pid()
            .context("no synaq-kiosk process in the session")?;
        let starts = self.starts.load(Ordering::SeqCst);
        let t = Instant::now();
        run(Command::new("kill").args(["-KILL", &pid.to_string()]))?;
        wait_for(Duration::from_secs(20), Duration::from_millis(100), || {
            (self.starts.load(Ordering::SeqCst) > starts).then_some(())
        })
        .context("the session did not restart after the kiosk was killed")?;
        let again = self.wait_for_screen("after-restart", Duration::from_secs(60))?;
        let secs = t.elapsed().as_secs_f64();
        let new_pid = self.kiosk_pid().context("no kiosk after the restart")?;
        ensure!(new_pid != pid, "the same kiosk process");
        let (a, b) = (pixels(first)?, pixels(&again)?);
        let same = a.iter().zip(&b).filter(|(x, y)| x == y).count() as f64 / a.len() as f64;
        println!(
            "packaging: the screen after the restart matches the first one at {:.1} %",
            same * 100.0
        );
        ensure!(
            same > 0.95,
            "the kiosk came back on another screen: see {}",
            again.display()
        );
        ensure!(secs < 30.0, "the kiosk took {secs:.1} s to come back");
        Ok(secs)
    }

    fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(s) = self.supervisor.take() {
            let _ = s.join();
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(s) = self.supervisor.take() {
            let _ = s.join();
        }
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}

/// The RGB bytes of a screenshot (ImageMagick to raw RGB).
fn pixels(png: &Path) -> Result<Vec<u8>> {
    let out = run(Command::new("convert").arg(png).arg("rgb:-"))?;
    Ok(out.stdout)
}

/// How far from one flat colour the screen is (0 = blank).
fn spread(rgb: &[u8]) -> f64 {
    let Some(first) = rgb.get(..3) else {
        return 0.0;
    };
    let differ = rgb.chunks(3).filter(|p| *p != first).count();
    differ as f64 / (rgb.len() / 3).max(1) as f64
}

fn comm(pid: u32) -> Option<String> {
    fs::read_to_string(format!("/proc/{pid}/comm"))
        .ok()
        .map(|s| s.trim().to_string())
}

fn ppid(pid: u32) -> Option<u32> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    after.split_whitespace().nth(1)?.parse().ok()
}

/// Every process whose ancestors include `ancestor`.
fn descendants(ancestor: u32) -> Vec<u32> {
    let Ok(dir) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&p| {
            let mut cur = p;
            for _ in 0..64 {
                match ppid(cur) {
                    Some(pp) if pp == ancestor => return true,
                    Some(pp) if pp > 1 => cur = pp,
                    _ => return false,
                }
            }
            false
        })
        .collect()
}

/// Kills a process and everything under it.
fn kill_tree(pid: u32) {
    let mut all = descendants(pid);
    all.push(pid);
    for p in all {
        let _ = Command::new("kill")
            .args(["-KILL", &p.to_string()])
            .status();
    }
}

/// An older install kept `kiosk.key` in clear in the data dir: the session's postinst (run
/// again, as on an upgrade) encrypts it into the credential and destroys the clear file.
/// Returns the planted key's TOML.
fn migrate_clear_key(root: &Root) -> Result<String> {
    let keys = tempfile::tempdir()?;
    run(synaq_packaging::cargo()
        .args(["run", "--quiet", "--release", "-p", "synaq-cli", "--"])
        .args(["keys", "gen", "--role", "kiosk", "--out"])
        .arg(keys.path()))?;
    let planted = fs::read_to_string(keys.path().join("kiosk.key"))?;
    let saved = fs::read(root.join(CRED))?;
    fs::remove_file(root.join(CRED))?;
    fs::write(root.join(&format!("{DATA}/kiosk.key")), &planted)?;
    let v = stdout(&root.ok("dpkg-query -W -f='${Version}' synaq-kiosk-session")?);
    root.ok(&format!(
        "/var/lib/dpkg/info/synaq-kiosk-session.postinst configure {v}"
    ))?;
    ensure!(
        !root.join(&format!("{DATA}/kiosk.key")).exists(),
        "the clear kiosk.key is still there"
    );
    let now = decrypt_credential(root)?;
    ensure!(
        now == planted,
        "the credential does not hold the old clear key"
    );
    // Put the installed kiosk's own credential back for the upgrade.
    fs::write(root.join(CRED), saved)?;
    Ok(planted)
}

/// Mounts the decrypted credential where systemd would put it for the session (a tmpfs
/// readable by the kiosk user only).
fn mount_credential(root: &mut Root) -> Result<()> {
    root.mount(
        &["-t", "tmpfs", "-o", "mode=0700,size=1m", "tmpfs"],
        CRED_DIR,
    )?;
    root.ok(&format!(
        "systemd-creds decrypt --name={CRED_NAME} {CRED} {CRED_DIR}/{CRED_NAME} && \
         chmod 0400 {CRED_DIR}/{CRED_NAME} && chown {KIOSK_USER}: {CRED_DIR} {CRED_DIR}/{CRED_NAME} && \
         chmod 0500 {CRED_DIR}"
    ))?;
    Ok(())
}

/// The installed kiosk's self-check as the kiosk user with its credential: its output.
fn self_check_output(root: &Root) -> Result<String> {
    let out = root.try_sh(&format!(
        "cd {DATA} && runuser -u {KIOSK_USER} -- env CREDENTIALS_DIRECTORY={CRED_DIR} \
         SYNAQ_DATA_DIR={DATA} synaq-kiosk --self-check 2>&1"
    ))?;
    let text = stdout(&out);
    ensure!(out.status.success(), "--self-check failed:\n{text}");
    Ok(text)
}

fn upgrade_and_downgrade(root: &mut Root, b: &synaq_packaging::Builds) -> Result<()> {
    // A real exam in progress: made by the kiosk's own engine with the kiosk's sealed key (the
    // credential, as the session has it), over a bank ЕУМЦ's test issuer issued to that key,
    // five answers kept. The installed kiosk's self-check finds it and verifies the journal.
    fs::copy(
        env!("CARGO_BIN_EXE_exam-fixture"),
        root.join("/usr/local/bin/exam-fixture"),
    )?;
    fs::copy(
        b.eumc_keys.join("issuer.key"),
        root.join("/tmp/test-issuer.key"),
    )?;
    root.ok(&format!("chown {KIOSK_USER}: /tmp/test-issuer.key"))?;
    mount_credential(root)?;
    let out = root.ok(&format!(
        "cd {DATA} && runuser -u {KIOSK_USER} -- env CREDENTIALS_DIRECTORY={CRED_DIR} \
         SYNAQ_DATA_DIR={DATA} exam-fixture /tmp/test-issuer.key"
    ))?;
    fs::remove_file(root.join("/tmp/test-issuer.key"))?;
    let attempt = stdout(&out).trim().to_owned();
    ensure!(!attempt.is_empty(), "the fixture made no exam");
    let open = format!("exam {attempt} is open (running), 5 answers kept");
    let text = self_check_output(root)?;
    ensure!(text.contains(&open), "before the upgrade:\n{text}");
    ensure!(
        !root.join(&format!("{DATA}/kiosk.key")).exists(),
        "the exam was signed from a key file in clear"
    );
    let snapshot = || -> Result<BTreeMap<String, Vec<u8>>> {
        let mut m = BTreeMap::new();
        for dir in [DATA, "/etc/synaq"] {
            for f in walk(&root.join(dir))? {
                let rel = f.strip_prefix(root.path())?.display().to_string();
                // SQLite's -shm/-wal files may be rewritten; the database is compared.
                if !rel.ends_with("-shm") {
                    m.insert(rel, fs::read(&f)?);
                }
            }
        }
        Ok(m)
    };
    let before = snapshot()?;
    println!(
        "packaging: files kept over the upgrade: {:?}",
        before.keys().collect::<Vec<_>>()
    );
    install(root, &b.newer.all())?;
    let after = snapshot()?;
    ensure!(
        before == after,
        "the upgrade changed the kiosk's data or keys"
    );
    // The upgraded kiosk finds the same exam, every answer, its journal verifying.
    let text = self_check_output(root)?;
    println!("packaging: self-check after the upgrade:\n{text}");
    ensure!(
        text.contains(&open) && text.contains("the journal verifies ("),
        "after the upgrade:\n{text}"
    );
    let after = snapshot()?;
    let versions = || -> Result<String> {
        Ok(stdout(&root.ok(
            "dpkg-query -W -f='${Package} ${Version} ${db:Status-Abbrev}\\n' synaq-kiosk synaq-kiosk-session synaq-central",
        )?))
    };
    let v = versions()?;
    ensure!(
        v.lines()
            .all(|l| l.contains(&b.newer.version) && l.ends_with("ii ")),
        "after the upgrade: {v}"
    );
    ensure!(
        fs::read_link(
            root.join("/etc/systemd/system/graphical.target.wants/synaq-kiosk-session.service")
        )
        .is_ok(),
        "the session is no longer enabled after the upgrade"
    );

    // The older packages again: refused, nothing changed.
    let dir = root.join("/tmp/debs");
    fs::remove_dir_all(&dir)?;
    fs::create_dir_all(&dir)?;
    let mut args = String::new();
    for d in b.current.all() {
        let name = d.file_name().unwrap().to_string_lossy().into_owned();
        fs::copy(d, dir.join(&name))?;
        args.push_str(&format!(" /tmp/debs/{name}"));
    }
    let out = root.try_sh(&format!(
        "apt-get install -y -q --allow-downgrades{args} 2>&1"
    ))?;
    let text = stdout(&out);
    ensure!(
        !out.status.success(),
        "the downgrade was not refused:\n{text}"
    );
    let refusal: Vec<_> = text
        .lines()
        .filter(|l| l.contains("refusing to downgrade"))
        .collect();
    println!("packaging: downgrade refused:\n  {}", refusal.join("\n  "));
    ensure!(!refusal.is_empty(), "no clear refusal in:\n{text}");
    let v = versions()?;
    ensure!(
        v.lines()
            .all(|l| l.contains(&b.newer.version) && l.ends_with("ii ")),
        "after the refused downgrade: {v}"
    );
    ensure!(
        snapshot()? == after,
        "the refused downgrade changed the kiosk's data or keys"
    );
    root.unmount(CRED_DIR)?;
    Ok(())
}

fn walk(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            out.extend(walk(&e.path())?);
        } else if e.file_type()?.is_file() {
            out.push(e.path());
        }
    }
    out.sort();
    Ok(out)
}
