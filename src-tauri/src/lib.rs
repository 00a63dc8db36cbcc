//! The Synaq kiosk app. This crate is glue: each command is a few lines that call a library
//! crate, check the caller and translate errors. Nothing here decides anything about an exam.
#![forbid(unsafe_code)]

pub mod bank;
pub mod command_names;
pub mod ipc;

use std::path::Path;
use std::sync::Mutex;

use synaq_core::Lang;
use synaq_i18n::Localizer;
use synaq_seal::OpenedBank;
use tauri::State;

use bank::LoadError;
use ipc::{CategorySummary, IpcError, UiLang};

/// Everything the commands share.
#[derive(Debug)]
pub struct AppState {
    /// The opened bank, or why it could not be opened (shown to people, never a crash).
    bank: Result<OpenedBank, LoadError>,
    l10n: Localizer,
    lang: Mutex<Lang>,
}

impl AppState {
    /// State for a bank that was opened (or refused) already.
    pub fn new(bank: Result<OpenedBank, LoadError>) -> Result<AppState, synaq_i18n::I18nError> {
        if let Err(e) = &bank {
            // The detail is for the admin's log; people see the translated code.
            eprintln!(
                "synaq-kiosk: no usable question bank ({}): {}",
                e.code, e.detail
            );
        }
        Ok(AppState {
            bank,
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

    /// The category list with the bank's question counts, or a translated error.
    pub fn categories(&self) -> Result<Vec<CategorySummary>, IpcError> {
        match &self.bank {
            Ok(b) => Ok(ipc::category_summaries(&b.profile, &b.content.questions)),
            Err(e) => Err(self.error(e.code)),
        }
    }

    pub fn set_lang(&self, lang: Lang) {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner()) = lang;
    }
}

/// The exam categories of the bank's profile, with names in every language.
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
    let state = AppState::new(bank::load_from_env()).map_err(|e| e.to_string())?;
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

    fn demo_bank(dir: &Path) -> Result<OpenedBank, LoadError> {
        let issuer = synaq_seal::IssuerPublic::from_toml(bank::DEMO_ISSUER_PUB).unwrap();
        let kiosk = synaq_seal::KioskSecret::from_toml(bank::DEMO_KIOSK_KEY).unwrap();
        bank::open(bank::DEMO_BANK, &issuer, &kiosk, dir, 1_800_000_000)
    }

    #[test]
    fn demo_categories_come_from_the_decrypted_bank() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(demo_bank(dir.path())).unwrap();
        let cats = state.categories().unwrap();
        assert_eq!(
            cats.iter().map(|c| c.number).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6]
        );
        assert_eq!(cats[0].time_limit_minutes, 60);
        for c in &cats {
            assert!(
                c.bank_questions >= c.question_count,
                "category {} needs {} questions, the bank has {}",
                c.number,
                c.question_count,
                c.bank_questions
            );
        }
        // The high-water mark was recorded for the demo series.
        let trust = std::fs::read_to_string(dir.path().join("trust.json")).unwrap();
        assert!(trust.contains("eumc-demo"), "{trust}");
    }

    /// The committed demo bank is built from the committed sources (`cargo xtask demo-bank`).
    #[test]
    fn demo_bank_matches_its_sources() {
        let dir = tempfile::tempdir().unwrap();
        let opened = demo_bank(dir.path()).unwrap();
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../assets/demo");
        let (src, _) = synaq_author::load_source_dir(&root).expect("demo sources load");
        assert_eq!(opened.content.profile_toml, src.profile_toml);
        assert_eq!(
            opened.content.questions, src.questions,
            "run `cargo xtask demo-bank`"
        );
        assert_eq!(
            opened.content.media, src.media,
            "run `cargo xtask demo-bank`"
        );
    }

    #[test]
    fn a_tampered_bank_gives_a_translated_error_not_a_crash() {
        let dir = tempfile::tempdir().unwrap();
        let issuer = synaq_seal::IssuerPublic::from_toml(bank::DEMO_ISSUER_PUB).unwrap();
        let kiosk = synaq_seal::KioskSecret::from_toml(bank::DEMO_KIOSK_KEY).unwrap();
        let mut bytes = bank::DEMO_BANK.to_vec();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 1;
        let state = AppState::new(bank::open(
            &bytes,
            &issuer,
            &kiosk,
            dir.path(),
            1_800_000_000,
        ))
        .unwrap();
        let err = state.categories().unwrap_err();
        assert_eq!(err.code, "bank-bad-signature");
        assert!(
            err.message.starts_with("Банктің қолтаңбасы жарамсыз"),
            "{}",
            err.message
        );
        state.set_lang(Lang::Ru);
        let err = state.categories().unwrap_err();
        assert!(
            err.message.starts_with("Подпись банка недействительна"),
            "{}",
            err.message
        );
        assert!(!dir.path().join("trust.json").exists(), "nothing trusted");
    }

    #[test]
    fn every_bank_error_is_translated() {
        let l10n = Localizer::new().unwrap();
        for code in synaq_seal::BankError::ALL_CODES
            .into_iter()
            .chain(["error-bank-missing", "error-kiosk-keys"])
        {
            for lang in Lang::ALL {
                assert!(l10n.has(lang, code), "{code} missing in {}", lang.code());
            }
        }
    }
}
