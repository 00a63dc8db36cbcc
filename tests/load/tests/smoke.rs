//! The load tool at a tiny size: every result ends where it must and nothing goes wrong.
//! No time is asserted (a benchmark's figures are read, not tested).
#![forbid(unsafe_code)]

use std::path::Path;
use std::process::Command;

/// Builds `synaq-central` in this test's profile, next to `synaq-load`; returns its path.
/// With `synaq-load` in the same command, as `cargo xtask load` does: the same features, so
/// the dependencies built for this test are reused.
fn central_bin(load: &Path) -> std::path::PathBuf {
    let dir = load.parent().expect("the binary's directory");
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    c.current_dir(env!("CARGO_MANIFEST_DIR")).args([
        "build",
        "-p",
        "synaq-central",
        "-p",
        "synaq-load",
    ]);
    // What cargo set for this test (`CARGO_MANIFEST_DIR`, `CARGO_PKG_*`, …) would reach the
    // dependencies' build scripts (ring's reruns on `CARGO_MANIFEST_DIR`) and rebuild them
    // all; the user's own settings (`CARGO_HOME`, `CARGO_TARGET_DIR`) stay.
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if (k.starts_with("CARGO_") && k != "CARGO_HOME" && k != "CARGO_TARGET_DIR")
            || k == "OUT_DIR"
        {
            c.env_remove(&*k);
        }
    }
    if dir.file_name().is_some_and(|n| n == "release") {
        c.arg("--release");
    }
    let status = c.status().expect("cargo runs");
    assert!(status.success(), "building synaq-central failed");
    dir.join("synaq-central")
}

#[test]
fn four_kiosks_push_through_two_centrals_and_every_result_is_certified_or_failed() {
    let load = Path::new(env!("CARGO_BIN_EXE_synaq-load"));
    let central = central_bin(load);
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = Command::new(load)
        .args([
            "--kiosks",
            "4",
            "--per-kiosk",
            "3",
            "--certificates",
            "1000",
            "--checks",
            "200",
            "--check-clients",
            "4",
            "--evidence",
            "local",
        ])
        .arg("--central-bin")
        .arg(&central)
        .arg("--out")
        .arg(tmp.path().join("out"))
        .arg("--work")
        .arg(tmp.path().join("work"))
        .env_remove("SYNAQ_DATABASE")
        .output()
        .expect("synaq-load runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let json = stdout.lines().last().expect("the JSON line");
    let r: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert_eq!(r["errors"], 0, "{stdout}");
    assert_eq!(r["rate_limited"], 0, "{stdout}");
    assert_eq!(r["results"], 12);
    // Every fifth result is a fail: results 5 and 10 of 12.
    assert_eq!(r["certified"], 10, "{stdout}");
    assert_eq!(r["failed"], 2, "{stdout}");
    assert_eq!(r["push"]["count"], 4);
    assert_eq!(r["evidence_upload"]["count"], 12);
    assert_eq!(r["checks"], 200);
    assert_eq!(r["certificates_preloaded"], 1000);
    assert!(r["evidence_stored_per_exam"].as_f64().unwrap() > 0.0);
    assert!(r["database_bytes_per_result"].as_f64().unwrap() > 0.0);
    // The report file is the JSON line.
    let file = tmp.path().join("out").join("report-sqlite-local.json");
    assert_eq!(
        std::fs::read_to_string(file).expect("report file").trim(),
        json
    );
}
