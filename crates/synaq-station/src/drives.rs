//! Removable drives and the Synaq files on them, so the admin picks a file instead of typing a
//! Linux path.
//!
//! A drive is a block device mounted under one of the places desktops and udisks mount
//! removable media (`/media`, `/run/media`, `/mnt`), read from `/proc/self/mountinfo`. The
//! environment variable `SYNAQ_MEDIA_ROOTS` (directories separated by `:`) replaces that: each
//! directory inside one of them is a drive. The e2e suite "inserts" a drive that way, and an
//! office whose drives mount elsewhere can say where.

use std::path::{Path, PathBuf};

/// Where removable media is mounted on Debian desktops and kiosk sessions.
pub const MOUNT_ROOTS: [&str; 3] = ["/media", "/run/media", "/mnt"];

/// The environment variable that names the directories drives appear in instead.
pub const MEDIA_ROOTS_ENV: &str = "SYNAQ_MEDIA_ROOTS";

/// A mounted removable drive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drive {
    /// Where it is mounted.
    pub path: PathBuf,
    /// What people call it: the volume label udisks names the mount point after.
    pub label: String,
}

/// What a file on a drive is for, by its extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// A signed question bank (`.synaqbank`).
    Bank,
    /// A signed roster (`.synaqroster`).
    Roster,
    /// ЕУМЦ's receipts for results carried on the drive (`.synaqin`).
    Receipts,
    /// ЕУМЦ's enrollment file: central's address, TLS pin, branch, one-time code (`.synaqjoin`).
    Enrollment,
    /// ЕУМЦ's answer to an offline enrollment request (`.synaqcert`).
    EnrollmentCertificate,
}

impl FileKind {
    /// The kind of a file named `name`, if Synaq reads it.
    pub fn of(name: &str) -> Option<FileKind> {
        let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "synaqbank" => FileKind::Bank,
            "synaqroster" => FileKind::Roster,
            "synaqin" => FileKind::Receipts,
            "synaqjoin" => FileKind::Enrollment,
            "synaqcert" => FileKind::EnrollmentCertificate,
            _ => return None,
        })
    }
}

/// A Synaq file found on a drive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DriveFile {
    pub path: PathBuf,
    /// The path below the drive (`banks/alm.synaqbank`).
    pub name: String,
    pub kind: FileKind,
    pub bytes: u64,
    /// Last change, Unix milliseconds (0 when unknown).
    pub modified_ms: i64,
}

/// Undoes mountinfo's octal escapes (`\040` is a space in a label).
fn unescape(field: &str) -> String {
    let b = field.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let octal = b
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|c| (b'0'..=b'7').contains(c)));
        match (b[i], octal) {
            (b'\\', Some(d)) => {
                out.push((d[0] - b'0') * 64 + (d[1] - b'0') * 8 + (d[2] - b'0'));
                i += 4;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The removable drives in a `/proc/self/mountinfo` text: block devices (`/dev/…`) mounted
/// below one of `roots`, each once, in mount order. Bind mounts of a subdirectory, pseudo
/// file systems and the roots themselves are not drives.
pub fn parse_mountinfo(text: &str, roots: &[&str]) -> Vec<Drive> {
    let mut out: Vec<Drive> = Vec::new();
    for line in text.lines() {
        let Some((left, right)) = line.split_once(" - ") else {
            continue;
        };
        let fields: Vec<&str> = left.split(' ').collect();
        let source = right.split(' ').nth(1).unwrap_or("");
        let (Some(root), Some(mount)) = (fields.get(3), fields.get(4)) else {
            continue;
        };
        if *root != "/" || !source.starts_with("/dev/") {
            continue;
        }
        let mount = unescape(mount);
        let path = Path::new(&mount);
        let under = roots
            .iter()
            .any(|r| path.starts_with(r) && path != Path::new(r));
        if !under || out.iter().any(|d| d.path == path) {
            continue;
        }
        let label = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        out.push(Drive {
            path: path.to_owned(),
            label,
        });
    }
    out
}

/// The drives in the directories `SYNAQ_MEDIA_ROOTS` names: every directory inside them.
fn drives_in(roots: &str) -> Vec<Drive> {
    let mut out = Vec::new();
    for root in roots.split(':').filter(|r| !r.is_empty()) {
        let Ok(entries) = std::fs::read_dir(root) else {
            continue;
        };
        let mut found: Vec<Drive> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| Drive {
                label: e.file_name().to_string_lossy().into_owned(),
                path: e.path(),
            })
            .collect();
        found.sort_by(|a, b| a.label.cmp(&b.label));
        out.extend(found);
    }
    out
}

/// The removable drives mounted now.
pub fn mounted() -> Vec<Drive> {
    if let Some(roots) = std::env::var_os(MEDIA_ROOTS_ENV) {
        return drives_in(&roots.to_string_lossy());
    }
    std::fs::read_to_string("/proc/self/mountinfo")
        .map(|t| parse_mountinfo(&t, &MOUNT_ROOTS))
        .unwrap_or_default()
}

fn walk(dir: &Path, prefix: &str, depth: u8, out: &mut Vec<DriveFile>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        if out.len() >= MAX_FILES {
            return;
        }
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let shown = format!("{prefix}{name}");
        let Ok(meta) = e.metadata() else { continue };
        if meta.is_dir() {
            if depth > 0 {
                walk(&e.path(), &format!("{shown}/"), depth - 1, out);
            }
        } else if let Some(kind) = FileKind::of(&name) {
            let modified_ms = meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
            out.push(DriveFile {
                path: e.path(),
                name: shown,
                kind,
                bytes: meta.len(),
                modified_ms,
            });
        }
    }
}

/// Files listed per drive at most.
const MAX_FILES: usize = 200;

/// The Synaq files on `drive`: at its top and one folder down (people make a folder per
/// delivery), newest first; at most 200.
pub fn files_on(drive: &Path) -> Vec<DriveFile> {
    let mut out = Vec::new();
    walk(drive, "", 1, &mut out);
    out.sort_by(|a, b| {
        b.modified_ms
            .cmp(&a.modified_ms)
            .then_with(|| a.name.cmp(&b.name))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// From a Debian 12 desktop with a USB stick (label "ЕУМЦ 2026") and a kiosk session's
    /// `/mnt/usb`, trimmed: the root, pseudo file systems, a bind mount and a network share.
    const MOUNTINFO: &str = r"22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw
28 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw,errors=remount-ro
30 28 0:26 / /run rw,nosuid,nodev,noexec,relatime shared:11 - tmpfs tmpfs rw,size=3276800k,mode=755
31 28 259:1 / /boot/efi rw,relatime shared:14 - vfat /dev/nvme0n1p1 rw,fmask=0077
410 30 0:52 / /run/user/1000 rw,nosuid,nodev,relatime shared:545 - tmpfs tmpfs rw,size=1638400k,mode=700,uid=1000,gid=1000
512 28 8:17 / /media/aliya/\320\225\320\243\320\234\320\246\0402026 rw,nosuid,nodev,relatime shared:601 - vfat /dev/sdb1 rw,uid=1000,gid=1000,fmask=0022,dmask=0022,codepage=437,iocharset=ascii,shortname=mixed,showexec,utf8,flush=1,errors=remount-ro
520 28 8:33 / /run/media/admin/KINGSTON rw,nosuid,nodev,relatime shared:610 - exfat /dev/sdc1 rw,uid=1000
521 28 8:33 / /run/media/admin/KINGSTON rw,nosuid,nodev,relatime shared:610 - exfat /dev/sdc1 rw,uid=1000
530 28 8:49 / /mnt/usb rw,relatime shared:620 - ext4 /dev/sdd1 rw
531 28 259:2 /srv/share /mnt/share rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw
532 28 0:60 / /mnt/nas rw,relatime shared:630 - cifs //nas/office rw,vers=3.1.1
533 28 0:61 / /media rw,relatime shared:631 - tmpfs tmpfs rw
";

    #[test]
    fn removable_drives_are_read_from_mountinfo() {
        let drives = parse_mountinfo(MOUNTINFO, &MOUNT_ROOTS);
        assert_eq!(
            drives,
            vec![
                Drive {
                    path: PathBuf::from("/media/aliya/ЕУМЦ 2026"),
                    label: "ЕУМЦ 2026".into(),
                },
                Drive {
                    path: PathBuf::from("/run/media/admin/KINGSTON"),
                    label: "KINGSTON".into(),
                },
                Drive {
                    path: PathBuf::from("/mnt/usb"),
                    label: "usb".into(),
                },
            ]
        );
        assert_eq!(parse_mountinfo("", &MOUNT_ROOTS), vec![]);
        assert_eq!(parse_mountinfo("garbage\n1 2 3\n", &MOUNT_ROOTS), vec![]);
    }

    #[test]
    fn synaq_files_on_a_drive_are_found_by_kind_newest_first() {
        let drive = tempfile::tempdir().unwrap();
        let d = drive.path();
        std::fs::create_dir(d.join("2026-12")).unwrap();
        std::fs::create_dir_all(d.join("a/b")).unwrap();
        std::fs::write(d.join("alm.synaqroster"), b"r").unwrap();
        std::fs::write(d.join("2026-12/eumc.SYNAQBANK"), b"bank").unwrap();
        std::fs::write(d.join("receipts.synaqin"), b"in").unwrap();
        std::fs::write(d.join("kiosk.synaqjoin"), b"j").unwrap();
        std::fs::write(d.join("photo.jpg"), b"x").unwrap();
        std::fs::write(d.join(".hidden.synaqbank"), b"x").unwrap();
        std::fs::write(d.join("a/b/too-deep.synaqbank"), b"x").unwrap();
        let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(d.join("alm.synaqroster"))
            .unwrap()
            .set_modified(old)
            .unwrap();
        let files = files_on(d);
        let mut names: Vec<(&str, FileKind)> =
            files.iter().map(|f| (f.name.as_str(), f.kind)).collect();
        assert_eq!(names.last(), Some(&("alm.synaqroster", FileKind::Roster)));
        names.sort();
        assert_eq!(
            names,
            [
                ("2026-12/eumc.SYNAQBANK", FileKind::Bank),
                ("alm.synaqroster", FileKind::Roster),
                ("kiosk.synaqjoin", FileKind::Enrollment),
                ("receipts.synaqin", FileKind::Receipts),
            ]
        );
        let bank = files.iter().find(|f| f.kind == FileKind::Bank).unwrap();
        assert_eq!(
            (bank.bytes, bank.path.clone()),
            (4, d.join("2026-12/eumc.SYNAQBANK"))
        );
    }

    #[test]
    fn media_roots_list_each_folder_as_a_drive() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("STICK")).unwrap();
        std::fs::create_dir(root.path().join("ARCHIVE")).unwrap();
        std::fs::write(root.path().join("file.synaqbank"), b"x").unwrap();
        let roots = format!("{}:/no/such/dir", root.path().display());
        let labels: Vec<String> = drives_in(&roots).into_iter().map(|d| d.label).collect();
        assert_eq!(labels, ["ARCHIVE", "STICK"]);
    }
}
