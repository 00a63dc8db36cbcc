//! `synaq-kiosk`: the window territorial offices run.
#![forbid(unsafe_code)]

use std::process::ExitCode;

/// WebKit and JavaScriptCore settings that only exist as environment variables: set before GTK
/// starts, inherited by the WebKit processes; one already set (say to "0") is left alone.
/// Measured with `cargo xtask bench app` (Xvfb, no GPU), sum of PSS after 60 answers of a
/// 120-question exam, with the settings of webview.rs: 424 MB with neither, 325 MB with CPU
/// painting, 304 MB with both (without the JIT: answer-to-saved p95 12 → 37 ms, target < 50;
/// cold start 0.6 → 1.1 s, target < 1.5 s; drop that line if time matters more than 20 MB).
/// Not set: WEBKIT_DISABLE_DMABUF_RENDERER / WEBKIT_DISABLE_COMPOSITING_MODE (about the same
/// saving, but WebKitWebDriver's screenshots hang) and MALLOC_ARENA_MAX=2 (no gain).
const WEBKIT_ENV: [(&str, &str); 2] = [
    // Skia paints on the CPU instead of through GL (llvmpipe without a GPU): -100 MB.
    ("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1"),
    // JavaScriptCore interprets only, no JIT code or JIT memory pools: -20 MB.
    ("JSC_useJIT", "0"),
];

fn main() -> ExitCode {
    if let Some(why) = synaq_kiosk::missing_display() {
        eprintln!("{why}");
        return ExitCode::from(2);
    }
    for (name, value) in WEBKIT_ENV {
        if std::env::var_os(name).is_none() {
            // Still single-threaded here: nothing else reads the environment yet.
            std::env::set_var(name, value);
        }
    }
    match synaq_kiosk::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("synaq-kiosk: {e}");
            ExitCode::FAILURE
        }
    }
}
