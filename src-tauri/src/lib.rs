//! The Synaq kiosk app. This crate is glue: each command is a few lines that call a library
//! crate, check the caller and translate errors. Nothing here decides anything about an exam.
#![forbid(unsafe_code)]

pub mod command_names;
pub mod ipc;

use std::path::Path;
use std::sync::Mutex;

use synaq_core::{ExamProfile, Lang};
use synaq_i18n::Localizer;
use tauri::State;

use ipc::{CategorySummary, IpcError, UiLang};

/// The exam profile the demo runs on, built into the binary.
pub const DEMO_PROFILE: &str = include_str!("../../assets/demo/profile.toml");

/// Everything the commands share.
#[derive(Debug)]
pub struct AppState {
    /// The loaded profile, or the reason it could not be loaded (shown, never a crash).
    profile: Result<ExamProfile, String>,
    l10n: Localizer,
    lang: Mutex<Lang>,
}

impl AppState {
    /// State for a profile given as TOML source.
    pub fn new(profile_toml: &str) -> Result<AppState, synaq_i18n::I18nError> {
        Ok(AppState {
            profile: ExamProfile::from_toml(profile_toml).map_err(|e| e.to_string()),
            l10n: Localizer::new()?,
            lang: Mutex::new(Lang::Kk),
        })
    }

    fn lang(&self) -> Lang {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// An error for the UI, translated into the current language.
    fn error(&self, code: &str) -> IpcError {
        IpcError {
            code: code.to_owned(),
            message: self.l10n.text(self.lang(), code),
        }
    }

    /// The category list, or a translated error when the profile is unusable.
    pub fn categories(&self) -> Result<Vec<CategorySummary>, IpcError> {
        match &self.profile {
            Ok(p) => Ok(ipc::category_summaries(p)),
            Err(detail) => {
                eprintln!("synaq-kiosk: exam profile unusable: {detail}");
                Err(self.error("error-profile-invalid"))
            }
        }
    }

    pub fn set_lang(&self, lang: Lang) {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner()) = lang;
    }
}

/// The exam categories of the loaded profile, with names in every language.
#[tauri::command]
#[specta::specta]
fn list_categories(state: State<'_, AppState>) -> Result<Vec<CategorySummary>, IpcError> {
    state.categories()
}

/// The language the person chose; the backend translates its messages into it.
#[tauri::command]
#[specta::specta]
fn set_language(state: State<'_, AppState>, lang: UiLang) {
    state.set_lang(lang.into());
}

/// The typed command set: the invoke handler and the TypeScript bindings come from here.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new().commands(tauri_specta::collect_commands![
        list_categories,
        set_language
    ])
}

/// Writes the TypeScript bindings for every command and IPC type to `path`.
pub fn export_bindings(path: &Path) -> Result<(), String> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default()
                .header(
                    "// Generated from src-tauri by `cargo xtask bindings`. Do not edit.\n// @ts-nocheck\n",
                ),
            path,
        )
        .map_err(|e| e.to_string())
}

/// Why the window cannot open here, when there is no display to open it on.
pub fn missing_display() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let set = |v: &str| std::env::var_os(v).is_some_and(|s| !s.is_empty());
    if set("DISPLAY") || set("WAYLAND_DISPLAY") {
        None
    } else {
        Some(
            "synaq-kiosk: no display (DISPLAY and WAYLAND_DISPLAY are unset); \
             start it in a desktop session, or under `xvfb-run`"
                .to_owned(),
        )
    }
}

/// Opens the kiosk window and runs until it closes.
pub fn run() -> Result<(), String> {
    let profile = match std::env::var_os("SYNAQ_PROFILE") {
        Some(path) => std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", Path::new(&path).display()))?,
        None => DEMO_PROFILE.to_owned(),
    };
    let state = AppState::new(&profile).map_err(|e| e.to_string())?;
    let builder = specta_builder();
    tauri::Builder::default()
        .manage(state)
        .invoke_handler(builder.invoke_handler())
        .run(tauri::generate_context!())
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const BINDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../ui/src/lib/bindings.ts");

    /// Regenerates the bindings when SYNAQ_UPDATE_BINDINGS=1 (`cargo xtask bindings`);
    /// otherwise fails when the committed file differs from what the Rust types say.
    #[test]
    fn typescript_bindings_are_fresh() {
        let dir = std::env::temp_dir().join(format!("synaq-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fresh_path = dir.join("bindings.ts");
        export_bindings(&fresh_path).unwrap();
        let fresh = std::fs::read_to_string(&fresh_path).unwrap();
        std::fs::remove_dir_all(&dir).ok();
        if std::env::var_os("SYNAQ_UPDATE_BINDINGS").is_some() {
            std::fs::write(BINDINGS, &fresh).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(BINDINGS).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/lib/bindings.ts is stale: run `cargo xtask bindings` and commit it"
        );
        // Every command has a binding, and there are no others.
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

    #[test]
    fn demo_categories_reach_the_ui_in_order() {
        let state = AppState::new(DEMO_PROFILE).unwrap();
        let cats = state.categories().unwrap();
        assert_eq!(cats.len(), 6);
        assert_eq!(
            cats.iter().map(|c| c.number).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6]
        );
        assert_eq!(cats[0].time_limit_minutes, 60);
        assert_eq!(
            cats[0].name.kk,
            "Бірінші басшы; ол уәкілеттік берген еңбекті қорғау жөніндегі тұлға; дара кәсіпкер"
        );
    }

    #[test]
    fn a_broken_profile_gives_a_translated_error_not_a_crash() {
        let state = AppState::new("id = 1").unwrap();
        let err = state.categories().unwrap_err();
        assert_eq!(err.code, "error-profile-invalid");
        assert!(
            err.message.starts_with("Емтихан ережелері"),
            "{}",
            err.message
        );
        state.set_lang(Lang::Ru);
        let err = state.categories().unwrap_err();
        assert!(
            err.message.starts_with("Правила экзамена"),
            "{}",
            err.message
        );
    }
}
