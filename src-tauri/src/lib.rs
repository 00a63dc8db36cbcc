//! The Synaq kiosk app. This crate is glue: each command looks the station up and calls one
//! method of `synaq_station::Station`, which checks the caller; errors come back formatted in
//! the person's language. Nothing here decides anything about an exam.
#![forbid(unsafe_code)]

pub mod headless;
mod webview;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use synaq_station::ipc::*;
use synaq_station::{load, Code, Refusal, Station};
use tauri::{Manager as _, State, WebviewUrl, WebviewWindowBuilder};

/// The kiosk behind a lock: commands and the clock thread take turns.
#[derive(Debug)]
pub struct Shared(pub Mutex<Station>);

fn with<T>(
    state: &State<'_, Shared>,
    f: impl FnOnce(&mut Station) -> Result<T, Code>,
) -> Result<T, IpcError> {
    let mut k = state.0.lock().unwrap_or_else(|p| p.into_inner());
    f(&mut k).map_err(|e| k.translate(e))
}

fn now_ms() -> i64 {
    load::now() * 1000
}

/// Where the kiosk stands (first start, bank problems, an attempt waiting).
#[tauri::command]
#[specta::specta]
fn app_status(state: State<'_, Shared>) -> AppStatus {
    state.0.lock().unwrap_or_else(|p| p.into_inner()).status()
}

/// The language the person chose; the backend translates its messages into it.
#[tauri::command]
#[specta::specta]
fn set_language(state: State<'_, Shared>, lang: UiLang) {
    state
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .set_lang(lang.into());
}

/// The exam categories of the bank's profile, with names in every language.
#[tauri::command]
#[specta::specta]
fn list_categories(state: State<'_, Shared>) -> Result<Vec<CategorySummary>, IpcError> {
    with(&state, |k| k.categories())
}

/// First start: name the kiosk and create the first admin.
#[tauri::command]
#[specta::specta]
fn first_run_setup(
    state: State<'_, Shared>,
    kiosk_name: String,
    admin_id: String,
    admin_name: String,
    password: String,
) -> Result<Session, IpcError> {
    with(&state, |k| {
        k.first_run_setup(&kiosk_name, &admin_id, &admin_name, &password, now_ms())
    })
}

/// A proctor or admin logs in.
#[tauri::command]
#[specta::specta]
fn staff_login(
    state: State<'_, Shared>,
    role: StaffRoleView,
    id: String,
    password: String,
) -> Result<Session, IpcError> {
    with(&state, |k| k.login(role, &id, &password))
}

/// Ends a session.
#[tauri::command]
#[specta::specta]
fn logout(state: State<'_, Shared>, token: String) {
    state
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .logout(&token);
}

/// Proctor: today's registrations for an ИИН.
#[tauri::command]
#[specta::specta]
fn proctor_find(
    state: State<'_, Shared>,
    token: String,
    iin: String,
) -> Result<Vec<RosterMatch>, IpcError> {
    with(&state, |k| k.find(&token, &iin, k.office_today(now_ms())))
}

/// Proctor: admit the examinee and start the exam; returns the examinee's session.
#[tauri::command]
#[specta::specta]
fn proctor_admit(
    state: State<'_, Shared>,
    token: String,
    iin: String,
    category: String,
    document_checked: bool,
) -> Result<Session, IpcError> {
    with(&state, |k| {
        k.admit(
            &token,
            &iin,
            &category,
            document_checked,
            k.office_today(now_ms()),
        )
    })
}

/// Proctor: the attempt on this kiosk.
#[tauri::command]
#[specta::specta]
fn proctor_attempt(
    state: State<'_, Shared>,
    token: String,
) -> Result<Option<AttemptView>, IpcError> {
    with(&state, |k| k.attempt(&token))
}

/// Proctor: pause the clock, with a reason from the incident list.
#[tauri::command]
#[specta::specta]
fn proctor_pause(
    state: State<'_, Shared>,
    token: String,
    reason: String,
    note: String,
) -> Result<(), IpcError> {
    with(&state, |k| k.pause(&token, &reason, &note))
}

/// Proctor: resume a paused or interrupted exam; returns a fresh examinee session.
#[tauri::command]
#[specta::specta]
fn proctor_resume(
    state: State<'_, Shared>,
    token: String,
    reason: String,
    note: String,
) -> Result<Session, IpcError> {
    with(&state, |k| k.resume(&token, &reason, &note))
}

/// Proctor: add minutes.
#[tauri::command]
#[specta::specta]
fn proctor_extend(
    state: State<'_, Shared>,
    token: String,
    minutes: u32,
    reason: String,
    note: String,
) -> Result<(), IpcError> {
    with(&state, |k| k.extend(&token, minutes, &reason, &note))
}

/// Proctor: end the exam for a violation.
#[tauri::command]
#[specta::specta]
fn proctor_end(
    state: State<'_, Shared>,
    token: String,
    reason: String,
    note: String,
) -> Result<(), IpcError> {
    with(&state, |k| k.end(&token, &reason, &note))
}

/// Examinee: the exam's state, clock, grid and (at the end) result.
#[tauri::command]
#[specta::specta]
fn exam_status(state: State<'_, Shared>, token: String) -> Result<ExamStatus, IpcError> {
    with(&state, |k| k.exam_status(&token))
}

/// Examinee: start the exam after the identity and rules screens (the clock starts).
#[tauri::command]
#[specta::specta]
fn exam_start(state: State<'_, Shared>, token: String) -> Result<(), IpcError> {
    with(&state, |k| k.start_exam(&token))
}

/// Examinee: one question, without its correct answers.
#[tauri::command]
#[specta::specta]
fn exam_question(
    state: State<'_, Shared>,
    token: String,
    position: u32,
) -> Result<QuestionView, IpcError> {
    with(&state, |k| k.question(&token, position))
}

/// Examinee: record an answer; returns once it is on disk.
#[tauri::command]
#[specta::specta]
fn exam_answer(
    state: State<'_, Shared>,
    token: String,
    position: u32,
    options: Vec<String>,
) -> Result<Saved, IpcError> {
    with(&state, |k| k.answer(&token, position, options))
}

/// Examinee: flag a question for review.
#[tauri::command]
#[specta::specta]
fn exam_flag(
    state: State<'_, Shared>,
    token: String,
    position: u32,
    flagged: bool,
) -> Result<(), IpcError> {
    with(&state, |k| k.flag(&token, position, flagged))
}

/// Examinee: submit the exam.
#[tauri::command]
#[specta::specta]
fn exam_submit(state: State<'_, Shared>, token: String) -> Result<(), IpcError> {
    with(&state, |k| k.submit(&token))
}

/// Admin: staff accounts.
#[tauri::command]
#[specta::specta]
fn admin_staff(state: State<'_, Shared>, token: String) -> Result<Vec<StaffView>, IpcError> {
    with(&state, |k| k.staff(&token))
}

/// Admin: add a proctor account.
#[tauri::command]
#[specta::specta]
fn admin_add_proctor(
    state: State<'_, Shared>,
    token: String,
    id: String,
    name: String,
    password: String,
) -> Result<(), IpcError> {
    with(&state, |k| {
        k.add_proctor(&token, &id, &name, &password, now_ms())
    })
}

/// Admin: disable or re-enable an account.
#[tauri::command]
#[specta::specta]
fn admin_set_disabled(
    state: State<'_, Shared>,
    token: String,
    id: String,
    disabled: bool,
) -> Result<(), IpcError> {
    with(&state, |k| k.set_disabled(&token, &id, disabled))
}

/// Admin: the audit journal, newest first.
#[tauri::command]
#[specta::specta]
fn admin_journal(
    state: State<'_, Shared>,
    token: String,
    kind: Option<String>,
    limit: u32,
) -> Result<Vec<JournalRow>, IpcError> {
    with(&state, |k| k.journal(&token, kind, limit))
}

/// Admin: import a bank file (removable media): checked, then in use.
#[tauri::command]
#[specta::specta]
fn admin_import_bank(
    state: State<'_, Shared>,
    token: String,
    path: String,
) -> Result<ImportVerdict, IpcError> {
    with(&state, |k| k.import_bank(&token, &path, load::now()))
}

/// Admin: import a roster file: checked, then in use.
#[tauri::command]
#[specta::specta]
fn admin_import_roster(
    state: State<'_, Shared>,
    token: String,
    path: String,
) -> Result<ImportVerdict, IpcError> {
    with(&state, |k| k.import_roster(&token, &path, load::now()))
}

/// Admin: write the audit journal as CSV into a folder; returns the file's path.
#[tauri::command]
#[specta::specta]
fn admin_export_journal(
    state: State<'_, Shared>,
    token: String,
    dir: String,
) -> Result<String, IpcError> {
    with(&state, |k| k.export_journal(&token, &dir, now_ms()))
}

/// Admin: disk, bank, roster, camera and clock.
#[tauri::command]
#[specta::specta]
fn admin_diagnostics(state: State<'_, Shared>, token: String) -> Result<Diagnostics, IpcError> {
    with(&state, |k| k.diagnostics(&token, now_ms()))
}

/// Proctor, at admission: the examinee's reference photo (sealed as the first evidence frame).
#[tauri::command]
#[specta::specta]
fn proctor_reference_photo(
    state: State<'_, Shared>,
    token: String,
) -> Result<CameraPicture, IpcError> {
    with(&state, |k| k.reference_photo(&token))
}

/// Proctor or admin: the camera's newest picture, for the live preview.
#[tauri::command]
#[specta::specta]
fn staff_camera_preview(
    state: State<'_, Shared>,
    token: String,
) -> Result<CameraPicture, IpcError> {
    with(&state, |k| k.camera_preview(&token))
}

/// Admin: enrollment, last sync, and each result's way to ЕУМЦ.
#[tauri::command]
#[specta::specta]
fn admin_sync_state(state: State<'_, Shared>, token: String) -> Result<SyncView, IpcError> {
    with(&state, |k| k.sync_view(&token))
}

/// Admin: enrolls the kiosk with central (the network call runs without the kiosk's lock).
#[tauri::command]
#[specta::specta]
async fn admin_enroll(
    state: State<'_, Shared>,
    token: String,
    url: String,
    fingerprint: String,
    branch: String,
    code: String,
) -> Result<SyncView, IpcError> {
    let job = with(&state, |k| {
        k.enroll_prepare(&token, &url, &fingerprint, &branch, &code)
    })?;
    let enrollment = job.run().await;
    with(&state, |k| k.enroll_finish(&token, enrollment))
}

/// Admin: enrolls the kiosk from ЕУМЦ's enrollment file on removable media (central's
/// address, TLS pin, branch and one-time code, signed by ЕУМЦ): nothing typed.
#[tauri::command]
#[specta::specta]
async fn admin_enroll_file(
    state: State<'_, Shared>,
    token: String,
    path: String,
) -> Result<SyncView, IpcError> {
    let job = with(&state, |k| k.enroll_from_file(&token, &path))?;
    let enrollment = job.run().await;
    with(&state, |k| k.enroll_finish(&token, enrollment))
}

/// Admin, offline enrollment: writes the signed request file into `dir` (removable media).
#[tauri::command]
#[specta::specta]
fn admin_enroll_request(
    state: State<'_, Shared>,
    token: String,
    dir: String,
    branch: String,
    code: String,
) -> Result<String, IpcError> {
    with(&state, |k| {
        k.enroll_request_file(&token, &dir, &branch, &code)
    })
}

/// Admin, offline enrollment: reads the certificate file ЕУМЦ sent back.
#[tauri::command]
#[specta::specta]
fn admin_enroll_import(
    state: State<'_, Shared>,
    token: String,
    path: String,
    branch: String,
) -> Result<SyncView, IpcError> {
    with(&state, |k| k.enroll_import(&token, &path, &branch))
}

/// Admin: "Sync now". Starts the sync on its own thread and answers at once; the screen
/// follows the progress with `admin_sync_state`.
#[tauri::command]
#[specta::specta]
fn admin_sync_now(
    app: tauri::AppHandle,
    state: State<'_, Shared>,
    token: String,
) -> Result<SyncView, IpcError> {
    if let Some(job) = with(&state, |k| k.sync_start(&token))? {
        std::thread::spawn(move || job.run(&app.state::<Shared>().0));
    }
    with(&state, |k| k.sync_view(&token))
}

/// Admin: sends a refused result again.
#[tauri::command]
#[specta::specta]
fn admin_requeue(
    state: State<'_, Shared>,
    token: String,
    attempt: String,
) -> Result<SyncView, IpcError> {
    with(&state, |k| k.requeue(&token, &attempt))
}

/// Admin: a certificate with its QR code, for the paper copy.
#[tauri::command]
#[specta::specta]
fn admin_certificate(
    state: State<'_, Shared>,
    token: String,
    number: String,
) -> Result<CertificateView, IpcError> {
    with(&state, |k| k.certificate(&token, &number))
}

/// Admin: the printers CUPS knows and the one chosen for certificates.
#[tauri::command]
#[specta::specta]
fn admin_printers(state: State<'_, Shared>, token: String) -> Result<PrintersView, IpcError> {
    with(&state, |k| k.printers(&token))
}

/// Admin: chooses the printer certificates go to.
#[tauri::command]
#[specta::specta]
fn admin_choose_printer(
    state: State<'_, Shared>,
    token: String,
    name: String,
) -> Result<PrintersView, IpcError> {
    with(&state, |k| k.choose_printer(&token, &name))
}

/// Admin: prints ЕУМЦ's PDF of a certificate on the chosen printer, without a dialog.
#[tauri::command]
#[specta::specta]
fn admin_print_certificate(
    state: State<'_, Shared>,
    token: String,
    number: String,
) -> Result<PrintJobView, IpcError> {
    with(&state, |k| k.print_certificate(&token, &number))
}

/// Admin: where a print job stands now.
#[tauri::command]
#[specta::specta]
fn admin_print_status(
    state: State<'_, Shared>,
    token: String,
    job: PrintJobView,
) -> Result<PrintJobView, IpcError> {
    with(&state, |k| k.print_status(&token, job))
}

/// Admin: everything not yet delivered (results and evidence) to removable media.
#[tauri::command]
#[specta::specta]
async fn admin_export_media(
    state: State<'_, Shared>,
    token: String,
    dir: String,
) -> Result<MediaExport, IpcError> {
    let job = with(&state, |k| k.media_prepare(&token))?;
    let done = tauri::async_runtime::spawn_blocking(move || job.export(&dir))
        .await
        .unwrap_or_else(|_| Err(Code::from(Refusal::SyncFailed)));
    with(&state, |k| k.media_exported(&token, done))
}

/// Admin: the receipts bundle ЕУМЦ sent back on removable media.
#[tauri::command]
#[specta::specta]
async fn admin_import_receipts(
    state: State<'_, Shared>,
    token: String,
    path: String,
) -> Result<MediaImport, IpcError> {
    let job = with(&state, |k| k.media_prepare(&token))?;
    let file = path.clone();
    let done = tauri::async_runtime::spawn_blocking(move || job.import_receipts(&path))
        .await
        .unwrap_or_else(|_| Err(Code::from(Refusal::SyncFailed)));
    with(&state, |k| k.receipts_imported(&token, &file, done))
}

/// Admin: camera and capture interval.
#[tauri::command]
#[specta::specta]
fn admin_settings(state: State<'_, Shared>, token: String) -> Result<SettingsView, IpcError> {
    with(&state, |k| k.settings(&token))
}

/// Admin: save camera and capture interval.
#[tauri::command]
#[specta::specta]
fn admin_save_settings(
    state: State<'_, Shared>,
    token: String,
    camera_device: String,
    capture_interval_secs: u32,
) -> Result<SettingsView, IpcError> {
    with(&state, |k| {
        k.save_settings(&token, &camera_device, capture_interval_secs)
    })
}

/// Admin: allow the kiosk window to close.
#[tauri::command]
#[specta::specta]
fn admin_allow_exit(state: State<'_, Shared>, token: String) -> Result<(), IpcError> {
    with(&state, |k| k.allow_exit(&token))
}

/// Admin: shuts the kiosk down (confirmed on screen; refused while an exam is open).
#[tauri::command]
#[specta::specta]
fn admin_shut_down(
    app: tauri::AppHandle,
    state: State<'_, Shared>,
    token: String,
) -> Result<(), IpcError> {
    with(&state, |k| k.shut_down(&token))?;
    app.exit(0);
    Ok(())
}

/// Admin: sets a new password for a proctor who forgot theirs.
#[tauri::command]
#[specta::specta]
fn admin_reset_password(
    state: State<'_, Shared>,
    token: String,
    id: String,
    password: String,
) -> Result<(), IpcError> {
    with(&state, |k| k.reset_password(&token, &id, &password))
}

/// Admin: the removable drives mounted now, with the Synaq files on each.
#[tauri::command]
#[specta::specta]
fn admin_drives(state: State<'_, Shared>, token: String) -> Result<Vec<DriveView>, IpcError> {
    with(&state, |k| k.drives(&token))
}

/// The typed command set: the invoke handler and the TypeScript bindings come from here.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        .commands(tauri_specta::collect_commands![
            app_status,
            set_language,
            list_categories,
            first_run_setup,
            staff_login,
            logout,
            proctor_find,
            proctor_admit,
            proctor_attempt,
            proctor_pause,
            proctor_resume,
            proctor_extend,
            proctor_end,
            proctor_reference_photo,
            staff_camera_preview,
            exam_status,
            exam_start,
            exam_question,
            exam_answer,
            exam_flag,
            exam_submit,
            admin_staff,
            admin_add_proctor,
            admin_set_disabled,
            admin_journal,
            admin_import_bank,
            admin_import_roster,
            admin_export_journal,
            admin_diagnostics,
            admin_settings,
            admin_save_settings,
            admin_sync_state,
            admin_enroll,
            admin_enroll_request,
            admin_enroll_import,
            admin_sync_now,
            admin_requeue,
            admin_certificate,
            admin_printers,
            admin_choose_printer,
            admin_print_certificate,
            admin_print_status,
            admin_export_media,
            admin_import_receipts,
            admin_allow_exit,
            admin_shut_down,
            admin_reset_password,
            admin_drives,
            admin_enroll_file,
        ])
        // The incident list lives in synaq-core; the UI's picker and tests read it from here.
        .typ::<synaq_core::Incident>()
        .constant("INCIDENTS", IncidentLists::new())
}

/// Writes the TypeScript bindings for every command and IPC type to `path`.
pub fn export_bindings(path: &Path) -> Result<(), String> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default().header(
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

/// The app's context: its configuration and the interface built into the binary (made once
/// here, so the interface is embedded once).
pub fn context() -> tauri::Context<tauri::Wry> {
    tauri::generate_context!()
}

/// Opens the kiosk window and runs until an admin lets it close.
pub fn run() -> Result<(), String> {
    let dir = load::data_dir();
    let keys = load::Keys::from_env(&dir);
    let kiosk = Station::new(
        keys.clone(),
        load::bank_from_env(&keys, &dir),
        load::roster_from_env(&keys, &dir),
        &dir,
        Arc::new(synaq_store::SystemClock),
    )
    .map_err(|e| e.to_string())?;
    let builder = specta_builder();
    let app = tauri::Builder::default()
        .manage(Shared(Mutex::new(kiosk)))
        .invoke_handler(builder.invoke_handler())
        .setup(|app| {
            let windowed = std::env::var_os("SYNAQ_WINDOWED").is_some();
            let window =
                WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
                .title("Synaq")
                .inner_size(1280.0, 800.0)
                .min_inner_size(1024.0, 700.0)
                .fullscreen(!windowed)
                .decorations(windowed)
                .devtools(false)
                // WebKitGTK lets a page close its own window, and `print()` opens GTK's print
                // dialog, whose "Print to file" is a file browser: a kiosk page may do neither.
                // Certificates print through CUPS from the Rust side (`admin_print_certificate`).
                .initialization_script(
                    "Object.defineProperty(window, 'close', { value: function () {}, writable: false, configurable: false });\
                     Object.defineProperty(window, 'print', { value: undefined, writable: false, configurable: false });",
                )
                // The kiosk shows its own pages only: no navigation away, no new windows.
                .on_navigation(|url| {
                    matches!(url.scheme(), "tauri" | "http" | "https")
                        && matches!(url.host_str(), Some("localhost" | "tauri.localhost"))
                })
                .on_new_window(|_, _| tauri::webview::NewWindowResponse::Deny)
                .build()?;
            // Fewer WebKit features and caches: less memory (see webview.rs).
            webview::tune(&window)?;
            // The backend's clock: charges time and finishes exams at zero, whatever the UI does.
            let handle = app.handle().clone();
            std::thread::spawn(move || loop {
                std::thread::sleep(Duration::from_millis(250));
                let state = handle.state::<Shared>();
                let job = {
                    let mut k = state.0.lock().unwrap_or_else(|p| p.into_inner());
                    k.tick();
                    k.auto_sync(now_ms())
                };
                // Results leave for ЕУМЦ by themselves when the network is there.
                if let Some(job) = job {
                    let handle = handle.clone();
                    std::thread::spawn(move || job.run(&handle.state::<Shared>().0));
                }
            });
            Ok(())
        })
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                let state = window.state::<Shared>();
                let allowed = state
                    .0
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .exit_allowed();
                if !allowed {
                    api.prevent_close();
                }
            }
        })
        .build(context())
        .map_err(|e| e.to_string())?;
    app.run(|handle, event| {
        if let tauri::RunEvent::ExitRequested { api, .. } = event {
            let allowed = handle
                .state::<Shared>()
                .0
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .exit_allowed();
            if !allowed {
                api.prevent_exit();
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests;
