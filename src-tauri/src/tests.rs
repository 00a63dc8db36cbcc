//! The window's side of the contract: bindings and capabilities agree with the commands.

use synaq_station::command_names;

use super::*;

const BINDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/bindings.ts");

/// Regenerates the bindings when SYNAQ_UPDATE_BINDINGS=1 (`cargo xtask bindings`);
/// otherwise fails when the committed file differs from what the Rust types say.
#[test]
fn typescript_bindings_are_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let fresh_path = dir.path().join("bindings.ts");
    export_bindings(&fresh_path).unwrap();
    let fresh = std::fs::read_to_string(&fresh_path).unwrap();
    if std::env::var_os("SYNAQ_UPDATE_BINDINGS").is_some() {
        std::fs::write(BINDINGS, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(BINDINGS).unwrap_or_default();
    assert!(
        committed == fresh,
        "ui/src/lib/bindings.ts is stale: run `cargo xtask bindings` and commit it"
    );
    for name in command_names::COMMANDS {
        assert!(
            fresh.contains(&format!("TAURI_INVOKE(\"{name}\"")),
            "{name} has no binding"
        );
    }
    assert_eq!(
        fresh.matches("TAURI_INVOKE(\"").count(),
        command_names::COMMANDS.len(),
        "a command is handled but not listed in command_names.rs (so it has no permission)"
    );
}

/// The capability allows exactly Synaq's commands: nothing from core, no plugin.
#[test]
fn capability_allows_exactly_our_commands() {
    let src = include_str!("../capabilities/kiosk.json");
    let want: Vec<String> = command_names::COMMANDS
        .iter()
        .map(|c| format!("\"allow-{}\"", c.replace('_', "-")))
        .collect();
    let listed: Vec<&str> = src
        .split("\"permissions\"")
        .nth(1)
        .expect("capability has permissions")
        .split(['[', ']'])
        .nth(1)
        .expect("permissions is a list")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    assert_eq!(listed, want);
}
