//! `cargo xtask demo` without a display says so in one line, before installing or building anything.
#![forbid(unsafe_code)]

use std::process::Command;

#[test]
fn demo_without_a_display_says_so_in_one_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("demo")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .expect("xtask runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line, got: {err}");
    assert!(err.contains("no display"), "{err}");
    assert!(err.contains("xvfb-run cargo xtask demo"), "{err}");
    assert!(out.stdout.is_empty(), "nothing was started");
}
