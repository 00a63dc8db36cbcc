//! The memory baseline: one window like the kiosk's (same size, fullscreen) showing one line.
#![forbid(unsafe_code)]

use tauri::{WebviewUrl, WebviewWindowBuilder};

fn main() {
    tauri::Builder::default()
        .setup(|app| {
            WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()))
                .inner_size(1280.0, 800.0)
                .fullscreen(true)
                .decorations(false)
                .build()?;
            Ok(())
        })
        .run(tauri::generate_context!())
        .expect("the empty app runs");
}
