//! The kiosk started without a display says so in one line instead of a GTK panic.
#![forbid(unsafe_code)]

use std::process::Command;

#[test]
fn without_a_display_the_kiosk_says_so_in_one_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_synaq-kiosk"))
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("SYNAQ_DATA_DIR", env!("CARGO_TARGET_TMPDIR"))
        .output()
        .expect("the kiosk runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "one line, got: {err}");
    assert!(err.starts_with("synaq-kiosk: no display"), "{err}");
    assert!(err.contains("xvfb-run"), "{err}");
}
