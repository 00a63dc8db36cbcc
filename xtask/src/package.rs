//! `cargo xtask package [--out DIR] [--version V] [--eumc-keys DIR] [--no-build]`: the three
//! Debian packages (`synaq-kiosk`, `synaq-kiosk-session`, `synaq-central`) from `packaging/`.
//!
//! Everything a package holds comes from `packaging/<package>/` (control template, maintainer
//! scripts, units, configuration, desktop entry, man page, copyright) and `packaging/changelog`;
//! this code only assembles the trees (modes, compressed docs, stripped binaries, md5sums,
//! `Installed-Size`, `Depends` from `dpkg-shlibdeps`) and runs `dpkg-deb --root-owner-group`.
//! No tool is downloaded: dpkg-dev, binutils and help2man come from Debian.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, ensure, Context, Result};

use crate::{cargo, root, run, target_dir};

const USAGE: &str =
    "usage: cargo xtask package [--out DIR] [--version DEBIAN-VERSION] [--eumc-keys DIR] [--no-build]";

/// The Debian revision added to the workspace version (`0.1.0` → `0.1.0-1`).
const DEBIAN_REVISION: &str = "1";

struct Options {
    out: PathBuf,
    version: String,
    eumc_keys: Option<PathBuf>,
    build: bool,
}

/// One file to put in a package: where it comes from, where it goes, its mode.
struct Entry {
    from: Source,
    to: &'static str,
    mode: u32,
}

enum Source {
    /// A file under `packaging/`.
    Packaging(&'static str),
    /// A file under the workspace root.
    Workspace(&'static str),
    /// A release binary, stripped as dh_strip would.
    Binary(&'static str),
    /// A man page generated with help2man from a release binary's `--help`.
    HelpToMan(&'static str, &'static str),
    /// A file outside the tree (ЕУМЦ's public keys).
    Path(PathBuf),
}

struct Package {
    name: &'static str,
    arch: &'static str,
    entries: Vec<Entry>,
    /// Paths (from the root, with a leading `/`) dpkg treats as configuration files.
    conffiles: Vec<&'static str>,
    /// Maintainer scripts present in `packaging/<name>/`.
    scripts: &'static [&'static str],
    /// Binaries whose libraries `dpkg-shlibdeps` turns into `Depends`.
    shlibs: &'static [&'static str],
}

pub fn package(args: &[String]) -> Result<()> {
    let opts = parse(args)?;
    if opts.build {
        crate::setup()?;
        // Rebuilding an unchanged UI would still relink the release kiosk (it embeds ui/dist).
        if ui_dist_is_stale()? {
            crate::ui_build()?;
        }
        let mut c = cargo();
        clean_cargo_env(&mut c);
        c.args([
            "build",
            "--release",
            "-p",
            "synaq-kiosk",
            "-p",
            "synaq-central",
            "-p",
            "synaq-cli",
        ]);
        run(c)?;
    }
    for tool in ["dpkg-deb", "dpkg-shlibdeps", "strip", "help2man", "gzip"] {
        if crate::on_path(tool).is_none() {
            bail!("{tool} is missing: run `cargo xtask setup` (it installs dpkg-dev, binutils, help2man)");
        }
    }
    fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create {}", opts.out.display()))?;
    for p in packages(&opts) {
        let deb = build(&p, &opts)?;
        let size = fs::metadata(&deb)?.len();
        eprintln!(
            "xtask: {} ({:.1} MB)",
            deb.display(),
            size as f64 / 1_000_000.0
        );
    }
    Ok(())
}

/// Whether anything `ui/dist` is built from (ui sources and config, assets/i18n) is newer
/// than `ui/dist/index.html`.
fn ui_dist_is_stale() -> Result<bool> {
    fn newest(p: &Path) -> Result<std::time::SystemTime> {
        let meta = fs::metadata(p)?;
        let mut t = meta.modified()?;
        if meta.is_dir() {
            for e in fs::read_dir(p)? {
                t = t.max(newest(&e?.path())?);
            }
        }
        Ok(t)
    }
    let ui = root().join("ui");
    let Ok(built) = fs::metadata(ui.join("dist/index.html")).and_then(|m| m.modified()) else {
        return Ok(true);
    };
    let mut inputs = vec![ui.join("src"), root().join("assets/i18n")];
    for e in fs::read_dir(&ui)? {
        let p = e?.path();
        if p.is_file() {
            inputs.push(p);
        }
    }
    for i in inputs {
        if newest(&i)? > built {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Leaves out the `CARGO_PKG_*`/`CARGO_MANIFEST_*` variables `cargo run` gives this process:
/// ring's build script reruns when they change, which would rebuild the release binaries (ten
/// minutes here) each time a different crate runs `cargo xtask package`.
pub fn clean_cargo_env(c: &mut Command) {
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if (k.starts_with("CARGO_") && k != "CARGO_TARGET_DIR" && k != "CARGO_HOME")
            || k == "RUST_RECURSION_COUNT"
        {
            c.env_remove(&*k);
        }
    }
}

fn parse(args: &[String]) -> Result<Options> {
    let mut opts = Options {
        out: target_dir().join("packaging/debs"),
        version: format!("{}-{DEBIAN_REVISION}", workspace_version()?),
        eumc_keys: None,
        build: true,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .with_context(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--out" => opts.out = absolute(value()?),
            "--version" => opts.version = value()?,
            "--eumc-keys" => opts.eumc_keys = Some(absolute(value()?)),
            "--no-build" => opts.build = false,
            _ => bail!("unknown argument {a}\n{USAGE}"),
        }
    }
    ensure!(
        opts.version
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+~-".contains(c))
            && opts.version.starts_with(|c: char| c.is_ascii_digit())
            && opts.version.contains('-'),
        "--version {}: a Debian version with a revision is expected, e.g. 0.1.0-2",
        opts.version
    );
    if let Some(dir) = &opts.eumc_keys {
        for f in ["issuer.pub", "evidence.pub"] {
            ensure!(
                dir.join(f).is_file(),
                "--eumc-keys {}: {f} is missing (ЕУМЦ's public keys: issuer.pub and evidence.pub)",
                dir.display()
            );
        }
    }
    Ok(opts)
}

fn absolute(p: String) -> PathBuf {
    let p = PathBuf::from(p);
    if p.is_absolute() {
        p
    } else {
        env_cwd().join(p)
    }
}

fn env_cwd() -> PathBuf {
    std::env::current_dir().unwrap_or_else(|_| root())
}

/// `version` of `[workspace.package]` in the root Cargo.toml.
pub fn workspace_version() -> Result<String> {
    let text = fs::read_to_string(root().join("Cargo.toml"))?;
    let section = text
        .split("[workspace.package]")
        .nth(1)
        .context("no [workspace.package] in Cargo.toml")?;
    section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .find_map(|l| {
            let v = l.strip_prefix("version")?.trim_start().strip_prefix('=')?;
            Some(v.trim().trim_matches('"').to_string())
        })
        .context("no version in [workspace.package]")
}

fn packages(opts: &Options) -> Vec<Package> {
    let doc = |pkg: &'static str, to_copyright: &'static str| Entry {
        from: Source::Packaging(pkg),
        to: to_copyright,
        mode: 0o644,
    };
    let mut kiosk = Package {
        name: "synaq-kiosk",
        arch: "amd64",
        entries: vec![
            Entry {
                from: Source::Binary("synaq-kiosk"),
                to: "usr/bin/synaq-kiosk",
                mode: 0o755,
            },
            Entry {
                from: Source::Packaging("synaq-kiosk/synaq-kiosk.desktop"),
                to: "usr/share/applications/synaq-kiosk.desktop",
                mode: 0o644,
            },
            Entry {
                from: Source::Workspace("src-tauri/icons/32x32.png"),
                to: "usr/share/icons/hicolor/32x32/apps/synaq-kiosk.png",
                mode: 0o644,
            },
            Entry {
                from: Source::Workspace("src-tauri/icons/128x128.png"),
                to: "usr/share/icons/hicolor/128x128/apps/synaq-kiosk.png",
                mode: 0o644,
            },
            Entry {
                from: Source::Workspace("src-tauri/icons/icon.png"),
                to: "usr/share/icons/hicolor/512x512/apps/synaq-kiosk.png",
                mode: 0o644,
            },
            Entry {
                from: Source::Packaging("synaq-kiosk/synaq-kiosk.1"),
                to: "usr/share/man/man1/synaq-kiosk.1.gz",
                mode: 0o644,
            },
            doc(
                "synaq-kiosk/copyright",
                "usr/share/doc/synaq-kiosk/copyright",
            ),
            Entry {
                from: Source::Packaging("synaq-kiosk/lintian-overrides"),
                to: "usr/share/lintian/overrides/synaq-kiosk",
                mode: 0o644,
            },
        ],
        conffiles: vec![],
        scripts: &["preinst"],
        shlibs: &["usr/bin/synaq-kiosk"],
    };
    if let Some(keys) = &opts.eumc_keys {
        for (f, to) in [
            ("issuer.pub", "etc/synaq/issuer.pub"),
            ("evidence.pub", "etc/synaq/evidence.pub"),
        ] {
            kiosk.entries.push(Entry {
                from: Source::Path(keys.join(f)),
                to,
                mode: 0o644,
            });
        }
        kiosk.conffiles = vec!["/etc/synaq/issuer.pub", "/etc/synaq/evidence.pub"];
    }
    let session = Package {
        name: "synaq-kiosk-session",
        arch: "all",
        entries: vec![
            Entry {
                from: Source::Packaging("synaq-kiosk-session/synaq-kiosk-session.service"),
                to: "lib/systemd/system/synaq-kiosk-session.service",
                mode: 0o644,
            },
            Entry {
                from: Source::Packaging("synaq-kiosk-session/logind.conf"),
                to: "usr/lib/systemd/logind.conf.d/synaq-kiosk-session.conf",
                mode: 0o644,
            },
            Entry {
                from: Source::Packaging("synaq-kiosk-session/media.rules"),
                to: "lib/udev/rules.d/80-synaq-kiosk-media.rules",
                mode: 0o644,
            },
            Entry {
                from: Source::Packaging("synaq-kiosk-session/pam"),
                to: "etc/pam.d/synaq-kiosk-session",
                mode: 0o644,
            },
            doc(
                "synaq-kiosk-session/copyright",
                "usr/share/doc/synaq-kiosk-session/copyright",
            ),
            Entry {
                from: Source::Packaging("synaq-kiosk-session/lintian-overrides"),
                to: "usr/share/lintian/overrides/synaq-kiosk-session",
                mode: 0o644,
            },
        ],
        conffiles: vec!["/etc/pam.d/synaq-kiosk-session"],
        scripts: &["preinst", "postinst", "prerm", "postrm"],
        shlibs: &[],
    };
    let central = Package {
        name: "synaq-central",
        arch: "amd64",
        entries: vec![
            Entry {
                from: Source::Binary("synaq-central"),
                to: "usr/bin/synaq-central",
                mode: 0o755,
            },
            Entry {
                from: Source::Binary("synaq"),
                to: "usr/bin/synaq",
                mode: 0o755,
            },
            Entry {
                from: Source::Packaging("synaq-central/synaq-central.service"),
                to: "lib/systemd/system/synaq-central.service",
                mode: 0o644,
            },
            Entry {
                from: Source::Packaging("synaq-central/central.env"),
                to: "etc/synaq/central.env",
                // It may hold the database password and the S3 key: root only (systemd
                // reads it before dropping to the service user).
                mode: 0o600,
            },
            Entry {
                from: Source::HelpToMan("synaq-central", "the Synaq central service (ЕУМЦ)"),
                to: "usr/share/man/man1/synaq-central.1.gz",
                mode: 0o644,
            },
            Entry {
                from: Source::HelpToMan("synaq", "the Synaq admin tool (ЕУМЦ)"),
                to: "usr/share/man/man1/synaq.1.gz",
                mode: 0o644,
            },
            doc(
                "synaq-central/copyright",
                "usr/share/doc/synaq-central/copyright",
            ),
            Entry {
                from: Source::Packaging("synaq-central/lintian-overrides"),
                to: "usr/share/lintian/overrides/synaq-central",
                mode: 0o644,
            },
        ],
        conffiles: vec!["/etc/synaq/central.env"],
        scripts: &["preinst", "postinst", "prerm", "postrm"],
        shlibs: &["usr/bin/synaq-central", "usr/bin/synaq"],
    };
    vec![kiosk, session, central]
}

fn build(p: &Package, opts: &Options) -> Result<PathBuf> {
    let packaging = root().join("packaging");
    let release = target_dir().join("release");
    let tree = target_dir().join("packaging/tree").join(p.name);
    if tree.exists() {
        fs::remove_dir_all(&tree).with_context(|| format!("cannot clear {}", tree.display()))?;
    }
    for e in &p.entries {
        let to = tree.join(e.to);
        fs::create_dir_all(to.parent().expect("entries are files in directories"))?;
        let gz = e.to.ends_with(".gz");
        let plain = if gz {
            tree.join("tmp.plain")
        } else {
            to.clone()
        };
        match &e.from {
            Source::Packaging(f) => copy(&packaging.join(f), &plain)?,
            Source::Workspace(f) => copy(&root().join(f), &plain)?,
            Source::Path(f) => copy(f, &plain)?,
            Source::Binary(b) => {
                let bin = release.join(b);
                ensure!(
                    bin.is_file(),
                    "{} is missing: build it (cargo xtask package without --no-build)",
                    bin.display()
                );
                let mut c = Command::new("strip");
                c.args([
                    "--strip-unneeded",
                    "--remove-section=.comment",
                    "--remove-section=.note",
                    "-o",
                ])
                .arg(&plain)
                .arg(&bin);
                run(c)?;
            }
            Source::HelpToMan(b, what) => {
                let out = Command::new("help2man")
                    .args(["--no-info", "--section=1", "--name", what])
                    .arg(release.join(b))
                    .output()
                    .with_context(|| format!("cannot run help2man on {b}"))?;
                ensure!(
                    out.status.success(),
                    "help2man {b} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                fs::write(&plain, out.stdout)?;
            }
        }
        if gz {
            gzip(&plain, &to)?;
            fs::remove_file(&plain)?;
        }
        set_mode(&to, e.mode)?;
    }
    // The changelog, with an entry for a relabelled version (the upgrade test's second build).
    let doc = tree.join("usr/share/doc").join(p.name);
    fs::create_dir_all(&doc)?;
    let plain = doc.join("changelog.Debian");
    fs::write(&plain, changelog(&opts.version)?)?;
    gzip(&plain, &doc.join("changelog.Debian.gz"))?;
    fs::remove_file(&plain)?;
    set_mode(&doc.join("changelog.Debian.gz"), 0o644)?;

    let debian = tree.join("DEBIAN");
    fs::create_dir_all(&debian)?;
    for s in p.scripts {
        let text = fs::read_to_string(packaging.join(p.name).join(s))?;
        let text = text
            .replace("@VERSION@", &opts.version)
            .replace("@PACKAGE@", p.name);
        fs::write(debian.join(s), text)?;
        set_mode(&debian.join(s), 0o755)?;
    }
    if !p.conffiles.is_empty() {
        fs::write(debian.join("conffiles"), p.conffiles.join("\n") + "\n")?;
        set_mode(&debian.join("conffiles"), 0o644)?;
    }
    let files = files_under(&tree, &tree)?;
    fs::write(debian.join("md5sums"), md5sums(&tree, &files)?)?;
    set_mode(&debian.join("md5sums"), 0o644)?;

    let shlibs = if p.shlibs.is_empty() {
        String::new()
    } else {
        shlibs_depends(&tree, p.shlibs)?
    };
    let control = fs::read_to_string(packaging.join(p.name).join("control"))?
        .replace("@VERSION@", &opts.version)
        .replace("@INSTALLED_SIZE@", &installed_size(&tree)?.to_string())
        .replace("@SHLIBS@", &shlibs);
    for placeholder in ["@VERSION@", "@INSTALLED_SIZE@", "@SHLIBS@", "@PACKAGE@"] {
        ensure!(
            !control.contains(placeholder),
            "{}: {placeholder} is left in the control file",
            p.name
        );
    }
    fs::write(debian.join("control"), control)?;
    set_mode(&debian.join("control"), 0o644)?;
    set_dir_modes(&tree)?;

    let deb = opts
        .out
        .join(format!("{}_{}_{}.deb", p.name, opts.version, p.arch));
    let mut c = Command::new("dpkg-deb");
    c.args(["--root-owner-group", "-Zxz", "--build"])
        .arg(&tree)
        .arg(&deb);
    run(c)?;
    Ok(deb)
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    fs::copy(from, to)
        .map(drop)
        .with_context(|| format!("cannot copy {} to {}", from.display(), to.display()))
}

fn gzip(plain: &Path, to: &Path) -> Result<()> {
    // -n: no name or time stamp in the header (as dh_compress), so rebuilds are identical.
    let out = Command::new("gzip")
        .args(["-9", "-n", "-c"])
        .arg(plain)
        .output()
        .context("cannot run gzip")?;
    ensure!(out.status.success(), "gzip {} failed", plain.display());
    fs::write(to, out.stdout)?;
    Ok(())
}

fn set_mode(path: &Path, mode: u32) -> Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
        .with_context(|| format!("cannot chmod {}", path.display()))
}

fn set_dir_modes(dir: &Path) -> Result<()> {
    set_mode(dir, 0o755)?;
    for e in fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            set_dir_modes(&e.path())?;
        }
    }
    Ok(())
}

/// Every file under `dir`, as paths relative to `base`, sorted; `DEBIAN/` left out.
fn files_under(dir: &Path, base: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut entries: Vec<_> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(fs::DirEntry::path);
    for e in entries {
        let path = e.path();
        let rel = path.strip_prefix(base)?.to_path_buf();
        if rel == Path::new("DEBIAN") {
            continue;
        }
        if e.file_type()?.is_dir() {
            out.extend(files_under(&path, base)?);
        } else {
            out.push(rel);
        }
    }
    Ok(out)
}

fn md5sums(tree: &Path, files: &[PathBuf]) -> Result<String> {
    let out = Command::new("md5sum")
        .current_dir(tree)
        .args(files)
        .output()
        .context("cannot run md5sum")?;
    ensure!(out.status.success(), "md5sum failed");
    Ok(String::from_utf8(out.stdout)?)
}

/// As dpkg-gencontrol: KiB per file rounded up, one per directory, `DEBIAN/` left out.
fn installed_size(tree: &Path) -> Result<u64> {
    fn walk(dir: &Path, top: bool) -> Result<u64> {
        let mut kib = 0;
        for e in fs::read_dir(dir)? {
            let e = e?;
            if top && e.file_name() == "DEBIAN" {
                continue;
            }
            let t = e.file_type()?;
            if t.is_dir() {
                kib += 1 + walk(&e.path(), false)?;
            } else {
                kib += e.metadata()?.len().div_ceil(1024).max(1);
            }
        }
        Ok(kib)
    }
    walk(tree, true)
}

/// `dpkg-shlibdeps` on the binaries, in a throwaway directory with the minimal
/// `debian/control` it insists on; returns the `shlibs:Depends` value.
fn shlibs_depends(tree: &Path, bins: &[&str]) -> Result<String> {
    let work = tree.with_extension("shlibdeps");
    if work.exists() {
        fs::remove_dir_all(&work)?;
    }
    fs::create_dir_all(work.join("debian"))?;
    fs::write(
        work.join("debian/control"),
        "Source: synaq\n\nPackage: synaq\nArchitecture: any\n",
    )?;
    let mut c = Command::new("dpkg-shlibdeps");
    c.current_dir(&work).arg("-O");
    // Only what the binaries link directly: no Depends for libraries a library pulls anyway.
    c.arg("--warnings=1");
    for b in bins {
        c.arg(format!("-e{}", tree.join(b).display()));
    }
    let out = c.output().context("cannot run dpkg-shlibdeps")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    ensure!(out.status.success(), "dpkg-shlibdeps failed: {stderr}");
    fs::remove_dir_all(&work)?;
    let stdout = String::from_utf8(out.stdout)?;
    let depends = stdout
        .lines()
        .find_map(|l| l.strip_prefix("shlibs:Depends="))
        .context("dpkg-shlibdeps printed no shlibs:Depends")?;
    Ok(depends.trim().to_string())
}

/// `packaging/changelog`, with a first entry for `version` when it is not the newest one there.
fn changelog(version: &str) -> Result<String> {
    let text = fs::read_to_string(root().join("packaging/changelog"))?;
    let first = text.lines().next().unwrap_or_default();
    let top = first
        .split(['(', ')'])
        .nth(1)
        .context("packaging/changelog: the first line is not `synaq (VERSION) …`")?;
    if top == version {
        return Ok(text);
    }
    let trailer = text
        .lines()
        .find(|l| l.starts_with(" -- "))
        .context("packaging/changelog: no trailer line")?;
    Ok(format!(
        "synaq ({version}) bookworm; urgency=medium\n\n  * Relabelled build of {top} (same sources).\n\n{trailer}\n\n{text}"
    ))
}
