//! `synaq-kiosk`: the window territorial offices run.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use synaq_kiosk::headless::Args;

/// WebKit and JavaScriptCore settings that only exist as environment variables: set before GTK
/// starts, inherited by the WebKit processes; one already set (say to "0") is left alone.
/// Measured with `cargo xtask bench app` and by hand (Xvfb, no GPU, WebKitGTK 2.50, sum of PSS
/// of the kiosk and its WebKit processes), with the settings of webview.rs: idle on the language
/// screen 270 MB with CPU painting and no JIT, 214 MB with DMA-BUF off as well (the web process
/// 154 → 101 MB). MALLOC_ARENA_MAX, WEBKIT_SKIA_CPU_PAINTING_THREADS and JSC_forceRAMSize
/// changed nothing and are not set.
const WEBKIT_ENV: [(&str, &str); 3] = [
    // Paint into shared memory, not DMA-BUF buffers (there is no GPU to share them with): -55 MB.
    // WebKitWebDriver cannot take screenshots this way; the e2e suite takes them from X.
    ("WEBKIT_DISABLE_DMABUF_RENDERER", "1"),
    // Skia paints on the CPU instead of through GL (llvmpipe without a GPU): -100 MB when
    // DMA-BUF is on, nothing when it is off; kept for a kiosk started with it on.
    ("WEBKIT_SKIA_ENABLE_CPU_RENDERING", "1"),
    // JavaScriptCore interprets only, no JIT code or JIT memory pools: -8 to -20 MB (answer to
    // "saved" p95 12 → 37 ms, target < 50; cold start +0.4 s, target < 1.5 s).
    ("JSC_useJIT", "0"),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match synaq_kiosk::headless::parse(&args) {
        Args::Window { demo: false } => {}
        Args::Window { demo: true } => {
            // Still single-threaded here: nothing else reads the environment yet.
            std::env::set_var("SYNAQ_DEMO", "1");
        }
        Args::Headless(f) => return ExitCode::from(f()),
        Args::Unknown(what) => {
            eprint!(
                "synaq-kiosk: unknown option {what}\n{}",
                synaq_kiosk::headless::USAGE
            );
            return ExitCode::from(2);
        }
    }
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
