// The app manifest lists every command, so each one gets its own permission and the
// capability file can allow exactly Synaq's commands and nothing else.
fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(synaq_commands::COMMANDS)),
    )
    .expect("tauri build step");
}

#[path = "../crates/synaq-station/src/command_names.rs"]
mod synaq_commands;
